import { randomUUID } from 'node:crypto';
import { CamelCasePlugin, Kysely, sql } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Logger, silentLogger } from '../../src/logger.js';
import { createApiKey } from '../../src/server/auth/api-keys.js';
import { createGuardianAuth, defaultGuardianSettings } from '../../src/server/auth/guardian-auth.js';
import {
  createMemoryLimitCounter,
  createRateLimits,
  defaultLimitSettings,
  type LimitCounter,
  withFallbackCounter,
} from '../../src/server/limits/rate-limits.js';
import { createStore, parseStoreUrl } from '../../src/storage/index.js';
import { createRedisLimitCounter } from '../../src/storage/redis-limit-counter.js';
import type { Database } from '../../src/storage/sql/schema.js';
import { SqlContext } from '../../src/storage/sql/sql-context.js';
import { createSqlDialect } from '../../src/storage/sql/sql-dialect.js';
import { SqlRateLimitStore } from '../../src/storage/sql/sql-rate-limit-store.js';
import { describePostgres, useTestSchemas } from '../postgres.js';
import { describeRedis, redisUrl } from '../redis.js';
import { createStaffTestApp, type StaffTestApp } from '../staff-app.js';
import { createTestApp, type TestApp } from './harness.js';

const turn = (user: string, text = 'hello there') => ({
  model: 'demo',
  user,
  messages: [{ role: 'user', content: text }],
});

describe('limits (issue #12): no one user or key starves the rest', () => {
  let t: TestApp;
  afterEach(() => t.close());

  it('a user past turnsPerUserPerMinute gets 429 rate-limited with Retry-After; others go on; the next window admits', async () => {
    t = await createTestApp({ limits: { turnsPerUserPerMinute: 3 } });
    t.clock.set(Date.UTC(2026, 9, 1, 8, 0, 20));
    for (let i = 0; i < 3; i++)
      expect((await t.post('/v1/chat/completions', turn('flood'))).status).toBe(200);
    const refused = await t.post('/v1/chat/completions', turn('flood'));
    expect(refused.status).toBe(429);
    // The minute window started 20 s ago: 40 s to go.
    expect(refused.headers.get('retry-after')).toBe('40');
    const body = (await refused.json()) as { error: { code: string; type: string; message: string } };
    expect(body.error).toMatchObject({ code: 'rate-limited', type: 'rate_limit_error' });
    expect(body.error.message).toMatch(/Too many requests/);
    expect(body.error.message).toMatch(/请求过于频繁/);
    // Nothing of the refused turn was stored or decided: no session for a second user is disturbed either.
    expect((await t.post('/v1/chat/completions', turn('calm'))).status).toBe(200);
    t.clock.advance(40_000);
    expect((await t.post('/v1/chat/completions', turn('flood'))).status).toBe(200);
  });

  it('new sessions per user per hour: POST /v1/sessions past the limit is 429, another user is unaffected', async () => {
    t = await createTestApp({ limits: { newSessionsPerUserPerHour: 5 } });
    t.clock.set(Date.UTC(2026, 9, 1, 8, 0, 0));
    const session = (user: string) =>
      t.post('/v1/sessions', { user, metadata: { character_id: 'xiaonuan' } });
    for (let i = 0; i < 5; i++) expect((await session('hoarder')).status).toBe(201);
    const refused = await session('hoarder');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('3600');
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('rate-limited');
    expect((await session('someone-else')).status).toBe(201);
  });

  it('a flooding API key gets 429 while another key is served', async () => {
    t = await createTestApp({ limits: { turnsPerKeyPerMinute: 4 } });
    t.clock.set(Date.UTC(2026, 9, 1, 8, 0, 0));
    const keyOf = async (label: string) => {
      const { secret } = await createApiKey(t.store, { label, now: t.clock.now(), by: 'test' });
      t.auth.apiKeysChanged();
      return { authorization: `Bearer ${secret}` };
    };
    const flooding = await keyOf('flooding app');
    const other = await keyOf('other app');
    // Different users each: only the key's limit applies.
    for (let i = 0; i < 4; i++) {
      expect((await t.post('/v1/chat/completions', turn(`u${i}`), { headers: flooding })).status).toBe(200);
    }
    expect((await t.post('/v1/chat/completions', turn('u9'), { headers: flooding })).status).toBe(429);
    expect((await t.post('/v1/chat/completions', turn('u9'), { headers: other })).status).toBe(200);
  });
});

describe('limits (issue #12): guardian sign-in', () => {
  let t: StaffTestApp;
  afterEach(() => t.close());

  it('MINOR-4: sign-in attempts per guardian contact are limited, right code or wrong; other contacts are not', async () => {
    t = await createStaffTestApp({ app: { limits: { guardianSignInsPerHour: 3 } } });
    t.clock.set(Date.UTC(2026, 9, 1, 8, 0, 0));
    await t.registerMinor('kid', 12, 'mum@example.com');
    await t.registerMinor('other-kid', 12, 'dad@example.com');
    const login = (contact: string, code: string) =>
      t.request('/api/guardian/login', { method: 'POST', body: JSON.stringify({ contact, code }) });
    const code = await t.guardianCode('mum@example.com');
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 3; i++) expect((await login('mum@example.com', wrong)).status).toBe(401);
    const refused = await login('mum@example.com', code);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('3600');
    expect(await refused.json()).toMatchObject({ code: 'rate-limited' });
    // Another guardian signs in meanwhile.
    expect((await login('dad@example.com', await t.guardianCode('dad@example.com'))).status).toBe(200);
    t.clock.advance(3_600_000);
    expect((await login('mum@example.com', await t.guardianCode('mum@example.com'))).status).toBe(200);
  });
});

/** Guardian sign-in on `t`'s store and clock, limited by a counter of the test's own (shared by its instances). */
function guardianAuthOver(t: StaffTestApp, counter: LimitCounter, logger: Logger = silentLogger) {
  const limits = createRateLimits({ counter, settings: defaultLimitSettings, clock: t.clock, logger });
  const instance = () =>
    createGuardianAuth({
      store: t.store,
      clock: t.clock,
      settings: defaultGuardianSettings,
      messenger: null,
      logger: silentLogger,
      limits,
    });
  return { limits, instance };
}

describe('limits (issue #12): a counter that fails', () => {
  let t: StaffTestApp;
  afterEach(() => t.close());

  it('MINOR-4: guardian sign-ins and code requests are refused (503 store-unavailable, no code tried); turns are admitted', async () => {
    t = await createStaffTestApp();
    t.clock.set(Date.UTC(2026, 9, 1, 8, 0, 0));
    const warnings: string[] = [];
    const logger: Logger = { ...silentLogger, warn: (message) => warnings.push(message) };
    const broken: LimitCounter = {
      backend: 'broken',
      hit: () => Promise.reject(new Error('connection refused')),
    };
    const { limits, instance } = guardianAuthOver(t, broken, logger);
    const auth = instance();
    const redeem = vi.spyOn(t.store.guardians, 'redeemCode');
    const lookups = vi.spyOn(t.store.guardians, 'linkedMinors');
    await expect(auth.login('mum@example.com', '123456')).rejects.toMatchObject({
      code: 'store-unavailable',
    });
    await expect(auth.requestCode('mum@example.com')).rejects.toMatchObject({ code: 'store-unavailable' });
    expect(redeem).not.toHaveBeenCalled();
    expect(lookups).not.toHaveBeenCalled();
    await expect(limits.admitTurn({ keyId: null, user: 'u1' })).resolves.toBeUndefined();
    await expect(limits.admitNewSession({ keyId: null, user: 'u1' })).resolves.toBeUndefined();
    expect(warnings).toEqual([
      'limits: the counter failed; request refused',
      'limits: the counter failed; request refused',
      'limits: the counter failed; request admitted',
      'limits: the counter failed; request admitted',
    ]);
  });
});

describe('limits (issue #12): guardian code requests', () => {
  let t: StaffTestApp;
  afterEach(() => t.close());

  it('MINOR-4: code requests per contact count in the shared limits: past codesPerHour on two instances together, no lookup', async () => {
    t = await createStaffTestApp();
    t.clock.set(Date.UTC(2026, 9, 1, 8, 0, 0));
    // Two instances sharing one counter (as with Redis or PostgreSQL).
    const { instance } = guardianAuthOver(t, createMemoryLimitCounter());
    const instances = [instance(), instance()];
    const lookups = vi.spyOn(t.store.guardians, 'linkedMinors');
    for (let i = 0; i < 10; i++) {
      await (await instances[i % 2]?.requestCode('mum@example.com'))?.delivered;
    }
    expect(lookups).toHaveBeenCalledTimes(defaultGuardianSettings.codesPerHour);
    // The next hour admits again; another contact was never limited.
    await (await instances[0]?.requestCode('dad@example.com'))?.delivered;
    t.clock.advance(3_600_000);
    await (await instances[1]?.requestCode('mum@example.com'))?.delivered;
    expect(lookups).toHaveBeenCalledTimes(defaultGuardianSettings.codesPerHour + 2);
  });
});

/** The same behaviour from every counter backend, and shared counts between two instances' counters. */
function counterContract(
  name: string,
  open: () => Promise<{ a: LimitCounter; b: LimitCounter; close(): Promise<void> }>,
) {
  describe(`${name} limit counter`, () => {
    it('counts every hit once, concurrently from two instances, per bucket', async () => {
      const { a, b, close } = await open();
      try {
        const key = `test:${randomUUID()}`;
        const other = `test:${randomUUID()}`;
        const counts = await Promise.all(
          Array.from({ length: 40 }, (_, i) =>
            (i % 2 ? a : b).hit([
              { key, windowMs: 60_000 },
              { key: other, windowMs: 3_600_000 },
            ]),
          ),
        );
        expect(counts.map((c) => c[0]).sort((x = 0, y = 0) => x - y)).toEqual(
          Array.from({ length: 40 }, (_, i) => i + 1),
        );
        expect(counts.map((c) => c[1]).sort((x = 0, y = 0) => x - y)).toEqual(
          Array.from({ length: 40 }, (_, i) => i + 1),
        );
        expect(await a.hit([{ key: `test:${randomUUID()}`, windowMs: 1000 }])).toEqual([1]);
      } finally {
        await close();
      }
    });
  });
}

counterContract('memory', async () => {
  const counter = createMemoryLimitCounter();
  return { a: counter, b: counter, close: async () => undefined };
});

describeRedis('Redis limit counter', () => {
  counterContract('redis', async () => {
    const prefix = `scale-test:${randomUUID()}:`;
    const a = createRedisLimitCounter({ url: redisUrl ?? '', prefix });
    const b = createRedisLimitCounter({ url: redisUrl ?? '', prefix });
    await Promise.all([a.ready(), b.ready()]);
    return { a, b, close: async () => void (await Promise.all([a.close(), b.close()])) };
  });
});

describePostgres('PostgreSQL limit counter (migration 0016)', () => {
  const schemas = useTestSchemas();
  counterContract('database', async () => {
    const { url } = await schemas.create('limits');
    const masterKey = Buffer.alloc(32, 7);
    const one = await createStore({ url, masterKey });
    const two = await createStore({ url, masterKey });
    return {
      a: one.rateLimits,
      b: two.rateLimits,
      close: async () => void (await Promise.all([one.close(), two.close()])),
    };
  });

  it('commits its hits asynchronously without leaving the connection so: the turns commit durably on it', async () => {
    const { url } = await schemas.create('limits_sync');
    await (await createStore({ url, masterKey: Buffer.alloc(32, 7) })).close();
    // One connection, so the query after the hit runs on the connection the hit used.
    const db = new Kysely<Database>({
      dialect: createSqlDialect(parseStoreUrl(url), { postgresPoolSize: 1 }),
      plugins: [new CamelCasePlugin()],
    });
    try {
      const ctx = new SqlContext({
        db,
        dialect: 'postgres',
        masterKey: Buffer.alloc(32, 7),
        indexKeys: { guardian: Buffer.alloc(32), notifyTarget: Buffer.alloc(32) },
      });
      const counter = new SqlRateLimitStore(ctx);
      const buckets = [
        { key: 'a', windowMs: 60_000 },
        { key: 'b', windowMs: 60_000 },
      ];
      expect(await counter.hit(buckets)).toEqual([1, 1]);
      expect(await counter.hit(buckets)).toEqual([2, 2]);
      const shown = await sql<{ synchronousCommit: string }>`show synchronous_commit`.execute(db);
      expect(shown.rows).toEqual([{ synchronousCommit: 'on' }]);
    } finally {
      await db.destroy();
    }
  });
});

describe('Redis down', () => {
  it('falls back to the other counter with one warning (the way back: e2e/faults-redis.test.ts)', async () => {
    const warnings: string[] = [];
    const logger: Logger = { ...silentLogger, warn: (message) => void warnings.push(message) };
    // Nothing listens on port 1: every command fails at once (no offline queue).
    const dead = createRedisLimitCounter({ url: 'redis://127.0.0.1:1', prefix: 'scale-test:' });
    const fallback = createMemoryLimitCounter();
    const counter = withFallbackCounter(dead, fallback, logger);
    try {
      expect(await counter.hit([{ key: 'k', windowMs: 1000 }])).toEqual([1]);
      expect(await counter.hit([{ key: 'k', windowMs: 1000 }])).toEqual([2]);
      expect(counter.backend).toBe('memory');
      expect(warnings).toEqual(['limits: primary backend unreachable; counting in the fallback']);
    } finally {
      await dead.close();
    }
  });
});
