/**
 * The minor mode's rules (MINOR-1..4, ELDER-3): pure functions of the profile, the stored state and time.
 */
import { CgError } from '../errors.js';
import {
  type AgeFacts,
  calendarDateAt,
  isMinorBand,
  type MinorBand,
  parseCalendarDate,
} from '../people/user-profile.js';
import type { Profile } from '../policy/profile-schema.js';
import type { AgeBand, CharacterRecord } from '../ports.js';
import type {
  GuardianControlsPatch,
  MinorModeReason,
  MinorState,
  MinorTurnView,
  QuietHours,
} from './minor-store.js';

const MINUTE = 60_000;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `YYYY-MM-DD` of the calendar day at `at` in `timeZone` (UTC when null), or of the day `back` days before. */
export function localDay(at: number, timeZone: string | null, back = 0): string {
  const [y, m, d] = calendarDateAt(at, timeZone);
  const day = new Date(Date.UTC(y, m - 1, d - back));
  return `${pad(day.getUTCFullYear(), 4)}-${pad(day.getUTCMonth() + 1)}-${pad(day.getUTCDate())}`;
}

const clockFormatters = new Map<string, Intl.DateTimeFormat>();

/** Minutes since local midnight at `at` in `timeZone` (UTC when null or unknown). */
export function localMinuteOfDay(at: number, timeZone: string | null): number {
  const zone = timeZone ?? 'UTC';
  let formatter = clockFormatters.get(zone);
  if (!formatter) {
    const options = { hour: 'numeric', minute: 'numeric', hourCycle: 'h23' } as const;
    try {
      formatter = new Intl.DateTimeFormat('en-US', { ...options, timeZone: zone });
    } catch {
      formatter = new Intl.DateTimeFormat('en-US', { ...options, timeZone: 'UTC' });
    }
    clockFormatters.set(zone, formatter);
  }
  let hour = 0;
  let minute = 0;
  for (const part of formatter.formatToParts(at)) {
    if (part.type === 'hour') hour = Number(part.value) % 24;
    else if (part.type === 'minute') minute = Number(part.value);
  }
  return hour * 60 + minute;
}

function minuteOf(time: string): number {
  const [h, m] = time.split(':');
  return Number(h) * 60 + Number(m);
}

/** Whether `minute` (since midnight) lies in the window; `from` after `to` crosses midnight; equal = empty. */
function inWindow(minute: number, window: QuietHours): boolean {
  const from = minuteOf(window.from);
  const to = minuteOf(window.to);
  return from <= to ? minute >= from && minute < to : minute >= from || minute < to;
}

/**
 * Whether `at` falls in the quiet hours in the user's time zone.
 *
 * @example
 * inQuietHours(Date.UTC(2026, 6, 15, 14, 30), 'Asia/Shanghai', { from: '22:00', to: '06:00' }) // true (22:30)
 */
export function inQuietHours(at: number, timeZone: string | null, window: QuietHours): boolean {
  return inWindow(localMinuteOfDay(at, timeZone), window);
}

/** Whether every minute of `inner` lies in `outer`. */
export function quietHoursCover(outer: QuietHours, inner: QuietHours): boolean {
  for (let minute = 0; minute < 24 * 60; minute++) {
    if (inWindow(minute, inner) && !inWindow(minute, outer)) return false;
  }
  return true;
}

/**
 * The local day on which the registered age reaches 18 (`YYYY-MM-DD`), or null without an age. A birth
 * date on 29 February comes of age on 1 March in common years.
 *
 * @example
 * adultDateOf({ birthDate: '2011-03-02', declaredAge: null, timeZone: null }) // '2029-03-02'
 */
export function adultDateOf(facts: AgeFacts): string | null {
  let date: readonly [number, number, number] | undefined;
  let years = 18;
  if (facts.birthDate !== null) date = parseCalendarDate(facts.birthDate);
  else if (facts.declaredAge !== null) {
    date = calendarDateAt(facts.declaredAge.at, facts.timeZone);
    years = 18 - facts.declaredAge.age;
  }
  if (!date) return null;
  const [y, m, d] = date;
  const year = y + Math.max(0, years);
  const leapDay = m === 2 && d === 29 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0));
  return leapDay ? `${pad(year, 4)}-03-01` : `${pad(year, 4)}-${pad(m)}-${pad(d)}`;
}

/** Whether minor mode holds for this user now: declared by a minor band, or stored on and not yet ended. */
export interface MinorMode {
  readonly on: boolean;
  readonly reason: MinorModeReason | null;
  /** The band the mode's limits use: the user's own, or `16-17` kept by a guardian, `14-15` suspected. */
  readonly band: MinorBand;
  /** The stored `declared` mode reached its end: the registered age is 18 today (MINOR-1). */
  readonly cameOfAge: boolean;
}

/**
 * The minor mode in force. A minor band always means on (`declared`); a stored mode holds whatever the
 * registered age says now, except `declared` ends on its `endsOn` day.
 */
export function minorModeOf(state: MinorState | null, band: AgeBand, today: string): MinorMode {
  const cameOfAge =
    state?.mode === 'on' && state.reason === 'declared' && state.endsOn !== null && today >= state.endsOn;
  if (isMinorBand(band)) return { on: true, reason: state?.reason ?? 'declared', band, cameOfAge: false };
  if (state?.mode === 'on' && !cameOfAge) {
    const reason = state.reason ?? 'declared';
    return { on: true, reason, band: reason === 'guardian' ? '16-17' : '14-15', cameOfAge };
  }
  return { on: false, reason: null, band: '16-17', cameOfAge };
}

/** The daily limit in minutes: the guardian's when set, else the profile's for the band. */
export function dailyLimitMinutes(profile: Profile, band: MinorBand, state: MinorState | null): number {
  return state?.controls.dailyLimitMinutes ?? profile.minors.dailyLimitMinutes[band];
}

/** The quiet hours: the guardian's when set, else the profile's. */
export function quietHoursOf(profile: Profile, state: MinorState | null): QuietHours {
  return state?.controls.quietHours ?? profile.minors.quietHours;
}

/**
 * Checks a guardian's controls against the profile's bounds (MINOR-4): a daily limit of whole minutes from
 * 1 up to the profile's maximum for the band; quiet hours that cover the profile's minimum window (or, when
 * the profile sets none, its own quiet hours); character ids as non-empty strings. Throws
 * `CgError('invalid-request')` naming each problem.
 */
export function checkGuardianControls(patch: GuardianControlsPatch, band: MinorBand, profile: Profile): void {
  const problems: string[] = [];
  const limit = patch.dailyLimitMinutes;
  const max = profile.minors.guardianMaxDailyLimitMinutes[band];
  if (limit !== undefined && limit !== null && !(Number.isInteger(limit) && limit >= 1 && limit <= max)) {
    problems.push(`dailyLimitMinutes must be a whole number of minutes from 1 to ${max}`);
  }
  const quiet = patch.quietHours;
  if (quiet !== undefined && quiet !== null) {
    const time = /^([01]\d|2[0-3]):[0-5]\d$/;
    const floor = profile.minors.guardianMinQuietHours ?? profile.minors.quietHours;
    if (!time.test(quiet.from) || !time.test(quiet.to)) problems.push('quietHours must be HH:MM to HH:MM');
    else if (!quietHoursCover(quiet, floor)) {
      problems.push(`quietHours must cover at least ${floor.from}–${floor.to}`);
    }
  }
  if (
    patch.blockedCharacters !== undefined &&
    !patch.blockedCharacters.every((id) => typeof id === 'string' && id.length > 0)
  ) {
    problems.push('blockedCharacters must be character ids');
  }
  if (problems.length > 0) throw new CgError('invalid-request', `Guardian controls: ${problems.join('; ')}.`);
}

/** The largest age in a band, for the profile's "any service under N" consent rule. */
const oldestInBand: Record<MinorBand, number> = { 'under-14': 13, '14-15': 15, '16-17': 17 };

/** Whether the guardian's consent is needed to serve this character (MINOR-2). */
export function consentRequired(
  profile: Profile,
  band: MinorBand,
  character: Pick<CharacterRecord, 'scope'>,
): boolean {
  const { consentForAllServiceUnder, consentForCompanionCharacters } = profile.minors;
  return (
    oldestInBand[band] < consentForAllServiceUnder ||
    (consentForCompanionCharacters && character.scope === 'companion')
  );
}

/** Why a character is not served to this user (MINOR-3, ELDER-3), or null when it is. */
export type CharacterRefusal = 'minor-relation' | 'guardian-blocked' | 'elderly-kin';

/** Whether a character is served to this user; minors' rules when minor mode is on. */
export function characterRefusal(
  profile: Profile,
  character: Pick<CharacterRecord, 'id' | 'relation'>,
  band: AgeBand,
  minor: { readonly on: boolean; readonly state: MinorState | null },
): CharacterRefusal | null {
  if (minor.on) {
    if (profile.minors.refusedRelations.includes(character.relation)) return 'minor-relation';
    if (minor.state?.controls.blockedCharacters.includes(character.id)) return 'guardian-blocked';
  }
  if (band === 'elderly' && profile.elderly.refuseKinCharacters && character.relation === 'kin') {
    return 'elderly-kin';
  }
  return null;
}

/**
 * What the session machine needs about a turn of a user in minor mode: the mode, the stored state, the
 * character, the use today (including the gap before this turn when it counts) and the local clock.
 */
export interface MinorTurnFacts {
  readonly mode: MinorMode;
  readonly state: MinorState;
  /** Minutes used today, the gap before this turn included. */
  readonly usedMinutes: number;
  /** The user's time zone (null: UTC). */
  readonly timeZone: string | null;
  /**
   * What asking the guardian for consent does on this turn (MINOR-2), when the consent gate applies to it;
   * absent: nobody can be asked (no guardian flow). The `consent-required` text says which.
   */
  readonly consentRequest?: ConsentRequestOutcome;
}

/** What a consent request to the guardian does: sent now, or why not (MINOR-2). */
export type ConsentRequestOutcome = 'sent' | 'no-guardian' | 'no-channel' | 'rate-limited';

/**
 * Builds the turn facts from the store's view: the gap since the last counted turn is use when it is
 * shorter than the profile's idle gap (MINOR-1: time counted per user across sessions and devices).
 */
export function minorTurnFacts(
  profile: Profile,
  view: MinorTurnView,
  band: AgeBand,
  at: number,
  timeZone: string | null,
): MinorTurnFacts {
  const mode = minorModeOf(view.state, band, view.today.day);
  const gap = view.lastUsageAt === null ? 0 : at - view.lastUsageAt;
  const pending = gap > 0 && gap < profile.session.idleGapMinutes * MINUTE ? gap : 0;
  return { mode, state: view.state, usedMinutes: (view.today.usedMs + pending) / MINUTE, timeZone };
}
