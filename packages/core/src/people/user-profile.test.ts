import { describe, expect, it } from 'vitest';
import type { AgeBand } from '../ports.js';
import { noEmotionalScores } from '../risk/emotional-state.js';
import {
  type AgeFacts,
  ageAt,
  ageBandAt,
  ageBandOf,
  applyProfilePatch,
  type Contact,
  canonicalTimeZone,
  missingProfileFields,
  parseCalendarDate,
  profileUpdatedAudit,
  type UserProfile,
  userAgeBand,
} from './user-profile.js';

const DAY = 86_400_000;
const utc = (y: number, m: number, d: number, h = 0, min = 0) => Date.UTC(y, m - 1, d, h, min);
const born = (birthDate: string, timeZone: string | null = null): AgeFacts => ({
  birthDate,
  declaredAge: null,
  timeZone,
});
const declared = (age: number, at: number, timeZone: string | null = null): AgeFacts => ({
  birthDate: null,
  declaredAge: { age, at },
  timeZone,
});

describe('REG-1: the age band of an age', () => {
  it.each<[number | null, number, AgeBand]>([
    [null, 60, 'unknown'],
    [0, 60, 'under-14'],
    [13, 60, 'under-14'],
    [14, 60, '14-15'],
    [15, 60, '14-15'],
    [16, 60, '16-17'],
    [17, 60, '16-17'],
    [18, 60, 'adult'],
    [59, 60, 'adult'],
    [60, 60, 'elderly'],
    [130, 60, 'elderly'],
    [64, 65, 'adult'],
    [65, 65, 'elderly'],
  ])('age %s with elderly from %i is %s', (age, elderlyFrom, band) => {
    expect(ageBandOf(age, elderlyFrom)).toBe(band);
  });
});

describe('REG-1: the band from a birth date moves on the birthday, in the user’s time zone', () => {
  it.each<[string, AgeFacts, number, number, AgeBand]>([
    ['13 → 14: the day before', born('2012-07-16'), utc(2026, 7, 15, 23, 59), 13, 'under-14'],
    ['13 → 14: the birthday', born('2012-07-16'), utc(2026, 7, 16), 14, '14-15'],
    ['15 → 16: the day before', born('2010-07-16'), utc(2026, 7, 15, 12), 15, '14-15'],
    ['15 → 16: the birthday', born('2010-07-16'), utc(2026, 7, 16, 12), 16, '16-17'],
    ['17 → 18: the day before', born('2008-07-16'), utc(2026, 7, 15, 12), 17, '16-17'],
    ['17 → 18: the birthday', born('2008-07-16'), utc(2026, 7, 16, 12), 18, 'adult'],
    ['59 → 60: the day before', born('1966-07-16'), utc(2026, 7, 15, 12), 59, 'adult'],
    ['59 → 60: the birthday', born('1966-07-16'), utc(2026, 7, 16, 12), 60, 'elderly'],
    // 16:00 UTC is already the 16th in Shanghai (UTC+8) but still the 15th in UTC and in Los Angeles.
    ['Shanghai midnight', born('2010-07-16', 'Asia/Shanghai'), utc(2026, 7, 15, 16), 16, '16-17'],
    ['Shanghai a minute before', born('2010-07-16', 'Asia/Shanghai'), utc(2026, 7, 15, 15, 59), 15, '14-15'],
    ['UTC at that moment', born('2010-07-16'), utc(2026, 7, 15, 16), 15, '14-15'],
    ['Los Angeles, same moment', born('2010-07-16', 'America/Los_Angeles'), utc(2026, 7, 16, 6), 15, '14-15'],
    [
      'Los Angeles midnight (PDT)',
      born('2010-07-16', 'America/Los_Angeles'),
      utc(2026, 7, 16, 7),
      16,
      '16-17',
    ],
    ['Kiritimati (UTC+14)', born('2008-07-16', 'Pacific/Kiritimati'), utc(2026, 7, 15, 10), 18, 'adult'],
    // Born on 29 February: the birthday of a common year is 1 March.
    ['leap day: 28 Feb of a common year', born('2008-02-29'), utc(2026, 2, 28, 12), 17, '16-17'],
    ['leap day: 1 Mar of a common year', born('2008-02-29'), utc(2026, 3, 1), 18, 'adult'],
    ['leap day: 29 Feb of a leap year', born('2012-02-29'), utc(2028, 2, 29), 16, '16-17'],
    ['leap day: 28 Feb of a leap year', born('2012-02-29'), utc(2028, 2, 28, 23), 15, '14-15'],
    ['born today', born('2026-07-15'), utc(2026, 7, 15, 12), 0, 'under-14'],
  ])('%s', (_name, facts, at, age, band) => {
    expect(ageAt(facts, at)).toBe(age);
    expect(ageBandAt(facts, at, 60)).toBe(band);
  });
});

describe('REG-1: a declared age is aged forward from the day it was declared', () => {
  const given = utc(2026, 7, 15, 12);
  it.each<[string, AgeFacts, number, number, AgeBand]>([
    ['the same day', declared(15, given), given, 15, '14-15'],
    ['364 days later', declared(15, given), given + 364 * DAY, 15, '14-15'],
    ['one year later', declared(15, given), utc(2027, 7, 15), 16, '16-17'],
    ['three years later', declared(15, given), utc(2029, 7, 15), 18, 'adult'],
    ['59, a year later', declared(59, given), utc(2027, 7, 15), 60, 'elderly'],
    ['17, the day before the anniversary', declared(17, given), utc(2027, 7, 14, 23, 59), 17, '16-17'],
    // Declared at 20:00 UTC on the 15th: already the 16th in Shanghai, whose anniversaries count then.
    [
      'in Shanghai',
      declared(13, utc(2026, 7, 15, 20), 'Asia/Shanghai'),
      utc(2027, 7, 15, 15),
      13,
      'under-14',
    ],
    [
      'in Shanghai, next day',
      declared(13, utc(2026, 7, 15, 20), 'Asia/Shanghai'),
      utc(2027, 7, 15, 16),
      14,
      '14-15',
    ],
    ['declared on 29 Feb', declared(17, utc(2028, 2, 29, 12)), utc(2029, 2, 28, 12), 17, '16-17'],
    ['declared on 29 Feb, 1 Mar', declared(17, utc(2028, 2, 29, 12)), utc(2029, 3, 1), 18, 'adult'],
    ['a clock behind the declaration', declared(30, given), given - 400 * DAY, 30, 'adult'],
  ])('%s', (_name, facts, at, age, band) => {
    expect(ageAt(facts, at)).toBe(age);
    expect(ageBandAt(facts, at, 60)).toBe(band);
  });

  it('no age facts: the band is unknown, and the session falls back to the band recorded without one', () => {
    const none: AgeFacts = { birthDate: null, declaredAge: null, timeZone: 'Asia/Shanghai' };
    expect(ageAt(none, given)).toBeNull();
    expect(ageBandAt(none, given, 60)).toBe('unknown');
    expect(userAgeBand({ ...none, ageBand: '16-17' }, given, 60)).toBe('16-17');
    expect(userAgeBand({ ...declared(75, given), ageBand: '16-17' }, given, 60)).toBe('elderly');
  });
});

describe('calendar dates and time zones', () => {
  it.each<[string, readonly number[] | undefined]>([
    ['2024-02-29', [2024, 2, 29]],
    ['2023-02-29', undefined],
    ['2024-13-01', undefined],
    ['2024-04-31', undefined],
    ['2024-1-01', undefined],
    ['20240101', undefined],
    ['0099-01-01', [99, 1, 1]],
    [' 2024-01-01', undefined],
  ])('parseCalendarDate(%j)', (text, expected) => {
    expect(parseCalendarDate(text)).toEqual(expected);
  });

  it.each<[string, string | undefined]>([
    ['Asia/Shanghai', 'Asia/Shanghai'],
    ['asia/shanghai', 'Asia/Shanghai'],
    ['America/Los_Angeles', 'America/Los_Angeles'],
    ['UTC', 'UTC'],
    ['Mars/Olympus_Mons', undefined],
    ['+08:00', undefined],
    ['', undefined],
    ['Asia/../etc', undefined],
  ])('canonicalTimeZone(%j)', (name, expected) => {
    expect(canonicalTimeZone(name)).toBe(expected);
  });
});

const t0 = utc(2026, 7, 15, 8);
const mum: Contact = { name: '王芳', email: 'wang.fang@example.cn', phone: null };
const son: Contact = { name: 'Li Lei', email: null, phone: '+86 138 0000 0000' };

function profile(patch: Partial<UserProfile> = {}): UserProfile {
  return {
    id: 'u-1',
    externalId: 'app-1',
    locale: 'zh',
    ageBand: 'unknown',
    createdAt: t0 - DAY,
    minorMode: false,
    appealOutcomePending: false,
    emotionalScores: noEmotionalScores,
    lastActiveDay: null,
    complaintReplyPending: false,
    birthDate: null,
    declaredAge: null,
    timeZone: null,
    region: null,
    guardian: null,
    emergencyContact: null,
    profileUpdatedAt: null,
    ...patch,
  };
}

describe('REG-1 / ELDER-1: what registration still lacks (a guardian for minors, an emergency contact suggested for the elderly)', () => {
  it.each<[string, UserProfile, string[]]>([
    ['no age', profile(), ['age:REG-1:required']],
    [
      'no age, inferred minor',
      profile({ ageBand: '14-15' }),
      ['age:REG-1:required', 'guardian:REG-1:required'],
    ],
    ['a minor without a guardian', profile(declared(15, t0)), ['guardian:REG-1:required']],
    ['a minor with a guardian', profile({ ...declared(15, t0), guardian: mum }), []],
    ['a 17-year-old', profile(born('2009-01-01')), ['guardian:REG-1:required']],
    ['an adult', profile(declared(30, t0)), []],
    ['a 59-year-old', profile(declared(59, t0)), []],
    ['an elderly user', profile(declared(75, t0)), ['emergencyContact:ELDER-1:suggested']],
    ['an elderly user with a contact', profile({ ...declared(60, t0), emergencyContact: son }), []],
  ])('%s', (_name, p, expected) => {
    expect(missingProfileFields(p, t0, 60).map((m) => `${m.field}:${m.requirement}:${m.level}`)).toEqual(
      expected,
    );
  });

  it('a birthday in the user’s time zone removes the guardian requirement', () => {
    const teen = profile({ ...born('2008-07-16', 'Asia/Shanghai') });
    expect(missingProfileFields(teen, utc(2026, 7, 15, 15, 59), 60)).toHaveLength(1);
    expect(missingProfileFields(teen, utc(2026, 7, 15, 16), 60)).toEqual([]);
  });
});

describe('REG-1: applying a profile patch', () => {
  it('registration: the first update is flagged and stamped even when it changes nothing', () => {
    const change = applyProfilePatch(profile(), {}, t0);
    expect(change).toMatchObject({ changed: [], registration: true, after: { profileUpdatedAt: t0 } });
    const again = applyProfilePatch(change.after, {}, t0 + 1);
    expect(again).toMatchObject({ changed: [], registration: false, after: { profileUpdatedAt: t0 } });
  });

  it('a birth date replaces a declared age and the other way round; null clears either', () => {
    const withAge = applyProfilePatch(profile(), { age: 15 }, t0).after;
    expect(withAge).toMatchObject({ birthDate: null, declaredAge: { age: 15, at: t0 } });
    const withBirth = applyProfilePatch(withAge, { birthDate: '2011-03-02' }, t0 + 1);
    expect(withBirth.changed).toEqual(['birthDate', 'age']);
    expect(withBirth.after).toMatchObject({ birthDate: '2011-03-02', declaredAge: null });
    const back = applyProfilePatch(withBirth.after, { age: 15 }, t0 + 2);
    expect(back.changed).toEqual(['birthDate', 'age']);
    expect(back.after).toMatchObject({ birthDate: null, declaredAge: { age: 15, at: t0 + 2 } });
    for (const clear of [{ age: null }, { birthDate: null }]) {
      const cleared = applyProfilePatch(withBirth.after, clear, t0 + 3).after;
      expect(cleared).toMatchObject({ birthDate: null, declaredAge: null });
    }
  });

  it('re-sending the age the user has now keeps the day it was declared; another age restarts it', () => {
    const first = applyProfilePatch(profile(), { age: 15 }, t0).after;
    const yearLater = utc(2027, 7, 16);
    const stale = applyProfilePatch(first, { age: 16 }, yearLater);
    expect(stale.changed).toEqual([]);
    expect(stale.after.declaredAge).toEqual({ age: 15, at: t0 });
    const corrected = applyProfilePatch(first, { age: 15 }, yearLater);
    expect(corrected.changed).toEqual(['age']);
    expect(corrected.after.declaredAge).toEqual({ age: 15, at: yearLater });
  });

  it('detects changed contacts, region, time zone and locale; equal values are no change', () => {
    const base = profile({ guardian: mum, region: 'CN', timeZone: 'Asia/Shanghai', profileUpdatedAt: t0 });
    expect(applyProfilePatch(base, { guardian: { ...mum }, region: 'CN' }, t0 + 1).changed).toEqual([]);
    const change = applyProfilePatch(
      base,
      {
        guardian: { ...mum, phone: '13800000000' },
        emergencyContact: son,
        region: 'US-CA',
        timeZone: 'America/Los_Angeles',
        locale: 'en',
      },
      t0 + 1,
    );
    expect(change.changed).toEqual(['region', 'timeZone', 'locale', 'guardian', 'emergencyContact']);
    expect(change.after).toMatchObject({ region: 'US-CA', locale: 'en', profileUpdatedAt: t0 + 1 });
    const cleared = applyProfilePatch(change.after, { guardian: null, region: null }, t0 + 2);
    expect(cleared.changed).toEqual(['region', 'guardian']);
    expect(cleared.after).toMatchObject({ guardian: null, region: null, emergencyContact: son });
  });
});

describe('REG-1: the audit of a profile change', () => {
  it('names the changed fields and the new band, never the values', () => {
    const change = applyProfilePatch(profile(), { age: 75, emergencyContact: son, region: 'CN' }, t0);
    const audit = profileUpdatedAudit(change, 60);
    expect(audit).toEqual([
      {
        type: 'profile-updated',
        requirement: 'REG-1',
        at: t0,
        userId: 'u-1',
        data: { fields: ['age', 'region', 'emergencyContact'], ageBand: 'elderly', registration: true },
      },
    ]);
    const text = JSON.stringify(audit);
    for (const secret of [son.name, son.phone ?? '', '75', 'CN"']) expect(text).not.toContain(secret);
  });

  it('a locale-only change or no change after registration is not audited; a band change is', () => {
    const registered = applyProfilePatch(profile(), { age: 15 }, t0).after;
    expect(profileUpdatedAudit(applyProfilePatch(registered, { locale: 'en' }, t0 + 1), 60)).toEqual([]);
    expect(profileUpdatedAudit(applyProfilePatch(registered, { age: 15 }, t0 + 1), 60)).toEqual([]);
    const grown = profileUpdatedAudit(applyProfilePatch(registered, { age: 18 }, t0 + 1), 60);
    expect(grown.map((e) => e.data)).toEqual([{ fields: ['age'], ageBand: 'adult' }]);
  });
});
