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
 * How long a channel that lost its last listener stays attached, and at most how many such channels. A
 * chat subscribes to its session's channel for every reply, so a user's next turn finds it still attached
 * (no LISTEN/UNLISTEN or SUBSCRIBE/UNSUBSCRIBE round trip per turn).
 */
export interface Linger {
  readonly ms: number;
  readonly max: number;
}

/** For the shared backends: a minute, at most 1000 channels. */
export const sharedLinger: Linger = { ms: 60_000, max: 1000 };

/**
 * The listeners of one instance, per channel; shared by the backends. A listener that throws is logged
 * and does not keep the event from the others.
 */
export class ChannelListeners {
  private readonly byChannel = new Map<string, Set<LiveListener>>();
  /** Per channel: settles once events on it reach this instance (the first subscription's attach). */
  private readonly attached = new Map<string, Promise<void>>();
  /** Per attached channel: its detach. */
  private readonly detachers = new Map<string, () => void>();
  /** Attached channels with no listener: since when, oldest first. */
  private readonly idle = new Map<string, number>();
  /** Channels whose attach failed: they never linger, so the next subscription attaches again. */
  private readonly failed = new Set<string>();

  constructor(
    private readonly logger: Logger,
    private readonly linger: Linger = { ms: 0, max: 0 },
  ) {}

  /**
   * Adds `listener`; `attach` runs when the channel gets its first listener (it returns when events on the
   * channel reach this instance; `false` when it could not attach), `detach` once it has had none for the
   * linger time (or more channels wait; at once when its attach failed).
   */
  subscribe(
    channel: string,
    listener: LiveListener,
    attach: () => Promise<unknown>,
    detach: () => void,
  ): Unsubscribe {
    const now = Date.now();
    this.detachIdle(now);
    let set = this.byChannel.get(channel);
    if (!set) {
      set = new Set();
      this.byChannel.set(channel, set);
      this.detachers.set(channel, detach);
      this.failed.delete(channel);
      const attaching: Promise<void> = attach().then((ok) => {
        if (ok !== false || this.attached.get(channel) !== attaching) return;
        this.failed.add(channel);
        if (this.idle.has(channel)) this.drop(channel);
      });
      this.attached.set(channel, attaching);
    }
    this.idle.delete(channel);
    // A second subscription to the same listener function still gets its own entry.
    const entry: LiveListener = (event) => listener(event);
    set.add(entry);
    const ready = this.attached.get(channel) ?? Promise.resolve();
    let done = false;
    return Object.assign(
      () => {
        if (done) return;
        done = true;
        set.delete(entry);
        if (set.size === 0 && this.byChannel.get(channel) === set) {
          if (this.failed.has(channel)) this.drop(channel);
          else {
            this.idle.set(channel, Date.now());
            this.detachIdle(Date.now());
          }
        }
      },
      { ready },
    );
  }

  /** Detaches the idle channels past the linger time, and the oldest past the linger count. */
  private detachIdle(now: number): void {
    for (const [channel, since] of this.idle) {
      if (this.idle.size <= this.linger.max && now - since < this.linger.ms) return;
      this.drop(channel);
    }
  }

  /** Detaches the channel (it has no listener). */
  private drop(channel: string): void {
    this.idle.delete(channel);
    this.failed.delete(channel);
    this.byChannel.delete(channel);
    this.attached.delete(channel);
    const detach = this.detachers.get(channel);
    this.detachers.delete(channel);
    detach?.();
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

  clear(): void {
    this.byChannel.clear();
    this.attached.clear();
    this.detachers.clear();
    this.idle.clear();
    this.failed.clear();
  }
}
