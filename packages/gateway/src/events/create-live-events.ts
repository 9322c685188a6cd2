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
 */
export async function createLiveEvents(
  config: Pick<GatewayConfig, 'redis' | 'databaseUrl'>,
  logger: Logger,
): Promise<{ events: LiveEvents; backend: LiveEventsBackend }> {
  if (config.redis.url !== null) {
    const events = await createRedisEvents({ url: config.redis.url, prefix: config.redis.prefix, logger });
    return { events, backend: 'redis' };
  }
  if (parseStoreUrl(config.databaseUrl).dialect === 'postgres') {
    return { events: await createPostgresEvents({ url: config.databaseUrl, logger }), backend: 'postgres' };
  }
  return { events: createInProcessEvents(logger), backend: 'in-process' };
}
