import { describe, expect, it } from 'vitest';
import { isCgError } from '../errors.js';
import {
  onUserMessage,
  type SessionContext,
  startSession,
  switchProfile,
} from '../session/session-machine.js';
import { describePolicyProfileConformance } from '../testing/policy-profile-conformance.js';
import { createProfileBook, euMemberStates, singleProfileBook } from './profile-book.js';
import { builtInProfiles } from './profiles.js';
import { resolveProfile } from './resolve-profile.js';

for (const profile of Object.values(builtInProfiles)) describePolicyProfileConformance(profile);

const mapping = {
  default: 'cn-2026',
  byRegion: { CN: 'cn-2026', 'US-CA': 'us-ca-sb243', 'us-ny': 'us-ny-art47', EU: 'eu-ai-act', FR: 'cn-2026' },
};

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (isCgError(e)) return `${e.code}: ${e.message}`;
    throw e;
  }
  return 'no error';
}

describe('SCOPE-2: the profile per user region (ProfileBook)', () => {
  const book = createProfileBook(mapping);

  it('SCOPE-2: an exact code wins, then its country, then EU for a member state; unknown or none → default', () => {
    expect(book.forRegion('US-CA').id).toBe('us-ca-sb243');
    expect(book.forRegion('US-NY').id).toBe('us-ny-art47');
    expect(book.forRegion('us-ca').id).toBe('us-ca-sb243');
    expect(book.forRegion('US-TX').id).toBe('cn-2026'); // no US entry: the default
    expect(book.forRegion('DE').id).toBe('eu-ai-act');
    expect(book.forRegion('DE-BY').id).toBe('eu-ai-act');
    expect(book.forRegion('FR').id).toBe('cn-2026'); // a member state named itself wins over EU
    expect(book.forRegion('CH').id).toBe('cn-2026'); // not an EU member state
    expect(book.forRegion('BR').id).toBe('cn-2026');
    expect(book.forRegion(null).id).toBe('cn-2026');
    expect(book.forRegion('').id).toBe('cn-2026');
    expect(book.forUser({ region: 'IT' }).id).toBe('eu-ai-act');
    expect(book.default.id).toBe('cn-2026');
    expect(book.all.map((p) => p.id)).toEqual(['cn-2026', 'us-ca-sb243', 'us-ny-art47', 'eu-ai-act']);
    expect(book.byRegion['US-NY']).toBe('us-ny-art47');
    expect(book.byId('eu-ai-act')).toBe(book.forRegion('AT'));
    expect(book.byId('cn-2025-draft')).toBeUndefined();
    expect(euMemberStates.size).toBe(27);
  });

  it('SCOPE-2: a country entry covers its subdivisions', () => {
    const us = createProfileBook({
      default: 'cn-2026',
      byRegion: { US: 'us-ny-art47', 'US-CA': 'us-ca-sb243' },
    });
    expect(us.forRegion('US-TX').id).toBe('us-ny-art47');
    expect(us.forRegion('US-CA').id).toBe('us-ca-sb243');
  });

  it('SCOPE-2: overrides apply to the named profile only, validated like the built-in ones', () => {
    const b = createProfileBook({
      default: 'cn-2026',
      byRegion: { 'US-CA': 'us-ca-sb243' },
      overrides: { 'us-ca-sb243': { usageReminder: { everyMinutes: 150 } } },
    });
    expect(b.forRegion('US-CA').usageReminder?.everyMinutes).toBe(150);
    expect(b.default.usageReminder?.everyMinutes).toBe(120);
  });

  it('SCOPE-2: a bad mapping fails at start-up naming the field', () => {
    expect(codeOf(() => createProfileBook({ default: 'nope' }))).toMatch(
      /^invalid-profile: profiles.default: unknown profile "nope"; built-in profiles: .*eu-ai-act/,
    );
    expect(codeOf(() => createProfileBook({ default: 'cn-2026', byRegion: { 'US-CA': 'us-ca' } }))).toMatch(
      /^invalid-profile: profiles.byRegion.US-CA: unknown profile "us-ca"/,
    );
    expect(
      codeOf(() => createProfileBook({ default: 'cn-2026', byRegion: { California: 'us-ca-sb243' } })),
    ).toBe(
      'invalid-profile: profiles.byRegion.California: must be a region code such as CN, US-CA, DE or EU',
    );
    expect(
      codeOf(() => createProfileBook({ default: 'cn-2026', byRegion: { de: 'eu-ai-act', DE: 'cn-2026' } })),
    ).toBe('invalid-profile: profiles.byRegion.DE: region DE is mapped twice');
    expect(codeOf(() => createProfileBook({ default: 'cn-2026', overrides: { 'xx-1': {} } }))).toMatch(
      /^invalid-profile: profiles.overrides.xx-1: unknown profile/,
    );
    expect(
      codeOf(() =>
        createProfileBook({
          default: 'cn-2026',
          byRegion: { EU: 'eu-ai-act' },
          overrides: { 'eu-ai-act': { usageReminder: { everyMinutes: -5 } } },
        }),
      ),
    ).toMatch(/^invalid-profile: Invalid policy profile "eu-ai-act": usageReminder.everyMinutes/);
  });

  it('SCOPE-2: a single-profile book gives everybody the same profile', () => {
    const p = resolveProfile('us-ny-art47');
    const single = singleProfileBook(p);
    expect(single.forRegion('CN')).toBe(p);
    expect(single.forUser({ region: null })).toBe(p);
    expect(single.byId('us-ny-art47')).toBe(p);
  });
});

describe('SCOPE-2: a session continues under the profile of the user’s new region', () => {
  const cn: SessionContext = { profile: resolveProfile('cn-2026'), locale: 'en', ageBand: '14-15' };
  const ca: SessionContext = { ...cn, profile: resolveProfile('us-ca-sb243') };
  const MIN = 60_000;

  it('SCOPE-2: the switch is audited, the state names the new profile, and the next reminder follows its cadence', () => {
    let state = startSession({ at: 0, ctx: cn, reason: 'first-use' }).state;
    for (let m = 20; m <= 140; m += 20) state = onUserMessage(state, { at: m * MIN, findings: [] }, cn).state;
    expect(state.remindersShown).toBe(1); // the 120-minute reminder under cn-2026
    expect(switchProfile(state, cn)).toEqual({ state, directives: [], audit: [] });
    const switched = onUserMessage(state, { at: 160 * MIN, findings: [] }, ca);
    expect(switched.state.profileId).toBe('us-ca-sb243');
    expect(switched.audit[0]).toEqual({
      type: 'profile-switched',
      requirement: 'SCOPE-2',
      data: { from: 'cn-2026', to: 'us-ca-sb243' },
    });
    expect(switched.directives).toEqual([]);
    const later = onUserMessage(switched.state, { at: 180 * MIN, findings: [] }, ca);
    expect(later.directives.map((d) => `${d.type}/${d.requirement}`)).toEqual([
      'take-a-break/DISC-6',
      'ai-disclosure/DISC-6',
    ]);
  });
});
