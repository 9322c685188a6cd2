import { createHash, randomBytes } from 'node:crypto';
import { createFakeClock } from '@companion-guard/core/testing';
import { expect, it } from 'vitest';
import { createLiveEvents } from '../../src/events/create-live-events.js';
import { silentLogger } from '../../src/logger.js';
import { describePostgres, useTestSchemas } from '../postgres.js';
import { describeRedis, redisUrl } from '../redis.js';
import { startTcpProxy } from '../tcp-proxy.js';
import { type Harness, startHarness } from './helpers.js';

/**
 * Redis stopping under traffic. The shared Redis may not be stopped (other test files use it), so a TCP
 * proxy stands in front of it for these instances; cutting it is what they see of Redis going down.
 */
describeRedis('faults: Redis goes away and comes back', () => {
  describePostgres('(with PostgreSQL as the store)', () => {
    const schemas = useTestSchemas();

    it('live events and the rate limits degrade to PostgreSQL, turns are still served, and Redis is used again after', async () => {
      const { url, schema } = await schemas.create('cg_faults_redis');
      const target = new URL(redisUrl ?? '');
      const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
      const viaProxy = `redis://127.0.0.1:${proxy.port}`;
      const config = {
        redis: { url: viaProxy, prefix: `faults:${randomBytes(4).toString('hex')}:` },
        databaseUrl: url,
      };
      // Two instances' live events, and one gateway serving turns, all on the proxied Redis.
      const a = await createLiveEvents(config, silentLogger);
      const b = await createLiveEvents(config, silentLogger);
      const h: Harness = await startHarness({
        env: { COMPANION_GUARD_DATABASE_URL: url, COMPANION_GUARD_REDIS_URL: viaProxy },
        config: { redis: { prefix: config.redis.prefix }, limits: { turnsPerUserPerMinute: 2 } },
        clock: createFakeClock(), // stopped: the three turns below fall in one limit window
      });
      const send = (user: string) =>
        fetch(`${h.server.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'demo', user, messages: [{ role: 'user', content: 'hi' }] }),
        });
      /** The hits the database counted for the user's turns (the counters hold a digest of the id, never the id). */
      const databaseHits = async (user: string) => {
        const digest = createHash('sha256').update(user).digest('base64url').slice(0, 22);
        const { rows } = await schemas.admin.query<{ hits: number }>(
          `select hits from ${schema}.rate_limits where bucket like $1`,
          [`turn:u:${digest}:%`],
        );
        return rows.map((r) => Number(r.hits));
      };
      const heard: unknown[] = [];
      const unsubscribe = b.events.subscribe('session:faults', (e) => heard.push(e));
      try {
        expect(a.backend).toBe('redis');
        await unsubscribe.ready;
        await a.events.publish('session:faults', { type: 'before' });
        await expect.poll(() => heard).toEqual([{ type: 'before' }]);

        proxy.cut();
        // A publish during the outage reaches the other instance (through the database), exactly once.
        await a.events.publish('session:faults', { type: 'during' });
        await expect.poll(() => heard).toEqual([{ type: 'before' }, { type: 'during' }]);
        const turn = await h.client.chat.completions.create({
          model: 'demo',
          user: 'redis-fault',
          messages: [{ role: 'user', content: 'are you still there?' }],
        });
        expect(turn.choices[0]?.message.content).toBeTruthy();
        // The limits count in PostgreSQL meanwhile: a user's third turn in the minute is refused on that count.
        expect((await send('redis-limited')).status).toBe(200);
        expect((await send('redis-limited')).status).toBe(200);
        const refused = await send('redis-limited');
        expect(refused.status).toBe(429);
        expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(await databaseHits('redis-limited')).toEqual([3]);

        const before = proxy.accepted;
        proxy.restore();
        // ioredis reconnects by itself (backoff up to 5 s); then events go through Redis again, once each.
        await expect.poll(() => proxy.accepted, { timeout: 15_000 }).toBeGreaterThanOrEqual(before + 2);
        await expect
          .poll(
            async () => {
              await a.events.publish('session:faults', { type: 'after' });
              return heard.some((e) => (e as { type: string }).type === 'after');
            },
            { timeout: 15_000, interval: 200 },
          )
          .toBe(true);
        expect(heard.slice(0, 3)).toEqual([{ type: 'before' }, { type: 'during' }, { type: 'after' }]);
        // And the limits count in Redis again: a new user's turn leaves no count in the database.
        let n = 0;
        await expect
          .poll(
            async () => {
              const user = `redis-back-${n++}`;
              expect((await send(user)).status).toBe(200);
              return databaseHits(user);
            },
            { timeout: 15_000, interval: 200 },
          )
          .toEqual([]);
      } finally {
        unsubscribe();
        await Promise.all([a.events.close(), b.events.close(), h.stop()]);
        await proxy.close();
      }
    }, 40_000);
  });
});
