/**
 * Suspected minors (MINOR-5): what one turn adds to a user's suspicion score. Pure; the gateway stores the
 * score (`MinorStore.setSuspicion`, no text kept) and moves the user to minor mode past the threshold.
 */

import type { Profile } from '../policy/profile-schema.js';
import { halfLifeDecay } from '../risk/emotional-state.js';
import type { Finding } from '../types.js';

type SuspicionConfig = Profile['suspectedMinors'];

/** What a turn adds to the score, and the signals it counted (rule ids, `usage.school-hours`). */
export interface SuspicionPoints {
  readonly points: number;
  readonly signals: readonly string[];
}

function weightOf(f: Finding, weights: SuspicionConfig['weights']): number {
  if (f.category === 'stated-age') return weights.statedAge;
  if (f.rule === 'age-signal.grade') return weights.grade;
  if (f.category === 'school') return weights.school;
  if (f.category === 'parents-rules') return weights.parentsRules;
  return 0;
}

const weekdays: Readonly<Record<string, number>> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
const formatters = new Map<string, Intl.DateTimeFormat>();

/** ISO weekday and `HH:MM` at `at` in `timeZone` (UTC when null or unknown). */
function localWeekdayAndTime(at: number, timeZone: string | null): [number, string] {
  const zone = timeZone ?? 'UTC';
  let formatter = formatters.get(zone);
  if (!formatter) {
    const options = { weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const;
    try {
      formatter = new Intl.DateTimeFormat('en-US', { ...options, timeZone: zone });
    } catch {
      formatter = new Intl.DateTimeFormat('en-US', { ...options, timeZone: 'UTC' });
    }
    formatters.set(zone, formatter);
  }
  const parts = Object.fromEntries(formatter.formatToParts(at).map((p) => [p.type, p.value]));
  return [weekdays[parts.weekday ?? ''] ?? 0, `${parts.hour}:${parts.minute}`];
}

/** True when `at` falls in the profile's school hours on a school day, in the user's time zone. */
export function inSchoolHours(at: number, timeZone: string | null, config: SuspicionConfig): boolean {
  const [day, time] = localWeekdayAndTime(at, timeZone);
  const { days, from, to } = config.schoolHours;
  return days.includes(day) && time >= from && time < to;
}

/**
 * The points one user turn adds: the strongest age signal of the message (tier ≥ 1), plus the school-hours
 * weight when the same turn starts a session in school hours (a usage pattern alone adds nothing). Nothing when
 * scoring is off.
 *
 * @example
 * suspicionPoints(runDetectors('我上初二了', { side: 'input' }), { at, timeZone: null, sessionStart: false }, profile.suspectedMinors)
 * // { points: 100, signals: ['age-signal.grade'] }
 */
export function suspicionPoints(
  findings: readonly Finding[],
  turn: { readonly at: number; readonly timeZone: string | null; readonly sessionStart: boolean },
  config: SuspicionConfig,
): SuspicionPoints {
  if (!config.enabled) return { points: 0, signals: [] };
  let best: Finding | undefined;
  let bestWeight = 0;
  for (const f of findings) {
    if (f.detector !== 'age-signal' || f.status !== 'ok' || f.tier === 0) continue;
    const weight = weightOf(f, config.weights);
    if (weight > bestWeight) [best, bestWeight] = [f, weight];
  }
  const signals = best ? [best.rule] : [];
  let points = bestWeight;
  if (
    best &&
    turn.sessionStart &&
    config.weights.schoolHours > 0 &&
    inSchoolHours(turn.at, turn.timeZone, config)
  ) {
    points += config.weights.schoolHours;
    signals.push('usage.school-hours');
  }
  return { points, signals };
}

/**
 * A stored score as it stands at `at`: it halves every `halfLifeDays` since `since` (when the minor state
 * last changed: normally when the score was last raised), so hints of long ago fade instead of adding up.
 *
 * @example
 * decayedSuspicion(80, t, t + 30 * 86_400_000, profile.suspectedMinors) // 40
 */
export function decayedSuspicion(score: number, since: number, at: number, config: SuspicionConfig): number {
  return halfLifeDecay(score, since, at, config.halfLifeDays);
}
