import { describe, expect, it } from 'vitest';
import { isCgError } from '../errors.js';
import type { MinorBand } from '../people/user-profile.js';
import { resolveProfile } from '../policy/resolve-profile.js';
import type { AgeBand, CharacterRecord } from '../ports.js';
import {
  onUserMessage,
  type SessionContext,
  type SessionState,
  startSession,
} from '../session/session-machine.js';
import type { Finding } from '../types.js';
import {
  adultDateOf,
  characterRefusal,
  checkGuardianControls,
  consentRequired,
  dailyLimitMinutes,
  inQuietHours,
  localDay,
  minorModeOf,
  minorTurnFacts,
  quietHoursCover,
} from './minor-policy.js';
import { emptyMinorState, type MinorState } from './minor-store.js';

const profile = resolveProfile('cn-2026');
const MINUTE = 60_000;
const utc = (y: number, mo: number, d: number, h = 0, mi = 0) => Date.UTC(y, mo - 1, d, h, mi);

const onState = (patch: Partial<MinorState> = {}): MinorState => ({
  ...emptyMinorState('u-1'),
  mode: 'on',
  reason: 'declared',
  since: 0,
  consent: { at: 0, method: 'email-code', policyVersion: 'v1', revokedAt: null },
  updatedAt: 0,
  ...patch,
});

describe('MINOR-1: quiet hours across midnight and time zones', () => {
  const night = { from: '22:00', to: '06:00' };
  it.each([
    // [UTC time, zone, quiet?]
    [utc(2026, 7, 15, 14, 30), 'Asia/Shanghai', true], // 22:30 in Shanghai
    [utc(2026, 7, 15, 13, 59), 'Asia/Shanghai', false], // 21:59
    [utc(2026, 7, 15, 14, 0), 'Asia/Shanghai', true], // 22:00 sharp
    [utc(2026, 7, 15, 21, 59), 'Asia/Shanghai', true], // 05:59
    [utc(2026, 7, 15, 22, 0), 'Asia/Shanghai', false], // 06:00 sharp
    [utc(2026, 7, 15, 14, 30), null, false], // 14:30 UTC
    [utc(2026, 7, 15, 23, 0), null, true], // 23:00 UTC
    [utc(2026, 7, 16, 5, 30), 'America/Los_Angeles', true], // 22:30 PDT
    [utc(2026, 1, 16, 5, 30), 'America/Los_Angeles', false], // 21:30 PST (no DST in January)
  ])('at %s in %s: quiet = %s', (at, zone, quiet) => {
    expect(inQuietHours(at, zone, night)).toBe(quiet);
  });

  it('a window within one day, and an empty one', () => {
    expect(inQuietHours(utc(2026, 7, 15, 13), null, { from: '12:00', to: '14:00' })).toBe(true);
    expect(inQuietHours(utc(2026, 7, 15, 14), null, { from: '12:00', to: '14:00' })).toBe(false);
    expect(inQuietHours(utc(2026, 7, 15, 14), null, { from: '14:00', to: '14:00' })).toBe(false);
  });

  it('the local day follows the time zone', () => {
    expect(localDay(utc(2026, 7, 15, 16, 30), 'Asia/Shanghai')).toBe('2026-07-16');
    expect(localDay(utc(2026, 7, 15, 16, 30), null)).toBe('2026-07-15');
  });

  it.each([
    [{ from: '22:00', to: '06:00' }, { from: '23:00', to: '05:00' }, true],
    [{ from: '21:00', to: '07:00' }, { from: '22:00', to: '06:00' }, true],
    [{ from: '23:30', to: '05:00' }, { from: '23:00', to: '05:00' }, false],
    [{ from: '23:00', to: '04:59' }, { from: '23:00', to: '05:00' }, false],
    [{ from: '20:00', to: '08:00' }, { from: '23:00', to: '05:00' }, true],
    [{ from: '01:00', to: '06:00' }, { from: '23:00', to: '05:00' }, false],
  ])('quietHoursCover(%j, %j) = %s', (outer, inner, covers) => {
    expect(quietHoursCover(outer, inner)).toBe(covers);
  });
});

describe('MINOR-1: the mode, its bands, limits and natural end', () => {
  it.each([
    ['2011-03-02', '2029-03-02'],
    ['2012-02-29', '2030-03-01'],
    ['2008-02-29', '2026-03-01'],
  ])('a birth date %s comes of age on %s', (birthDate, day) => {
    expect(adultDateOf({ birthDate, declaredAge: null, timeZone: null })).toBe(day);
  });

  it('a declared age comes of age on the anniversary of its declaration; no age, no day', () => {
    const at = utc(2026, 7, 15, 20); // 2026-07-16 in Shanghai
    expect(adultDateOf({ birthDate: null, declaredAge: { age: 15, at }, timeZone: 'Asia/Shanghai' })).toBe(
      '2029-07-16',
    );
    expect(adultDateOf({ birthDate: null, declaredAge: null, timeZone: null })).toBeNull();
  });

  it.each<[AgeBand, MinorState | null, string, boolean, MinorBand | null]>([
    ['14-15', null, '2026-07-15', true, '14-15'],
    ['adult', onState({ endsOn: '2029-03-02' }), '2026-07-15', true, '14-15'],
    ['adult', onState({ endsOn: '2029-03-02' }), '2029-03-02', false, null],
    ['unknown', onState({ reason: 'suspected' }), '2026-07-15', true, '14-15'],
    ['adult', onState({ reason: 'guardian' }), '2040-01-01', true, '16-17'],
    ['adult', emptyMinorState('u-1'), '2026-07-15', false, null],
    ['elderly', null, '2026-07-15', false, null],
  ])('band %s with state %j on %s: on = %s (limits of band %s)', (band, state, today, on, limitBand) => {
    const mode = minorModeOf(state, band, today);
    expect(mode.on).toBe(on);
    if (limitBand) expect(mode.band).toBe(limitBand);
  });

  it('the declared mode ending on its day is reported as come of age', () => {
    expect(minorModeOf(onState({ endsOn: '2029-03-02' }), 'adult', '2029-03-02').cameOfAge).toBe(true);
    expect(minorModeOf(onState({ endsOn: '2029-03-02' }), 'adult', '2029-03-01').cameOfAge).toBe(false);
  });

  it.each<[MinorBand, number | null, number]>([
    ['under-14', null, 60],
    ['14-15', null, 60],
    ['16-17', null, 120],
    ['14-15', 30, 30],
  ])('daily limit of %s with the guardian’s %s: %s minutes', (band, guardian, limit) => {
    const state = onState({ controls: { ...emptyMinorState('u').controls, dailyLimitMinutes: guardian } });
    expect(dailyLimitMinutes(profile, band, state)).toBe(limit);
  });

  it('the gap before a turn counts as use only below the idle gap, and only after the last counted turn', () => {
    const view = (lastUsageAt: number | null) => ({
      state: onState(),
      today: { day: '2026-07-15', usedMs: 40 * MINUTE, characters: [] },
      lastUsageAt,
    });
    const at = utc(2026, 7, 15, 8);
    expect(minorTurnFacts(profile, view(at - 10 * MINUTE), '14-15', at, null).usedMinutes).toBe(50);
    expect(minorTurnFacts(profile, view(at - 30 * MINUTE), '14-15', at, null).usedMinutes).toBe(40);
    expect(minorTurnFacts(profile, view(at + MINUTE), '14-15', at, null).usedMinutes).toBe(40);
    expect(minorTurnFacts(profile, view(null), '14-15', at, null).usedMinutes).toBe(40);
  });
});

describe('MINOR-4: guardian controls within the profile’s bounds', () => {
  const check = (patch: Parameters<typeof checkGuardianControls>[0], band: MinorBand = '14-15') => {
    try {
      checkGuardianControls(patch, band, profile);
      return 'ok';
    } catch (e) {
      return isCgError(e) && e.code === 'invalid-request' ? e.message : 'other';
    }
  };
  it.each([
    [{ dailyLimitMinutes: 30 }, 'ok'],
    [{ dailyLimitMinutes: 120 }, 'ok'],
    [{ dailyLimitMinutes: 121 }, 'from 1 to 120'],
    [{ dailyLimitMinutes: 0 }, 'from 1 to 120'],
    [{ dailyLimitMinutes: 12.5 }, 'from 1 to 120'],
    [{ dailyLimitMinutes: null }, 'ok'],
    [{ quietHours: { from: '21:00', to: '07:00' } }, 'ok'],
    [{ quietHours: { from: '23:00', to: '05:00' } }, 'ok'],
    [{ quietHours: { from: '23:30', to: '05:00' } }, 'cover at least 23:00–05:00'],
    [{ quietHours: { from: '25:00', to: '05:00' } }, 'HH:MM'],
    [{ blockedCharacters: ['a', ''] }, 'character ids'],
  ])('%j → %s', (patch, expected) => {
    const result = check(patch);
    if (expected === 'ok') expect(result).toBe('ok');
    else expect(result).toContain(expected);
  });

  it('16–17 may be allowed up to 180 minutes', () => {
    expect(check({ dailyLimitMinutes: 180 }, '16-17')).toBe('ok');
    expect(check({ dailyLimitMinutes: 181 }, '16-17')).toContain('from 1 to 180');
  });
});

describe('MINOR-2 / MINOR-3 / ELDER-3: consent and characters', () => {
  it.each<[MinorBand, 'companion' | 'tool', boolean]>([
    ['under-14', 'tool', true],
    ['under-14', 'companion', true],
    ['14-15', 'tool', false],
    ['14-15', 'companion', true],
    ['16-17', 'companion', true],
  ])('%s using a %s character needs consent: %s', (band, scope, needed) => {
    expect(consentRequired(profile, band, { scope })).toBe(needed);
  });

  const character = (relation: CharacterRecord['relation'], id = `c-${relation}`) => ({ id, relation });
  it.each<[CharacterRecord['relation'], AgeBand, boolean, string | null]>([
    ['partner', '14-15', true, 'minor-relation'],
    ['kin', '16-17', true, 'minor-relation'],
    ['friend', '14-15', true, null],
    ['partner', 'adult', false, null],
    ['kin', 'elderly', false, 'elderly-kin'],
    ['partner', 'elderly', false, null],
  ])('a %s character for band %s (minor mode %s): %s', (relation, band, on, refusal) => {
    expect(characterRefusal(profile, character(relation), band, { on, state: null })).toBe(refusal);
  });

  it('a character the guardian blocked is refused only in minor mode; ELDER-3 follows the profile', () => {
    const state = onState({
      controls: { ...emptyMinorState('u').controls, blockedCharacters: ['c-friend'] },
    });
    expect(characterRefusal(profile, character('friend'), '14-15', { on: true, state })).toBe(
      'guardian-blocked',
    );
    expect(characterRefusal(profile, character('friend'), 'adult', { on: false, state })).toBeNull();
    const lenient = resolveProfile('cn-2026', { elderly: { refuseKinCharacters: false } });
    expect(characterRefusal(lenient, character('kin'), 'elderly', { on: false, state: null })).toBeNull();
  });
});

describe('MINOR-1..3: the gates in the session machine come after crisis and exit', () => {
  const t0 = utc(2026, 7, 15, 2); // 10:00 in Shanghai
  const crisis: Finding = {
    detector: 'crisis',
    rule: 'crisis.test',
    category: 'suicide',
    tier: 2,
    span: [0, 1],
    confidence: 0.9,
    evasion: [],
    status: 'ok',
  };
  const exit: Finding = {
    ...crisis,
    detector: 'exit-intent',
    rule: 'exit.test',
    category: 'farewell',
    tier: 1,
  };
  const ctxAt = (
    at: number,
    patch: Partial<MinorState> = {},
    used = 0,
    relation: CharacterRecord['relation'] = 'friend',
  ): SessionContext => {
    const state = onState({ since: t0, ...patch });
    return {
      profile,
      locale: 'en',
      ageBand: '14-15',
      character: { id: `c-${relation}`, relation, scope: 'companion' },
      minor: {
        mode: minorModeOf(state, '14-15', localDay(at, 'Asia/Shanghai')),
        state,
        usedMinutes: used,
        timeZone: 'Asia/Shanghai',
      },
    };
  };
  const start = (ctx: SessionContext): SessionState =>
    startSession({ at: t0, ctx, reason: 'first-use' }).state;
  const night = utc(2026, 7, 15, 15); // 23:00 in Shanghai

  it('MINOR-1: a crisis at quiet hours gets the crisis reply; an exit ends the session', () => {
    const ctx = ctxAt(night);
    const state = start(ctx);
    const inCrisis = onUserMessage(state, { at: night, findings: [crisis] }, ctx);
    expect(inCrisis.action).toMatchObject({ kind: 'reply', reason: 'crisis' });
    expect(inCrisis.directives.map((d) => d.type)).toContain('crisis-resources');
    const leaving = onUserMessage(state, { at: night, findings: [exit] }, ctx);
    expect(leaving.action).toMatchObject({ kind: 'reply', reason: 'exit' });
  });

  it('MINOR-1, RISK-5: a scam reported at quiet hours still gets the warning and tells the guardian; the gate holds', () => {
    const ctx = ctxAt(night);
    const scam: Finding = {
      detector: 'scam-signal',
      status: 'ok',
      span: [0, 4],
      rule: 'scam.test',
      category: 'transfer-request',
      tier: 2,
      confidence: 0.9,
      evasion: [],
    };
    const t = onUserMessage(start(ctx), { at: night, findings: [scam] }, ctx);
    expect(t.action).toMatchObject({ kind: 'reply', reason: 'quiet-hours' });
    expect(t.directives.map((d) => d.type)).toEqual(['risk-warning', 'quiet-hours']);
    expect(t.incident).toMatchObject({ reason: 'scam', severity: 'high' });
  });

  it.each<[string, SessionContext, string, string]>([
    ['quiet hours', ctxAt(night), 'quiet-hours', 'MINOR-1'],
    ['the daily limit', ctxAt(t0, {}, 60), 'time-limit', 'MINOR-1'],
    ['no consent', ctxAt(t0, { consent: null }), 'consent-required', 'MINOR-2'],
    [
      'revoked consent',
      ctxAt(t0, { consent: { at: 0, method: 'link', policyVersion: 'v1', revokedAt: 1 } }),
      'consent-required',
      'MINOR-2',
    ],
    [
      'a partner, before consent too',
      ctxAt(t0, { consent: null }, 0, 'partner'),
      'character-not-allowed',
      'MINOR-3',
    ],
  ])('MINOR gates: %s → %s, no model call, audited', (_name, ctx, gate, requirement) => {
    const at = gate === 'quiet-hours' ? night : t0;
    const t = onUserMessage(start(ctx), { at, findings: [] }, ctx);
    expect(t.action).toMatchObject({ kind: 'reply', reason: gate });
    expect(t.directives).toEqual([expect.objectContaining({ type: gate, requirement, display: 'inline' })]);
    expect(t.audit).toContainEqual({
      type: 'minor-gate',
      requirement,
      data: expect.objectContaining({ gate }),
    });
    expect(JSON.stringify(t.audit)).not.toContain(t.directives[0]?.text ?? '∅');
  });

  it('ELDER-3: an elderly user is refused a kin character, kindly, without minor mode', () => {
    const ctx: SessionContext = {
      profile,
      locale: 'zh',
      ageBand: 'elderly',
      character: { id: 'grandson', relation: 'kin', scope: 'companion' },
    };
    const t = onUserMessage(start(ctx), { at: t0, findings: [] }, ctx);
    expect(t.action).toMatchObject({ kind: 'reply', reason: 'character-not-allowed' });
    expect(t.directives[0]).toMatchObject({ type: 'character-not-allowed', requirement: 'ELDER-3' });
  });

  it('MINOR-1: an allowed turn gets the minor-mode notice once, a rest reminder at 30 and the reality reminder at 60 minutes', () => {
    const ctx = ctxAt(t0);
    let state = start(ctx);
    const seen: [number, string][] = [];
    for (let minute = 0; minute <= 65; minute += 5) {
      const t = onUserMessage(state, { at: t0 + minute * MINUTE, findings: [] }, ctx);
      expect(t.action.kind).toBe('call-model');
      state = t.state;
      for (const d of t.directives)
        if (d.type !== 'ai-disclosure' || d.requirement === 'MINOR-1')
          seen.push([minute, `${d.type}:${d.requirement}`]);
    }
    expect(seen).toEqual([
      [0, 'minor-mode:MINOR-1'],
      [30, 'rest-reminder:MINOR-1'],
      [60, 'rest-reminder:MINOR-1'],
      [60, 'ai-disclosure:MINOR-1'],
    ]);
  });

  it('MINOR-5: the machine shows no second notice to a suspected user (the gateway told them in the turn that switched)', () => {
    const ctx = ctxAt(t0, { reason: 'suspected' });
    const t = onUserMessage(start(ctx), { at: t0, findings: [] }, ctx);
    expect(t.action.kind).toBe('call-model');
    expect(t.directives.map((d) => d.type)).not.toContain('minor-mode');
  });
});
