import { Redis } from 'ioredis';

/**
 * INCR every key and give a new one its expiry, in one script: atomic on the Redis server, one round trip
 * for all the buckets of a request. ARGV[i] is the expiry of KEYS[i] in ms.
 */
const hitScript = `local counts = {}
for i, key in ipairs(KEYS) do
  local n = redis.call('INCR', key)
  if n == 1 then redis.call('PEXPIRE', key, ARGV[i]) end
  counts[i] = n
end
return counts`;

export interface RedisLimitCounterOptions {
  readonly url: string;
  /** Prepended to every key (the deployment's `redis.prefix`), then `limits:`. */
  readonly prefix: string;
  /** A command that takes longer fails (and the caller falls back). Default 250 ms. */
  readonly commandTimeoutMs?: number;
}

/**
 * Rate-limit counters in Redis, shared by every instance using it (`LimitCounter` of `server/limits`).
 * Keys live for their window plus a minute. It never waits for Redis: while disconnected, `hit` fails at
 * once (no offline queue) and ioredis reconnects in the background.
 */
export function createRedisLimitCounter(options: RedisLimitCounterOptions) {
  const redis = new Redis(options.url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeoutMs ?? 250,
    connectionName: 'companion-guard-limits',
    retryStrategy: (attempt: number) => Math.min(200 * 2 ** (attempt - 1), 5000),
  });
  // Errors surface through `hit` (the caller logs the fallback); without a listener ioredis would print them.
  redis.on('error', () => undefined);
  // ioredis sends the script by its SHA-1 and loads it on a NOSCRIPT answer; the key count is the first argument.
  redis.defineCommand('cgLimitHit', { lua: hitScript });
  const hitCommand = (redis as unknown as Record<string, (...args: (string | number)[]) => Promise<unknown>>)
    .cgLimitHit;
  const connected = redis.connect();
  connected.catch(() => undefined);
  const prefix = `${options.prefix}limits:`;
  return {
    backend: 'redis',
    async hit(buckets: readonly { key: string; windowMs: number }[]): Promise<readonly number[]> {
      const keys = buckets.map((b) => prefix + b.key);
      const ttls = buckets.map((b) => String(b.windowMs + 60_000));
      const result = await hitCommand?.call(redis, keys.length, ...keys, ...ttls);
      return (result as unknown[]).map(Number);
    },
    /** Resolves once the first connection is up; rejects when it failed (reconnection goes on). */
    ready: (): Promise<void> => connected,
    async close(): Promise<void> {
      redis.disconnect();
    },
  };
}
