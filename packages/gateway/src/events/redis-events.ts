import type { LiveEvents } from '@companion-guard/core';
import { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { ChannelListeners, encodeEvent, sharedLinger } from './channel-listeners.js';

export interface RedisEventsOptions {
  /** `redis://…` or `rediss://…`. */
  readonly url: string;
  /** Prepended to every channel name, so deployments sharing a Redis never hear each other. */
  readonly prefix: string;
  readonly logger: Logger;
  /** Reconnect backoff: first and longest delay in ms (default 200 and 5000). */
  readonly retryMs?: { readonly first: number; readonly max: number };
  /** The connections' name in `CLIENT LIST` (default `companion-guard-events`). */
  readonly name?: string;
  /**
   * Where an event goes while Redis is unreachable (the database's LISTEN/NOTIFY, which every instance also
   * listens to); without it the event reaches this instance only.
   */
  readonly fallback?: LiveEvents | undefined;
}

/**
 * Live events over Redis pub/sub: one subscriber connection and one publisher per instance. ioredis
 * reconnects with backoff and subscribes again; while Redis is unreachable the backend logs it and
 * delivers its own events locally, and a publish never waits for the reconnection.
 */
export async function createRedisEvents(options: RedisEventsOptions): Promise<LiveEvents> {
  const { logger, prefix } = options;
  const retry = options.retryMs ?? { first: 200, max: 5000 };
  const listeners = new ChannelListeners(logger, sharedLinger);
  const common = {
    lazyConnect: true,
    connectionName: options.name ?? 'companion-guard-events',
    retryStrategy: (attempt: number) => Math.min(retry.first * 2 ** (attempt - 1), retry.max),
  };
  // The subscriber queues subscriptions until it is connected; the publisher fails fast instead. Channels are
  // subscribed again after a reconnection here, not by ioredis: its own resubscription has no one to take
  // its failure (a close just then became an unhandled rejection).
  const subscriber = new Redis(options.url, {
    ...common,
    autoResubscribe: false,
    maxRetriesPerRequest: null,
  });
  /** The channels this instance is subscribed to (with their prefix). */
  const keys = new Set<string>();
  const subscribe = (...channels: string[]) =>
    subscriber.subscribe(...channels).then(
      () => true,
      (e: Error) => {
        if (!closed)
          logger.error('live events: Redis subscribe failed', { backend: 'redis', error: e.message });
        return false;
      },
    );
  subscriber.on('ready', () => {
    if (keys.size > 0) void subscribe(...keys);
  });
  // A publish caught by a dropped connection fails at once too (not resent on a reconnection that may be far
  // off), so the caller's fallback takes it.
  const publisher = new Redis(options.url, {
    ...common,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
  });
  let closed = false;
  for (const [role, connection] of [
    ['subscriber', subscriber],
    ['publisher', publisher],
  ] as const) {
    let down = false;
    connection.on('error', (e: Error) => {
      if (closed || down) return;
      down = true;
      logger.error('live events: Redis connection lost; reconnecting', {
        backend: 'redis',
        role,
        error: e.message,
      });
    });
    connection.on('ready', () => {
      if (!down) return;
      down = false;
      logger.info('live events: Redis connection restored', { backend: 'redis', role });
    });
  }
  subscriber.on('message', (key: string, payload: string) => {
    if (!key.startsWith(prefix)) return;
    try {
      listeners.dispatch(key.slice(prefix.length), JSON.parse(payload));
    } catch {
      logger.warn('live events: unreadable message dropped', { backend: 'redis' });
    }
  });
  try {
    await Promise.all([subscriber.connect(), publisher.connect()]);
  } catch (e) {
    subscriber.disconnect();
    publisher.disconnect();
    throw e;
  }

  return {
    async publish(channel, event) {
      const payload = encodeEvent(event);
      try {
        await publisher.publish(prefix + channel, payload);
        return;
      } catch (e) {
        if (closed) return;
        if (options.fallback) {
          logger.warn('live events: delivered through the database (Redis is unreachable)', {
            backend: 'redis',
            error: (e as Error).message,
          });
          await options.fallback.publish(channel, event);
          return;
        }
        logger.warn('live events: delivered on this instance only (Redis is unreachable)', {
          backend: 'redis',
          error: (e as Error).message,
        });
      }
      listeners.dispatch(channel, JSON.parse(payload));
    },
    subscribe(channel, listener) {
      const key = prefix + channel;
      return listeners.subscribe(
        channel,
        listener,
        () => {
          keys.add(key);
          return subscribe(key);
        },
        () => {
          keys.delete(key);
          subscriber.unsubscribe(key).catch(() => undefined);
        },
      );
    },
    async close() {
      closed = true;
      listeners.clear();
      // A connected one quits after the replies it waits for; one that is down is dropped.
      await Promise.all(
        [subscriber, publisher].map((c) =>
          c.status === 'ready' ? c.quit().catch(() => c.disconnect()) : c.disconnect(),
        ),
      );
    },
  };
}
