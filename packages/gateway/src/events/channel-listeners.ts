import { CgError, type Unsubscribe } from '@companion-guard/core';
import type { Logger } from '../logger.js';

/** An event on a live channel (ids and facts, never conversation text). */
export type LiveEvent = Readonly<Record<string, unknown>>;
export type LiveListener = (event: LiveEvent) => void;

/** PostgreSQL's NOTIFY limit; every backend enforces it so code that works on one works on all. */
const maxPayloadBytes = 8000;

/** The wire form of an event; throws `event-too-large` past 8000 bytes (events carry ids, not text). */
export function encodeEvent(event: LiveEvent): string {
  const payload = JSON.stringify(event);
  if (Buffer.byteLength(payload) > maxPayloadBytes) throw new CgError('event-too-large');
  return payload;
}

/**
 * The listeners of one instance, per channel; shared by the backends. A listener that throws is logged
 * and does not keep the event from the others.
 */
export class ChannelListeners {
  private readonly byChannel = new Map<string, Set<LiveListener>>();

  constructor(private readonly logger: Logger) {}

  /**
   * Adds `listener`; `attach` runs when the channel gets its first listener (it returns when events on the
   * channel reach this instance), `detach` when it loses its last.
   */
  subscribe(
    channel: string,
    listener: LiveListener,
    attach: () => Promise<void>,
    detach: () => void,
  ): Unsubscribe {
    let set = this.byChannel.get(channel);
    const first = set === undefined;
    if (!set) {
      set = new Set();
      this.byChannel.set(channel, set);
    }
    // A second subscription to the same listener function still gets its own entry.
    const entry: LiveListener = (event) => listener(event);
    set.add(entry);
    const ready = first ? attach() : Promise.resolve();
    let done = false;
    return Object.assign(
      () => {
        if (done) return;
        done = true;
        set.delete(entry);
        if (set.size === 0 && this.byChannel.get(channel) === set) {
          this.byChannel.delete(channel);
          detach();
        }
      },
      { ready },
    );
  }

  /** Calls the channel's listeners with `event`. */
  dispatch(channel: string, event: LiveEvent): void {
    for (const listener of [...(this.byChannel.get(channel) ?? [])]) {
      try {
        listener(event);
      } catch (e) {
        this.logger.error('live event listener failed', { channel, error: (e as Error).name });
      }
    }
  }

  /** The channels with listeners. */
  channels(): string[] {
    return [...this.byChannel.keys()];
  }

  has(channel: string): boolean {
    return this.byChannel.has(channel);
  }

  clear(): void {
    this.byChannel.clear();
  }
}
