/**
 * Pure parts of the usage statistics (ASSESS-1, ASSESS-2): the counter names the stores add to, day
 * arithmetic, what one event adds, and the `StatsReport` built from the counters. See `stats-store.ts` for
 * how monthly actives stay exact.
 */
import type { IncidentReason, IncidentSeverity } from '../incident/incident.js';
import type { AgeBand } from '../ports.js';
import { ageBands, type StatsReport, type StatsTotals } from './stats-report.js';
import type {
  AgeBandCounts,
  AssessmentTrigger,
  FirstHumanAnswer,
  IncidentCounts,
  StatsCounters,
  StatsDay,
} from './stats-store.js';

/** Days in the monthly-active window. Fixed: the counters written on each day depend on it. */
export const activeWindowDays = 30;

/** The `day` of counters that are not per day (registered users by age band). */
export const allTimeDay = '*';

/** Names of the per-day counters (`stats_counters.name`). */
export const statsCounter = {
  newUsers: 'users:new',
  active: 'active',
  mauIn: 'mau:in',
  mauOut: 'mau:out',
  activeBand: (band: AgeBand) => `active:${band}`,
  registeredBand: (band: AgeBand) => `band:${band}`,
  turns: 'turns',
  usageMs: 'usage:ms',
  reminders: 'reminders',
  exits: 'exits',
  incidents: (severity: IncidentSeverity) => `incidents:${severity}`,
  incidentReason: (reason: IncidentReason) => `incidents:reason:${reason}`,
  escalated: 'incidents:escalated',
  humanCount: 'human:count',
  humanMs: 'human:ms',
  humanWithin: (limit: '1m' | '5m' | '15m' | '60m') => `human:${limit}`,
  notificationFailures: 'notify:failed',
} as const;

/** One addition to a counter. */
export interface CounterDelta {
  readonly day: string;
  readonly name: string;
  readonly value: number;
}

const DAY_MS = 86_400_000;

/** The `YYYY-MM-DD` day `n` days after `day` (before, when negative). */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `a` to `b`. */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
}

/** Counters a user's turn adds: one turn and its use. */
export function turnDeltas(day: string, usedMs: number): CounterDelta[] {
  const out: CounterDelta[] = [{ day, name: statsCounter.turns, value: 1 }];
  if (usedMs > 0) out.push({ day, name: statsCounter.usageMs, value: Math.round(usedMs) });
  return out;
}

/** Counters the audit events of a commit add: usage reminders shown and exits. */
export function auditDeltas(day: string, auditTypes: readonly string[]): CounterDelta[] {
  const reminders = auditTypes.filter((t) => t === 'reminder-shown').length;
  const exits = auditTypes.filter((t) => t === 'session-exit').length;
  const out: CounterDelta[] = [];
  if (reminders) out.push({ day, name: statsCounter.reminders, value: reminders });
  if (exits) out.push({ day, name: statsCounter.exits, value: exits });
  return out;
}

/**
 * Counters a user's first turn of `day` adds, given the previous active day (null: never active) and the
 * band counted last time (null: none yet, i.e. `unknown` at registration).
 */
export function firstTurnDeltas(
  day: string,
  previousDay: string | null,
  band: AgeBand,
  previousBand: AgeBand | null,
): CounterDelta[] {
  const out: CounterDelta[] = [
    { day, name: statsCounter.active, value: 1 },
    { day, name: statsCounter.activeBand(band), value: 1 },
    { day: addDays(day, activeWindowDays), name: statsCounter.mauOut, value: 1 },
  ];
  const inWindow = previousDay !== null && daysBetween(previousDay, day) < activeWindowDays;
  if (inWindow) {
    out.push({ day: addDays(previousDay, activeWindowDays), name: statsCounter.mauOut, value: -1 });
  } else {
    out.push({ day, name: statsCounter.mauIn, value: 1 });
  }
  const before = previousBand ?? 'unknown';
  if (before !== band) {
    out.push({ day: allTimeDay, name: statsCounter.registeredBand(before), value: -1 });
    out.push({ day: allTimeDay, name: statsCounter.registeredBand(band), value: 1 });
  }
  return out;
}

/** Counters a new user adds. */
export function newUserDeltas(day: string): CounterDelta[] {
  return [
    { day, name: statsCounter.newUsers, value: 1 },
    { day: allTimeDay, name: statsCounter.registeredBand('unknown'), value: 1 },
  ];
}

/** Counters an incident's opening adds. */
export function incidentOpenedDeltas(
  day: string,
  severity: IncidentSeverity,
  reason: IncidentReason,
): CounterDelta[] {
  return [
    { day, name: statsCounter.incidents(severity), value: 1 },
    { day, name: statsCounter.incidentReason(reason), value: 1 },
  ];
}

/** Counters the first human message of an incident adds, `ms` after its opening. */
export function firstHumanDeltas(day: string, ms: number): CounterDelta[] {
  const out: CounterDelta[] = [
    { day, name: statsCounter.humanCount, value: 1 },
    { day, name: statsCounter.humanMs, value: Math.max(0, Math.round(ms)) },
  ];
  for (const [limit, max] of withinLimits) {
    if (ms <= max) out.push({ day, name: statsCounter.humanWithin(limit), value: 1 });
  }
  return out;
}

const withinLimits = [
  ['1m', 60_000],
  ['5m', 300_000],
  ['15m', 900_000],
  ['60m', 3_600_000],
] as const;

/** Sums deltas by day and name, dropping zeros (fewer rows to write). */
export function mergeDeltas(deltas: readonly CounterDelta[]): CounterDelta[] {
  const sums = new Map<string, CounterDelta>();
  for (const d of deltas) {
    const key = `${d.day}\u0000${d.name}`;
    const prior = sums.get(key);
    sums.set(key, { day: d.day, name: d.name, value: (prior?.value ?? 0) + d.value });
  }
  return [...sums.values()].filter((d) => d.value !== 0);
}

const zeroBands = (): Record<AgeBand, number> =>
  Object.fromEntries(ageBands.map((b) => [b, 0])) as Record<AgeBand, number>;

const reasons = ['crisis', 'scam', 'property-loss', 'operator'] as const satisfies readonly IncidentReason[];

function incidentsOf(get: (name: string) => number): IncidentCounts {
  return {
    critical: get(statsCounter.incidents('critical')),
    high: get(statsCounter.incidents('high')),
    byReason: Object.fromEntries(reasons.map((r) => [r, get(statsCounter.incidentReason(r))])) as Record<
      IncidentReason,
      number
    >,
    escalated: get(statsCounter.escalated),
  };
}

function humanOf(get: (name: string) => number): FirstHumanAnswer {
  const count = get(statsCounter.humanCount);
  const within = {
    '1m': get(statsCounter.humanWithin('1m')),
    '5m': get(statsCounter.humanWithin('5m')),
    '15m': get(statsCounter.humanWithin('15m')),
    '60m': get(statsCounter.humanWithin('60m')),
  };
  return {
    count,
    meanSeconds: count ? Math.round(get(statsCounter.humanMs) / count / 100) / 10 : null,
    within,
    later: count - within['60m'],
  };
}

const minutes = (ms: number) => Math.round(ms / 6_000) / 10;

/** The most days one report covers. */
export const maxStatsDays = 366;

/**
 * Builds the `GET /api/stats` body for `from`..`to` (inclusive) from the counters (read up to `to`) and the
 * recorded triggers.
 */
export function statsReport(input: {
  readonly counters: StatsCounters;
  readonly triggers: readonly AssessmentTrigger[];
  readonly from: string;
  readonly to: string;
  readonly timeZone: string;
  readonly asOf: number;
  readonly thresholds: { readonly registeredUsers: number; readonly monthlyActiveUsers: number };
}): StatsReport {
  const { counters, from, to } = input;
  // Cumulative figures from every day before `from`.
  let registered = 0;
  let mau = 0;
  const known = [...counters.days.keys()].filter((d) => d !== allTimeDay && d < from).sort();
  for (const d of known) {
    const c = counters.days.get(d);
    registered += c?.get(statsCounter.newUsers) ?? 0;
    mau += (c?.get(statsCounter.mauIn) ?? 0) - (c?.get(statsCounter.mauOut) ?? 0);
  }
  const days: StatsDay[] = [];
  const sum = new Map<string, number>();
  for (let day = from; day <= to; day = addDays(day, 1)) {
    const c = counters.days.get(day);
    const get = (name: string) => c?.get(name) ?? 0;
    for (const [name, value] of c ?? []) sum.set(name, (sum.get(name) ?? 0) + value);
    registered += get(statsCounter.newUsers);
    mau += get(statsCounter.mauIn) - get(statsCounter.mauOut);
    days.push({
      day,
      registeredUsers: registered,
      newUsers: get(statsCounter.newUsers),
      dailyActiveUsers: get(statsCounter.active),
      monthlyActiveUsers: mau,
      turns: get(statsCounter.turns),
      usageMinutes: minutes(get(statsCounter.usageMs)),
      activeByAgeBand: Object.fromEntries(
        ageBands.map((b) => [b, get(statsCounter.activeBand(b))]),
      ) as AgeBandCounts,
      incidents: incidentsOf(get),
      firstHumanAnswer: humanOf(get),
      reminders: get(statsCounter.reminders),
      exits: get(statsCounter.exits),
      notificationFailures: get(statsCounter.notificationFailures),
    });
  }
  const total = (name: string) => sum.get(name) ?? 0;
  const totals: StatsTotals = {
    registeredUsers: registered,
    newUsers: total(statsCounter.newUsers),
    monthlyActiveUsers: mau,
    peakDailyActiveUsers: days.reduce((m, d) => Math.max(m, d.dailyActiveUsers), 0),
    turns: total(statsCounter.turns),
    usageMinutes: minutes(total(statsCounter.usageMs)),
    incidents: incidentsOf(total),
    firstHumanAnswer: humanOf(total),
    reminders: total(statsCounter.reminders),
    exits: total(statsCounter.exits),
    notificationFailures: total(statsCounter.notificationFailures),
  };
  const active = zeroBands();
  for (const b of ageBands) active[b] = total(statsCounter.activeBand(b));
  return {
    from,
    to,
    timeZone: input.timeZone,
    asOf: input.asOf,
    windowDays: activeWindowDays,
    days,
    totals,
    ageStructure: { registered: counters.registeredByAgeBand, active },
    thresholds: input.thresholds,
    triggers: input.triggers.map((t) => ({ ...t, requirement: 'ASSESS-1' as const })),
  };
}
