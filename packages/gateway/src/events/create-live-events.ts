import type { LiveEvents } from '@companion-guard/core';
import type { GatewayConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { parseStoreUrl } from '../storage/index.js';
import { createInProcessEvents } from './in-process-events.js';
import { createPostgresEvents } from './postgres-events.js';
import { createRedisEvents } from './redis-events.js';

export type LiveEventsBackend = 'redis' | 'postgres' | 'in-process';

/**
 * The live events for this deployment: Redis pub/sub when a Redis URL is configured, else PostgreSQL
 * `LISTEN/NOTIFY` when the store is PostgreSQL (instances share it), else in-process (SQLite: one instance).
 * With both Redis and PostgreSQL, an event is published once (on Redis, or on PostgreSQL while Redis is
 * unreachable) and every instance listens to both, so a Redis outage degrades to the database path.
 */
export async function createLiveEvents(
  config: Pick<GatewayConfig, 'redis' | 'databaseUrl'>,
  logger: Logger,
): Promise<{ events: LiveEvents; backend: LiveEventsBackend }> {
  const postgres = parseStoreUrl(config.databaseUrl).dialect === 'postgres';
  if (config.redis.url !== null) {
    // On PostgreSQL, LISTEN/NOTIFY stands by: events go through it while Redis is unreachable.
    const standby = postgres ? await createPostgresEvents({ url: config.databaseUrl, logger }) : undefined;
    const redis = await createRedisEvents({
      url: config.redis.url,
      prefix: config.redis.prefix,
      logger,
      fallback: standby,
    });
    return { events: standby ? listenToBoth(redis, standby) : redis, backend: 'redis' };
  }
  if (postgres) {
    return { events: await createPostgresEvents({ url: config.databaseUrl, logger }), backend: 'postgres' };
  }
  return { events: createInProcessEvents(logger), backend: 'in-process' };
}

/** Publishes on `primary` (which falls back itself) and subscribes to both; ready once either listens. */
function listenToBoth(primary: LiveEvents, standby: LiveEvents): LiveEvents {
  return {
    publish: (channel, event) => primary.publish(channel, event),
    subscribe(channel, listener) {
      const both = [primary.subscribe(channel, listener), standby.subscribe(channel, listener)];
      const unsubscribe = () => {
        for (const u of both) u();
      };
      return Object.assign(unsubscribe, { ready: Promise.any(both.map((u) => u.ready)) });
    },
    async close() {
      await Promise.all([primary.close(), standby.close()]);
    },
  };
}
