import {
  type AgeBand,
  addDays,
  CgError,
  type CounterDelta,
  firstHumanDeltas,
  firstTurnDeltas,
  incidentOpenedDeltas,
  localDay,
  newUserDeltas,
  turnDeltas,
  userAgeBand,
} from '@companion-guard/core';
import { type Kysely, sql } from 'kysely';
import type { Database } from './schema.js';
import type { SqlContext } from './sql-context.js';

/** What `companion-guard seed` writes (ASSESS-2 benchmarks and demos). */
export interface SeedPlan {
  /** Synthetic users to register. */
  readonly users: number;
  /** Of them, how many were active in the 30 days up to today (the monthly actives of today). */
  readonly active: number;
  /** Days of history, ending today. Default 120. */
  readonly days?: number;
  readonly now: number;
  /** Age from which a user is elderly (profile `elderly.ageFrom`). */
  readonly elderlyFrom: number;
  /** PRNG seed (same seed, same data). Default 1. */
  readonly seed?: number;
}

export interface SeedResult {
  readonly users: number;
  /** Users with a turn in the last 30 days. */
  readonly monthlyActive: number;
  readonly userDays: number;
  readonly turns: number;
  readonly incidents: number;
}

const batchUsers = 20_000;

/** mulberry32: fast, deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Region mix of a Chinese deployment with some users abroad: each region up to a cumulative share. */
const regions: readonly [string, number][] = [
  ['CN', 0.86],
  ['HK', 0.89],
  ['US-CA', 0.92],
  ['US-NY', 0.94],
  ['SG', 0.96],
];

/** Ages: about 7 % minors, 10 % elderly, 5 % never registered an age. */
function drawAge(random: () => number): number | null {
  const r = random();
  if (r < 0.05) return null;
  if (r < 0.07) return 10 + Math.floor(random() * 4);
  if (r < 0.09) return 14 + Math.floor(random() * 2);
  if (r < 0.12) return 16 + Math.floor(random() * 2);
  if (r < 0.22) return 60 + Math.floor(random() * 25);
  return 18 + Math.floor(random() * 42);
}

/**
 * Fills the store with synthetic users (age and region mix), their activity over recent months and a few
 * incidents, and the stats counters that activity makes — the same deltas the live transactions add, so the
 * aggregates stay consistent with the rows. No sessions or messages are written (no conversation content is
 * invented): turns and use exist only as counters. Users are written in multi-row batches, each batch with
 * its counters in one transaction (PostgreSQL: one `unnest` insert per batch). Calls `progress` per batch.
 * Throws `store-not-empty` when the store holds users already: fake users never mix with real ones.
 */
export async function seedSynthetic(
  ctx: SqlContext,
  plan: SeedPlan,
  progress: (done: number, total: number) => void,
): Promise<SeedResult> {
  if (await ctx.db.selectFrom('users').select('id').limit(1).executeTakeFirst()) {
    throw new CgError(
      'store-not-empty',
      'The store already holds users: synthetic users go only into a store without users. Name a new one with --store URL. 该存储中已有用户：合成用户只能写入没有用户的存储，请用 --store URL 指定一个新的存储。',
    );
  }
  const random = prng(plan.seed ?? 1);
  const days = plan.days ?? 120;
  const today = localDay(plan.now, ctx.timeZone);
  const first = addDays(today, -(days - 1));
  const tag = `${plan.now.toString(36)}-${Math.floor(random() * 1e9).toString(36)}`;
  const dayStartMs = (day: string) => Date.parse(`${day}T00:00:00Z`);
  const totals = { users: 0, monthlyActive: 0, userDays: 0, turns: 0, incidents: 0 };
  // Which users are the recent actives: spread evenly over the ids.
  const activeEvery = plan.active > 0 ? plan.users / plan.active : Number.POSITIVE_INFINITY;
  let nextActive = 0;
  progress(0, plan.users);
  for (let start = 0; start < plan.users; start += batchUsers) {
    const end = Math.min(plan.users, start + batchUsers);
    const users: Record<string, unknown>[] = [];
    const incidents: Record<string, unknown>[] = [];
    const deltas: CounterDelta[] = [];
    for (let i = start; i < end; i++) {
      const recent = i >= nextActive;
      if (recent) nextActive += activeEvery;
      // Registration: more users joined recently (a growing service); recent actives joined before today.
      const created = Math.min(days - 1, Math.floor(days * Math.sqrt(random())));
      const createdDay = addDays(first, created);
      const createdAt = dayStartMs(createdDay) + Math.floor(random() * 86_400_000);
      const age = drawAge(random);
      const birthDate =
        age === null ? null : localDay(plan.now - (age * 365.25 + 1 + random() * 360) * 86_400_000, null);
      const band: AgeBand = userAgeBand(
        { birthDate, declaredAge: null, timeZone: null, ageBand: 'unknown' },
        plan.now,
        plan.elderlyFrom,
      );
      const r = random();
      const region = regions.find(([, upTo]) => r < upTo)?.[0] ?? 'EU';
      deltas.push(...newUserDeltas(createdDay));
      // Active days: recent actives come back at a rate of their own and once at least in the last 30
      // days; the others were active a few times before the window, or never.
      const activeDays: string[] = [];
      if (recent) {
        const rate = 0.05 + random() * 0.5;
        for (let d = created; d < days; d++) if (random() < rate) activeDays.push(addDays(first, d));
        const windowStart = Math.max(created, days - 30);
        const last = activeDays.at(-1);
        if (!last || last < addDays(first, windowStart)) {
          activeDays.push(addDays(first, windowStart + Math.floor(random() * (days - windowStart))));
        }
      } else if (created < days - 30 && random() < 0.6) {
        const span = days - 30 - created;
        const k = 1 + Math.floor(random() * 4);
        const picked = new Set<number>();
        for (let j = 0; j < k; j++) picked.add(created + Math.floor(random() * span));
        for (const d of [...picked].sort((a, b) => a - b)) activeDays.push(addDays(first, d));
      }
      let previous: string | null = null;
      let previousBand: AgeBand | null = null;
      for (const day of activeDays) {
        const turns = 1 + Math.floor(random() * 12);
        deltas.push(...firstTurnDeltas(day, previous, band, previousBand));
        deltas.push({ day, name: 'turns', value: turns - 1 });
        deltas.push(...turnDeltas(day, (turns - 1) * (30_000 + Math.floor(random() * 150_000))));
        if (turns > 8) deltas.push({ day, name: 'reminders', value: 1 });
        if (random() < 0.3) deltas.push({ day, name: 'exits', value: 1 });
        totals.turns += turns;
        previous = day;
        previousBand = band;
        // About one user-day in 4000 brings a crisis; scams for minors and the elderly now and then.
        const crisis = random() < 0.00025;
        const scam = !crisis && (band === 'elderly' || band === 'under-14') && random() < 0.0002;
        if (crisis || scam) {
          const openedAt = dayStartMs(day) + Math.floor(random() * 80_000_000);
          const answerMs = 20_000 + Math.floor(random() * random() * 1_200_000);
          const severity = crisis ? 'critical' : 'high';
          const reason = crisis ? 'crisis' : 'scam';
          incidents.push({
            id: `syn-inc-${tag}-${i}-${day}`,
            userId: `syn-${tag}-${i}`,
            externalUserId: `synthetic-${tag}-${i}`,
            sessionId: null,
            characterId: null,
            severity,
            reason,
            state: 'closed',
            signals: '[]',
            ageBand: band,
            openedAt,
            updatedAt: openedAt + answerMs + 600_000,
            claimedAt: openedAt + Math.floor(answerMs / 2),
            claimedBy: 'synthetic-operator',
            escalatedAt: null,
            firstHumanMessageAt: openedAt + answerMs,
            contactNotifiedAt: null,
            handedBackAt: null,
            closedAt: openedAt + answerMs + 600_000,
            outcome: 'safe',
            version: 4,
            activeUserId: null,
          });
          deltas.push(...incidentOpenedDeltas(day, severity, reason));
          deltas.push(...firstHumanDeltas(day, answerMs));
        }
      }
      totals.userDays += activeDays.length;
      if (previous && previous > addDays(today, -30)) totals.monthlyActive++;
      users.push({
        id: `syn-${tag}-${i}`,
        externalId: `synthetic-${tag}-${i}`,
        locale: region === 'CN' || region === 'HK' ? 'zh' : 'en',
        ageBand: 'unknown',
        createdAt,
        birthDate,
        region,
        profileUpdatedAt: createdAt,
        lastActiveDay: previous,
        statsBand: previousBand,
      });
    }
    await ctx.transaction(async (trx) => {
      await insertUsers(ctx, trx, users);
      for (let k = 0; k < incidents.length; k += 500) {
        await trx
          .insertInto('incidents')
          .values(incidents.slice(k, k + 500) as never)
          .execute();
      }
      await ctx.addCounters(trx, deltas);
    });
    totals.users += users.length;
    totals.incidents += incidents.length;
    progress(end, plan.users);
  }
  return totals;
}

const userColumns = [
  ['id', 'text'],
  ['externalId', 'text'],
  ['locale', 'text'],
  ['ageBand', 'text'],
  ['createdAt', 'bigint'],
  ['birthDate', 'text'],
  ['region', 'text'],
  ['profileUpdatedAt', 'bigint'],
  ['lastActiveDay', 'text'],
  ['statsBand', 'text'],
] as const;

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** PostgreSQL: one `insert … select from unnest(arrays)` per batch; SQLite: multi-row inserts. */
async function insertUsers(
  ctx: SqlContext,
  trx: Kysely<Database>,
  rows: readonly Record<string, unknown>[],
): Promise<void> {
  if (ctx.dialect === 'postgres') {
    const columns = sql.join(userColumns.map(([c]) => sql.ref(snake(c))));
    const arrays = sql.join(
      userColumns.map(([c, type]) => sql`${rows.map((r) => r[c])}::${sql.raw(type)}[]`),
    );
    await sql`insert into users (${columns}) select * from unnest(${arrays})`.execute(trx);
    return;
  }
  for (let k = 0; k < rows.length; k += 1000) {
    await trx
      .insertInto('users')
      .values(rows.slice(k, k + 1000) as never)
      .execute();
  }
}
