import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDays, localDay, resolveProfile, type Store } from '@companion-guard/core';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describePostgres, useTestSchemas } from '../../test/postgres.js';
import { createStatsService } from '../server/stats/stats-service.js';
import { createStore } from '../storage/sql/create-store.js';
import { type CliIo, runCli } from './run-cli.js';

const profile = resolveProfile('cn-2026', { assessment: { registeredUsers: 2500, monthlyActiveUsers: 250 } });
const now = Date.UTC(2026, 10, 29, 12);
const today = localDay(now, profile.session.defaultTimeZone);

/** What the raw rows say, counted by SQL (the recount the aggregates must agree with). */
interface RawCounts {
  users: number;
  activeInWindow: number;
  incidents: number;
  minors: number;
  elderly: number;
}

async function checkSeeded(store: Store, raw: () => Promise<RawCounts>, users: number, active: number) {
  const stats = createStatsService({ store, profile, clock: { now: () => now } });
  const report = await stats.report({ from: addDays(today, -119), to: today });
  const counts = await raw();
  expect(counts.users).toBe(users);
  expect(report.totals.registeredUsers).toBe(counts.users);
  expect(report.totals.monthlyActiveUsers).toBe(counts.activeInWindow);
  expect(report.totals.monthlyActiveUsers).toBe(active);
  expect(report.totals.incidents.critical + report.totals.incidents.high).toBe(counts.incidents);
  expect(report.totals.firstHumanAnswer.count).toBe(counts.incidents);
  // The age structure holds minors and elderly users, all users once.
  const registered = report.ageStructure.registered;
  expect(Object.values(registered).reduce((a, b) => a + b, 0)).toBe(users);
  expect(registered['under-14'] + registered['14-15'] + registered['16-17']).toBeGreaterThan(0);
  expect(registered.elderly).toBeGreaterThan(0);
  expect(counts.minors).toBeGreaterThan(0);
  expect(counts.elderly).toBeGreaterThan(0);
  // Each day's actives by band add up to its actives; the window figure of the last day is today's.
  for (const day of report.days) {
    expect(Object.values(day.activeByAgeBand).reduce((a, b) => a + b, 0)).toBe(day.dailyActiveUsers);
  }
  expect(report.days.at(-1)?.monthlyActiveUsers).toBe(active);
  // The (small) thresholds are flagged, once.
  const fired = await stats.checkThresholds(now);
  expect(fired.map((f) => f.kind).sort()).toEqual(['monthly-active-users', 'registered-users']);
  expect(await stats.checkThresholds(now)).toEqual([]);
}

const windowStart = addDays(today, -29);
const rawSql = {
  users: 'select count(*) as n from users',
  active: `select count(*) as n from users where last_active_day >= '${windowStart}'`,
  incidents: 'select count(*) as n from incidents',
  minors: "select count(*) as n from users where birth_date > '2009-01-01'",
  elderly: "select count(*) as n from users where birth_date < '1966-11-01'",
};

describe('seed (SQLite)', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cg-seed-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('ASSESS-2: a seeded store’s aggregates agree with a recount of its rows; thresholds flagged once', async () => {
    const file = join(dir, 'seed.sqlite');
    const store = await createStore({ url: file, masterKey: randomBytes(32), timeZone: 'Asia/Shanghai' });
    try {
      const progress: number[] = [];
      const result = await store.seedSynthetic({ users: 3000, active: 300, now, elderlyFrom: 60 }, (done) =>
        progress.push(done),
      );
      expect(result).toMatchObject({ users: 3000, monthlyActive: 300 });
      expect(progress).toEqual([0, 3000]);
      const raw = async () => {
        const db = new BetterSqlite3(file, { readonly: true });
        try {
          const n = (q: string) => (db.prepare(q).get() as { n: number }).n;
          return {
            users: n(rawSql.users),
            activeInWindow: n(rawSql.active),
            incidents: n(rawSql.incidents),
            minors: n(rawSql.minors),
            elderly: n(rawSql.elderly),
          };
        } finally {
          db.close();
        }
      };
      await checkSeeded(store, raw, 3000, 300);
    } finally {
      await store.close();
    }
  });

  it('ASSESS-2: companion-guard seed fills the store named by --store, with progress on stderr', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      env: {},
      readStdin: async () => '',
    };
    const data = join(dir, 'data');
    expect(await runCli(['migrate', '--data', data], io)).toBe(0);
    const target = join(dir, 'other.sqlite');
    expect(
      await runCli(['seed', '--users', '1500', '--active', '100', '--data', data, '--store', target], io),
    ).toBe(0);
    expect(out.at(-1)).toMatch(/^seeded 1500 users \(100 monthly active\)/);
    expect(err.some((l) => l.startsWith('1500/1500 users'))).toBe(true);
    const db = new BetterSqlite3(target, { readonly: true });
    expect((db.prepare(rawSql.users).get() as { n: number }).n).toBe(1500);
    db.close();
    await expect(runCli(['seed', '--users', '0', '--data', data], io)).rejects.toMatchObject({
      code: 'invalid-request',
    });
  });

  it('ASSESS-2: companion-guard seed refuses a store that holds users already (store-not-empty), writing nothing', async () => {
    const io: CliIo = { out: () => {}, err: () => {}, env: {}, readStdin: async () => '' };
    const data = join(dir, 'live');
    expect(await runCli(['migrate', '--data', data], io)).toBe(0);
    const file = join(data, 'companion-guard.sqlite');
    // A store without users may be seeded; once it holds users, seeding it again (named by --store or not) is refused.
    expect(await runCli(['seed', '--users', '1000', '--active', '10', '--data', data], io)).toBe(0);
    for (const extra of [[], ['--store', file]]) {
      await expect(
        runCli(['seed', '--users', '1000', '--active', '10', '--data', data, ...extra], io),
      ).rejects.toMatchObject({ code: 'store-not-empty', message: expect.stringContaining('--store') });
    }
    const db = new BetterSqlite3(file, { readonly: true });
    expect((db.prepare(rawSql.users).get() as { n: number }).n).toBe(1000);
    db.close();
  });
});

describePostgres('seed (PostgreSQL)', () => {
  const schemas = useTestSchemas();

  it('ASSESS-2: a seeded store’s aggregates agree with a recount of its rows; thresholds flagged once', async () => {
    const { schema, url } = await schemas.create('cg_seed');
    const store = await createStore({ url, masterKey: randomBytes(32), timeZone: 'Asia/Shanghai' });
    try {
      const result = await store.seedSynthetic({ users: 3000, active: 300, now, elderlyFrom: 60 });
      expect(result).toMatchObject({ users: 3000, monthlyActive: 300 });
      const n = async (q: string) =>
        Number((await schemas.admin.query(q.replace(/ from (\w+)/, ` from ${schema}.$1`))).rows[0].n);
      const raw = async () => ({
        users: await n(rawSql.users),
        activeInWindow: await n(rawSql.active),
        incidents: await n(rawSql.incidents),
        minors: await n(rawSql.minors),
        elderly: await n(rawSql.elderly),
      });
      await checkSeeded(store, raw, 3000, 300);
    } finally {
      await store.close();
    }
  });
});
