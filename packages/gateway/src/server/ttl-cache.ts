/**
 * A small bounded cache whose entries expire after `ttlMs`, for records that change rarely (users,
 * characters). Staleness is bounded by the TTL, also across gateway instances.
 */
export class TtlCache<V> {
  readonly #entries = new Map<string, { value: V; expires: number }>();
  #generation = 0;
  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  get(key: string, now: number): V | undefined {
    const hit = this.#entries.get(key);
    if (!hit) return undefined;
    if (hit.expires <= now) {
      this.#entries.delete(key);
      return undefined;
    }
    return hit.value;
  }

  /** Advanced by every `delete`: take it before reading a value to store (see `set`). */
  get generation(): number {
    return this.#generation;
  }

  /**
   * Stores `value`; the least recently stored entry goes when the cache is full. `since` is the `generation`
   * taken before the value was read: when a `delete` came in between (a change reported while the read was
   * in flight), the value may be stale and is not stored.
   */
  set(key: string, value: V, now: number, since = this.#generation): void {
    if (since !== this.#generation) return;
    this.#entries.delete(key);
    if (this.#entries.size >= this.maxEntries) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, { value, expires: now + this.ttlMs });
  }

  delete(key: string): void {
    this.#generation++;
    this.#entries.delete(key);
  }
}
