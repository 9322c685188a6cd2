/**
 * The figures of `GET /api/stats?from=YYYY-MM-DD&to=YYYY-MM-DD` (compliance and auditor roles; ASSESS-1,
 * ASSESS-2): a series of days, totals over the range, the thresholds and triggers of the assessment, and the
 * age structure. Numbers only: no user id, no text. Computed from the aggregates (`StatsStore.counters`) by
 * `statsReport` below — the same object the assessment report and the console's dashboard use.
 *
 * ```json
 * {
 *   "from": "2026-11-01", "to": "2026-11-30", "timeZone": "Asia/Shanghai", "asOf": 1795996800000,
 *   "windowDays": 30,
 *   "days": [{
 *     "day": "2026-11-01", "registeredUsers": 1000412, "newUsers": 1203, "dailyActiveUsers": 40211,
 *     "monthlyActiveUsers": 100532, "turns": 812344, "usageMinutes": 301220.5,
 *     "activeByAgeBand": { "unknown": 10, "under-14": 120, "14-15": 300, "16-17": 410, "adult": 36000, "elderly": 3371 },
 *     "incidents": { "critical": 3, "high": 1, "byReason": { "crisis": 3, "scam": 1, "property-loss": 0, "operator": 0 }, "escalated": 0 },
 *     "firstHumanAnswer": { "count": 3, "meanSeconds": 74.3, "within": { "1m": 1, "5m": 3, "15m": 3, "60m": 3 }, "later": 0 },
 *     "reminders": 5120, "exits": 3301, "notificationFailures": 0
 *   }],
 *   "totals": {
 *     "registeredUsers": 1031000, "newUsers": 30588, "monthlyActiveUsers": 101002, "peakDailyActiveUsers": 44120,
 *     "turns": 24100200, "usageMinutes": 9120330.5,
 *     "incidents": { …as in a day, summed… }, "firstHumanAnswer": { …as in a day, over the range… },
 *     "reminders": 150000, "exits": 99000, "notificationFailures": 2
 *   },
 *   "ageStructure": {
 *     "registered": { "unknown": 120000, "under-14": 8000, …, "elderly": 90000 },
 *     "active": { …distinct-per-day actives summed over the range (user-days) by band… }
 *   },
 *   "thresholds": { "registeredUsers": 1000000, "monthlyActiveUsers": 100000 },
 *   "triggers": [
 *     { "key": "registered-users", "kind": "registered-users", "requirement": "ASSESS-1",
 *       "firedAt": 1795000000000, "day": "2026-11-19", "value": 1000000, "threshold": 1000000, "subject": null,
      "notifiedAt": 1795000000500 },
 *     { "key": "launch:character:xiaonuan", "kind": "launch", "requirement": "ASSESS-1",
 *       "firedAt": 1795000000000, "day": "2026-11-20", "value": null, "threshold": null, "subject": "character:xiaonuan",
      "notifiedAt": null }
 *   ]
 * }
 * ```
 *
 * `registeredUsers` and `monthlyActiveUsers` of a day are its end-of-day figures; the totals' are those of
 * `to`. `ageStructure.registered` is the current split (each user counted in the band of their latest first
 * turn of a day; `unknown` for users never active), not as of `to`. Days with no data are present with zeros
 * (the series has one entry per day from `from` to `to`, at most 366).
 */
import type { AgeBand } from '../ports.js';
import type {
  AgeBandCounts,
  AssessmentTrigger,
  FirstHumanAnswer,
  IncidentCounts,
  StatsDay,
} from './stats-store.js';

/** A trigger on the wire. */
export interface StatsTriggerWire extends AssessmentTrigger {
  readonly requirement: 'ASSESS-1';
}

export interface StatsTotals {
  readonly registeredUsers: number;
  readonly newUsers: number;
  readonly monthlyActiveUsers: number;
  readonly peakDailyActiveUsers: number;
  readonly turns: number;
  readonly usageMinutes: number;
  readonly incidents: IncidentCounts;
  readonly firstHumanAnswer: FirstHumanAnswer;
  readonly reminders: number;
  readonly exits: number;
  readonly notificationFailures: number;
}

/** The body of `GET /api/stats`. */
export interface StatsReport {
  readonly from: string;
  readonly to: string;
  readonly timeZone: string;
  /** When it was computed (epoch ms). */
  readonly asOf: number;
  /** Days in the monthly-active window (30). */
  readonly windowDays: number;
  readonly days: readonly StatsDay[];
  readonly totals: StatsTotals;
  readonly ageStructure: { readonly registered: AgeBandCounts; readonly active: AgeBandCounts };
  /** The profile's `assessment` thresholds (ASSESS-1). */
  readonly thresholds: { readonly registeredUsers: number; readonly monthlyActiveUsers: number };
  /** Recorded triggers, oldest first (each once). */
  readonly triggers: readonly StatsTriggerWire[];
}

/** Every age band, in report order. */
export const ageBands = [
  'unknown',
  'under-14',
  '14-15',
  '16-17',
  'adult',
  'elderly',
] as const satisfies readonly AgeBand[];
