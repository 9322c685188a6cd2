import { randomBytes } from 'node:crypto';
import type { LiveEvents } from '@companion-guard/core';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { adminPool, createTestSchema, databaseUrl, describePostgres } from '../../test/postgres.js';
import { describeRedis, redisUrl } from '../../test/redis.js';
import { createLogger, silentLogger } from '../logger.js';
import type { LiveEvent } from './channel-listeners.js';
import { createLiveEvents } from './create-live-events.js';
import { createInProcessEvents } from './in-process-events.js';
import { createPostgresEvents } from './postgres-events.js';
import { createRedisEvents } from './redis-events.js';

/** Collects a channel's events; `next(n)` waits (bounded) until n have arrived. */
function collect(events: LiveEvents, channel: string) {
  const got: LiveEvent[] = [];
  const waiters: (() => void)[] = [];
  const off = events.subscribe(channel, (e) => {
    got.push(e);
    for (const w of waiters.splice(0)) w();
  });
  return {
    got,
    off,
    ready: off.ready,
    async next(n: number, timeoutMs = 3000): Promise<LiveEvent[]> {
      const deadline = Date.now() + timeoutMs;
      while (got.length < n) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`expected ${n} events on ${channel}, got ${got.length}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, left);
        });
      }
      return got.slice(0, n);
    },
  };
}

/** Lets in-flight deliveries land (used only to show that something did NOT arrive). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 150));

/** Short reconnect delays, so the connection-loss tests recover quickly. */
const fast = { first: 50, max: 200 };

/** `a` publishes and hears its own event; `b` (another deployment) hears nothing. Closes both. */
async function expectApart(a: LiveEvents, b: LiveEvents): Promise<void> {
  try {
    const onA = collect(a, 'incidents');
    const onB = collect(b, 'incidents');
    await Promise.all([onA.ready, onB.ready]);
    await a.publish('incidents', { type: 'incident-opened' });
    await onA.next(1);
    await settle();
    expect(onB.got).toEqual([]);
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
}

/** Two instances sharing one medium; `kill` drops the first instance's connection from the server side. */
interface Pair {
  a: LiveEvents;
  b: LiveEvents;
  kill?: () => Promise<void>;
}

/** The conformance suite every backend passes. */
function conformance(makePair: () => Promise<Pair>, shared = true) {
  const open: Pair[] = [];
  const pair = async () => {
    const p = await makePair();
    open.push(p);
    return p;
  };
  afterEach(async () => {
    for (const p of open.splice(0)) await Promise.all([p.a.close(), p.b.close()]);
  });

  it('an event published on one instance reaches the subscribers on every instance, itself included', async () => {
    const { a, b } = await pair();
    const onA = collect(a, 'incidents');
    const onB = collect(b, 'incidents');
    const other = collect(b, 'session:6b1f0c3e-0000-4000-8000-000000000001');
    await Promise.all([onA.ready, onB.ready, other.ready]);
    const event = { type: 'incident-opened', incident_id: 'inc-1', at: '2026-01-01T00:00:00.000Z' };
    await a.publish('incidents', event);
    expect(await onB.next(1)).toEqual([event]);
    expect(await onA.next(1)).toEqual([event]);
    await settle();
    expect(other.got).toEqual([]);
  });

  it('keeps one publisher’s order, events not awaited one by one included', async () => {
    const { a, b } = await pair();
    const onB = collect(b, 'session:s-1');
    await onB.ready;
    await Promise.all(Array.from({ length: 40 }, (_, i) => a.publish('session:s-1', { type: 'n', i })));
    expect((await onB.next(40)).map((e) => e.i)).toEqual(Array.from({ length: 40 }, (_, i) => i));
  });

  it('unsubscribing stops that listener only; the channel still serves the others', async () => {
    const { a, b } = await pair();
    const first = collect(b, 'incidents');
    const second = collect(b, 'incidents');
    await Promise.all([first.ready, second.ready]);
    first.off();
    first.off(); // twice is harmless
    await a.publish('incidents', { type: 'incident-claimed', incident_id: 'x' });
    expect(await second.next(1)).toHaveLength(1);
    second.off();
    await a.publish('incidents', { type: 'incident-closed', incident_id: 'x' });
    const again = collect(b, 'incidents');
    await again.ready;
    await a.publish('incidents', { type: 'incident-note', incident_id: 'x' });
    // A subscriber may still hear an event published just before it subscribed (at most once, in order).
    await expect.poll(() => again.got.map((e) => e.type).at(-1), { timeout: 3000 }).toBe('incident-note');
    await settle();
    expect(first.got).toEqual([]);
    expect(second.got.map((e) => e.type)).toEqual(['incident-claimed']);
  });

  it('a later subscription to a channel is ready only once the channel is', async () => {
    const { a, b } = await pair();
    const first = collect(b, 'session:s-2');
    let firstReady = false;
    void first.ready.then(() => {
      firstReady = true;
    });
    const second = collect(b, 'session:s-2');
    await second.ready;
    expect(firstReady).toBe(true);
    await a.publish('session:s-2', { type: 'session-exit' });
    expect(await second.next(1)).toEqual([{ type: 'session-exit' }]);
  });

  it('a listener that throws does not keep the event from the others', async () => {
    const { a, b } = await pair();
    const boom = b.subscribe('incidents', () => {
      throw new Error('listener bug');
    });
    const fine = collect(b, 'incidents');
    await Promise.all([boom.ready, fine.ready]);
    await a.publish('incidents', { type: 'incident-opened', incident_id: 'y' });
    expect(await fine.next(1)).toHaveLength(1);
  });

  it('refuses an event over 8000 bytes with event-too-large (events carry ids, never text)', async () => {
    const { a } = await pair();
    await expect(a.publish('incidents', { type: 'x', pad: 'x'.repeat(8000) })).rejects.toMatchObject({
      code: 'event-too-large',
    });
  });

  it('a closed instance hears nothing more and its close resolves', async () => {
    const { a, b } = await pair();
    const onA = collect(a, 'incidents');
    await onA.ready;
    await a.close();
    await b.publish('incidents', { type: 'incident-opened', incident_id: 'z' });
    await settle();
    expect(onA.got).toEqual([]);
  });

  // One process has no connection to lose.
  if (shared)
    it('recovers after its connection is dropped: it listens again and delivers across instances', async () => {
      const p = await pair();
      if (!p.kill) throw new Error('a shared backend must say how to drop its connection');
      const onA = collect(p.a, 'incidents');
      await onA.ready;
      await p.kill();
      // Until the connection is back, A's own events still reach A; once it is back, B's reach A too.
      const deadline = Date.now() + 10_000;
      let n = 0;
      while (onA.got.every((e) => e.from !== 'b') && Date.now() < deadline) {
        await p.b.publish('incidents', { type: 'ping', from: 'b', n: n++ });
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(onA.got.some((e) => e.from === 'b')).toBe(true);
      await p.a.publish('incidents', { type: 'ping', from: 'a' });
      const onB = collect(p.b, 'incidents');
      await onB.ready;
      await p.a.publish('incidents', { type: 'ping', from: 'a', last: true });
      expect((await onB.next(1))[0]).toMatchObject({ from: 'a', last: true });
    });
}

describe('live events: in-process (one instance)', () => {
  conformance(async () => {
    const events = createInProcessEvents();
    return { a: events, b: events };
  }, false);
});

describePostgres('live events: PostgreSQL LISTEN/NOTIFY', () => {
  it('is chosen on a PostgreSQL store without Redis', async () => {
    const { events, backend } = await createLiveEvents(
      { databaseUrl: databaseUrl ?? '', redis: { url: null, prefix: 'cg:' } },
      silentLogger,
    );
    expect(backend).toBe('postgres');
    await events.close();
  });
  const admin = adminPool();
  afterAll(async () => {
    await admin.end();
  });

  conformance(async () => {
    const { url } = await createTestSchema(admin, 'cg_events');
    const name = `cg-events-test-${randomBytes(4).toString('hex')}`;
    const a = await createPostgresEvents({ url, logger: silentLogger, retryMs: fast, name });
    const b = await createPostgresEvents({ url, logger: silentLogger, retryMs: fast });
    const kill = async () => {
      const r = await admin.query(
        'select pg_terminate_backend(pid) as killed from pg_stat_activity where application_name = $1',
        [name],
      );
      expect(r.rows).toEqual([{ killed: true }]);
    };
    return { a, b, kill };
  });

  it('instances in other schemas of the same database do not hear each other', async () => {
    const one = await createTestSchema(admin, 'cg_events');
    const two = await createTestSchema(admin, 'cg_events');
    const a = await createPostgresEvents({ url: one.url, logger: silentLogger });
    const b = await createPostgresEvents({ url: two.url, logger: silentLogger });
    await expectApart(a, b);
  });

  it('logs the loss of its connection loudly and its recovery', async () => {
    const { url } = await createTestSchema(admin, 'cg_events');
    const lines: { level: string; msg: string }[] = [];
    const logger = createLogger({ level: 'info', write: (l) => lines.push(JSON.parse(l)) });
    const name = `cg-events-test-${randomBytes(4).toString('hex')}`;
    const a = await createPostgresEvents({ url, logger, retryMs: fast, name });
    try {
      await admin.query(
        'select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1',
        [name],
      );
      await expect
        .poll(() => lines.map((l) => `${l.level} ${l.msg}`), { timeout: 5000 })
        .toEqual(
          expect.arrayContaining([
            expect.stringMatching(/^error live events: PostgreSQL connection lost/),
            'info live events: PostgreSQL connection restored',
          ]),
        );
    } finally {
      await a.close();
    }
  });
});

describeRedis('live events: Redis pub/sub', () => {
  it('is chosen whenever a Redis URL is set, on any store', async () => {
    const { events, backend } = await createLiveEvents(
      { databaseUrl: 'sqlite::memory:', redis: { url: redisUrl ?? '', prefix: 'cg:' } },
      silentLogger,
    );
    expect(backend).toBe('redis');
    await events.close();
  });
  const admin = new Redis(redisUrl ?? '', { lazyConnect: true });
  afterAll(() => admin.disconnect());

  conformance(async () => {
    // A fresh prefix per pair: parallel runs on the same Redis keep apart.
    const prefix = `cg-test-${randomBytes(4).toString('hex')}:`;
    const name = `cg-events-test-${randomBytes(4).toString('hex')}`;
    const url = redisUrl ?? '';
    const a = await createRedisEvents({ url, prefix, logger: silentLogger, retryMs: fast, name });
    const b = await createRedisEvents({ url, prefix, logger: silentLogger, retryMs: fast });
    const kill = async () => {
      const list = String(await admin.client('LIST'));
      const ids = [...list.matchAll(/^id=(\d+) .*name=(\S+)/gm)]
        .filter((m) => m[2] === name)
        .map((m) => m[1]);
      expect(ids).toHaveLength(2); // the subscriber and the publisher
      for (const id of ids) await admin.client('KILL', 'ID', id ?? '');
    };
    return { a, b, kill };
  });

  it('deployments with another prefix on the same Redis do not hear each other', async () => {
    const url = redisUrl ?? '';
    const a = await createRedisEvents({
      url,
      prefix: `cg-a-${randomBytes(4).toString('hex')}:`,
      logger: silentLogger,
    });
    const b = await createRedisEvents({
      url,
      prefix: `cg-b-${randomBytes(4).toString('hex')}:`,
      logger: silentLogger,
    });
    await expectApart(a, b);
  });
});

describe('the choice of backend', () => {
  it('in-process on SQLite without Redis', async () => {
    const { events, backend } = await createLiveEvents(
      { databaseUrl: 'sqlite::memory:', redis: { url: null, prefix: 'cg:' } },
      silentLogger,
    );
    expect(backend).toBe('in-process');
    await events.close();
  });
});
