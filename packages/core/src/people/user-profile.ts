/**
 * User profiles (REG-1): age, region, time zone, locale, guardian and emergency contact, and the age band
 * derived from them at any moment (MINOR-*, ELDER-*). Pure: the store keeps profiles, this decides.
 */
import type { Profile } from '../policy/profile-schema.js';
import type { AgeBand, AuditInput, UserRecord } from '../ports.js';
import type { Locale } from '../types.js';

/** A person to reach: a minor's guardian or an emergency contact. Personal data: encrypted at rest. */
export interface Contact {
  readonly name: string;
  /** At least one of `email` and `phone` is set. */
  readonly email: string | null;
  readonly phone: string | null;
}

/**
 * What an age is derived from. A birth date gives the age on any day; a declared age is aged forward on
 * every anniversary of the day it was declared. At most one of the two is set.
 */
export interface AgeFacts {
  /** `YYYY-MM-DD`, or null. */
  readonly birthDate: string | null;
  /** The age the app declared, and when (epoch ms), or null. */
  readonly declaredAge: { readonly age: number; readonly at: number } | null;
  /** IANA time zone the user's calendar days are counted in; null counts them in UTC. */
  readonly timeZone: string | null;
}

/** A user with everything the profile routes show: the record plus decrypted contacts. */
export interface UserProfile extends UserRecord {
  readonly guardian: Contact | null;
  readonly emergencyContact: Contact | null;
  /** Time of the last profile change; null until the user is registered (first profile update). */
  readonly profileUpdatedAt: number | null;
}

/**
 * A profile change: every field optional; absent = unchanged, null = cleared. `birthDate` and `age` are two
 * ways to give one fact: setting either replaces the other, clearing either clears the age.
 */
export interface ProfilePatch {
  readonly birthDate?: string | null;
  readonly age?: number | null;
  readonly region?: string | null;
  readonly timeZone?: string | null;
  readonly locale?: Locale;
  readonly guardian?: Contact | null;
  readonly emergencyContact?: Contact | null;
}

/** Profile fields, as named in change lists and audit events. */
export type ProfileField =
  | 'birthDate'
  | 'age'
  | 'region'
  | 'timeZone'
  | 'locale'
  | 'guardian'
  | 'emergencyContact';

/** The outcome of applying a patch. */
export interface ProfileChange {
  readonly at: number;
  readonly before: UserProfile;
  readonly after: UserProfile;
  /** Fields whose value changed, in `ProfileField` order. */
  readonly changed: readonly ProfileField[];
  /** True for the user's first profile update: the registration (REG-1). */
  readonly registration: boolean;
}

/** What the profile routes report as still to collect. */
export interface MissingField {
  readonly field: 'age' | 'guardian' | 'emergencyContact';
  readonly requirement: 'REG-1' | 'ELDER-1';
  readonly level: 'required' | 'suggested';
}

/** User profiles, as the gateway stores them (contacts encrypted at rest under the user's data key). */
export interface UserProfileStore {
  /** The profile of the user with this external id, contacts decrypted; undefined for an unknown user. */
  getProfile(externalId: string): Promise<UserProfile | undefined>;

  /**
   * Registration and updates (REG-1). Creates the user on first sight (as `Store.ensureUser`, with
   * `options.locale` for a new user), then in one transaction: applies `patch` with `applyProfilePatch`,
   * writes the result and appends the events `options.audit(change)` returns. When anything in the
   * transaction fails (`audit` throwing included) no profile field and no event is written.
   *
   * Concurrency: updates of one user are serialized; each sees the result of the one before it, so none is
   * lost and every change is audited once.
   */
  updateProfile(
    externalId: string,
    patch: ProfilePatch,
    options: {
      readonly now: number;
      readonly locale?: Locale;
      readonly audit: (change: ProfileChange) => readonly AuditInput[];
    },
  ): Promise<UserProfile>;
}

/** A calendar date: [year, month 1–12, day 1–31]. */
type CalendarDate = readonly [number, number, number];

const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The calendar date of `YYYY-MM-DD`, or undefined if it is malformed or not a real date (2023-02-29). */
export function parseCalendarDate(text: string): CalendarDate | undefined {
  const m = datePattern.exec(text);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(Date.UTC(y, mo - 1, d));
  // Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear does not.
  check.setUTCFullYear(y);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) {
    return undefined;
  }
  return [y, mo, d];
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      calendar: 'gregory',
      numberingSystem: 'latn',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * The canonical IANA name of a time zone (`asia/shanghai` → `Asia/Shanghai`), or undefined when it is not
 * one. UTC offsets such as `+08:00` are refused: they do not follow daylight saving time.
 */
export function canonicalTimeZone(name: string): string | undefined {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/.test(name)) return undefined;
  try {
    return formatterFor(name).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** The calendar date at `at` in `timeZone` (UTC when null or unknown to this runtime). */
export function calendarDateAt(at: number, timeZone: string | null): CalendarDate {
  let formatter: Intl.DateTimeFormat;
  try {
    formatter = formatterFor(timeZone ?? 'UTC');
  } catch {
    formatter = formatterFor('UTC');
  }
  let y = 0;
  let m = 0;
  let d = 0;
  for (const part of formatter.formatToParts(at)) {
    if (part.type === 'year') y = Number(part.value);
    else if (part.type === 'month') m = Number(part.value);
    else if (part.type === 'day') d = Number(part.value);
  }
  return [y, m, d];
}

/**
 * Whole years from `from` to `to`. An anniversary falls on the same month and day; one on 29 February
 * falls on 1 March in common years.
 */
function fullYears(from: CalendarDate, to: CalendarDate): number {
  const beforeAnniversary = to[1] < from[1] || (to[1] === from[1] && to[2] < from[2]);
  return to[0] - from[0] - (beforeAnniversary ? 1 : 0);
}

/**
 * The user's age at `at`, counted in calendar days of the user's time zone; null without an age.
 *
 * @example
 * ageAt({ birthDate: '2010-07-16', declaredAge: null, timeZone: 'Asia/Shanghai' }, Date.UTC(2026, 6, 15, 16)) // 16
 */
export function ageAt(facts: AgeFacts, at: number): number | null {
  if (facts.birthDate !== null) {
    const birth = parseCalendarDate(facts.birthDate);
    return birth ? Math.max(0, fullYears(birth, calendarDateAt(at, facts.timeZone))) : null;
  }
  if (facts.declaredAge !== null) {
    const declared = calendarDateAt(facts.declaredAge.at, facts.timeZone);
    return facts.declaredAge.age + Math.max(0, fullYears(declared, calendarDateAt(at, facts.timeZone)));
  }
  return null;
}

/**
 * The time zone a user's local day, quiet hours and school hours are counted in: the registered one, else the
 * profile's `session.defaultTimeZone`.
 */
export function timeZoneOf(user: { readonly timeZone: string | null }, profile: Profile): string {
  return user.timeZone ?? profile.session.defaultTimeZone;
}

/** The band of an age: under 14, 14–15, 16–17, adult, elderly from `elderlyFrom` (the profile's `elderly.ageFrom`). */
export function ageBandOf(age: number | null, elderlyFrom: number): AgeBand {
  if (age === null) return 'unknown';
  if (age < 14) return 'under-14';
  if (age < 16) return '14-15';
  if (age < 18) return '16-17';
  return age >= elderlyFrom ? 'elderly' : 'adult';
}

/**
 * The age band at `at` from the registered age facts; `unknown` without an age.
 *
 * @example
 * ageBandAt({ birthDate: null, declaredAge: { age: 59, at: t }, timeZone: null }, t + 366 * 86_400_000, 60) // 'elderly'
 */
export function ageBandAt(facts: AgeFacts, at: number, elderlyFrom: number): AgeBand {
  return ageBandOf(ageAt(facts, at), elderlyFrom);
}

/**
 * The band the session machine uses for this user at `at`: derived from the registered age when there is
 * one, else the band recorded without an age (`UserRecord.ageBand`, e.g. inferred, MINOR-5).
 */
export function userAgeBand(
  user: AgeFacts & { readonly ageBand: AgeBand },
  at: number,
  elderlyFrom: number,
): AgeBand {
  const derived = ageBandAt(user, at, elderlyFrom);
  return derived === 'unknown' ? user.ageBand : derived;
}

/** The age bands of minors. */
export type MinorBand = 'under-14' | '14-15' | '16-17';

/** True for the bands under 18. */
export function isMinorBand(band: AgeBand): band is MinorBand {
  return band === 'under-14' || band === '14-15' || band === '16-17';
}

/**
 * What registration still lacks at `at`: the age (REG-1); a minor's guardian (REG-1, needed for the
 * guardian's consent, MINOR-2); an elderly user's emergency contact (ELDER-1, suggested).
 */
export function missingProfileFields(profile: UserProfile, at: number, elderlyFrom: number): MissingField[] {
  const missing: MissingField[] = [];
  if (ageAt(profile, at) === null) missing.push({ field: 'age', requirement: 'REG-1', level: 'required' });
  const band = userAgeBand(profile, at, elderlyFrom);
  if (isMinorBand(band) && profile.guardian === null) {
    missing.push({ field: 'guardian', requirement: 'REG-1', level: 'required' });
  }
  if (band === 'elderly' && profile.emergencyContact === null) {
    missing.push({ field: 'emergencyContact', requirement: 'ELDER-1', level: 'suggested' });
  }
  return missing;
}

function sameContact(a: Contact | null, b: Contact | null): boolean {
  return (
    a === b || (a !== null && b !== null && a.name === b.name && a.email === b.email && a.phone === b.phone)
  );
}

/**
 * Applies a patch to a profile at `at`. Re-sending the age the user has now keeps the day it was first
 * declared (so a stale copy does not make anyone younger). Input is validated by the caller.
 *
 * @example
 * applyProfilePatch(profile, { region: 'US-CA' }, at).changed // ['region']
 */
export function applyProfilePatch(before: UserProfile, patch: ProfilePatch, at: number): ProfileChange {
  let { birthDate, declaredAge } = before;
  if (patch.birthDate !== undefined || patch.age !== undefined) {
    if (typeof patch.birthDate === 'string') {
      birthDate = patch.birthDate;
      declaredAge = null;
    } else if (typeof patch.age === 'number') {
      if (before.birthDate !== null || ageAt(before, at) !== patch.age) declaredAge = { age: patch.age, at };
      birthDate = null;
    } else {
      birthDate = null;
      declaredAge = null;
    }
  }
  const next = {
    birthDate,
    declaredAge,
    region: patch.region === undefined ? before.region : patch.region,
    timeZone: patch.timeZone === undefined ? before.timeZone : patch.timeZone,
    locale: patch.locale ?? before.locale,
    guardian: patch.guardian === undefined ? before.guardian : patch.guardian,
    emergencyContact: patch.emergencyContact === undefined ? before.emergencyContact : patch.emergencyContact,
  };
  const changed: ProfileField[] = [];
  if (next.birthDate !== before.birthDate) changed.push('birthDate');
  if (next.declaredAge !== before.declaredAge) changed.push('age');
  if (next.region !== before.region) changed.push('region');
  if (next.timeZone !== before.timeZone) changed.push('timeZone');
  if (next.locale !== before.locale) changed.push('locale');
  if (!sameContact(next.guardian, before.guardian)) changed.push('guardian');
  if (!sameContact(next.emergencyContact, before.emergencyContact)) changed.push('emergencyContact');
  const registration = before.profileUpdatedAt === null;
  const touched = changed.length > 0 || registration;
  return {
    at,
    before,
    after: { ...before, ...next, profileUpdatedAt: touched ? at : before.profileUpdatedAt },
    changed,
    registration,
  };
}

/**
 * The audit trail of a profile change (REG-1): one `profile-updated` event naming the fields that changed
 * and the age band after the change, never their values. None when only the locale changed (or nothing)
 * after registration.
 */
export function profileUpdatedAudit(change: ProfileChange, elderlyFrom: number): AuditInput[] {
  const fields = change.changed.filter((f) => f !== 'locale');
  if (fields.length === 0 && !change.registration) return [];
  const data: Record<string, unknown> = {
    fields,
    ageBand: userAgeBand(change.after, change.at, elderlyFrom),
  };
  if (change.registration) data.registration = true;
  return [{ type: 'profile-updated', requirement: 'REG-1', at: change.at, userId: change.after.id, data }];
}
