import { describe, expect, it } from 'vitest';
import { runDetectors } from '../detect/index.js';
import { resolveProfile } from '../policy/resolve-profile.js';
import { decayedSuspicion, inSchoolHours, suspicionPoints } from './suspected-minor.js';

const config = resolveProfile('cn-2026').suspectedMinors;
// Wednesday 15 July 2026, 02:00 UTC = 10:00 in Shanghai.
const wednesdayMorningShanghai = Date.UTC(2026, 6, 15, 2, 0);
const saturday = Date.UTC(2026, 6, 18, 2, 0);

function points(text: string, sessionStart = false, at = Date.UTC(2026, 6, 15, 20, 0)) {
  return suspicionPoints(
    runDetectors(text, { side: 'input' }),
    { at, timeZone: 'Asia/Shanghai', sessionStart },
    config,
  );
}

describe('MINOR-5: suspicion points of one turn', () => {
  it.each([
    ['我上初二了', 100],
    ["I'm in 8th grade", 100],
    ['我今年13岁', 100],
    ['明天要开家长会了', 34],
    ['我妈不让我玩手机', 34],
    ['我儿子上初二了', 0],
    ['I teach 8th grade', 0],
    ['今天天气不错', 0],
  ] as const)('MINOR-5: %s → %i points', (text, expected) => {
    expect(points(text).points).toBe(expected);
  });

  it('MINOR-5: a session started in school hours on a school day adds its weight to an age signal, in the user’s time zone; alone it adds nothing', () => {
    expect(inSchoolHours(wednesdayMorningShanghai, 'Asia/Shanghai', config)).toBe(true);
    expect(inSchoolHours(wednesdayMorningShanghai, 'America/New_York', config)).toBe(false);
    expect(inSchoolHours(saturday, 'Asia/Shanghai', config)).toBe(false);
    expect(points('明天要开家长会了', true, wednesdayMorningShanghai)).toEqual({
      points: 39,
      signals: ['age-signal.school', 'usage.school-hours'],
    });
    expect(points('明天要开家长会了', false, wednesdayMorningShanghai).points).toBe(34);
    expect(points('今天天气不错', true, wednesdayMorningShanghai)).toEqual({ points: 0, signals: [] });
  });

  it('MINOR-5: a score halves every half-life without a new signal', () => {
    const day = 86_400_000;
    expect(decayedSuspicion(80, 0, 0, config)).toBe(80);
    expect(decayedSuspicion(80, 0, config.halfLifeDays * day, config)).toBeCloseTo(40);
    expect(decayedSuspicion(80, 0, 2 * config.halfLifeDays * day, config)).toBeCloseTo(20);
  });

  it('MINOR-5: nothing when the profile turns scoring off (and the US profiles do)', () => {
    expect(resolveProfile('us-ca-sb243').suspectedMinors.enabled).toBe(false);
    expect(resolveProfile('us-ny-art47').suspectedMinors.enabled).toBe(false);
    const off = resolveProfile('cn-2026', { suspectedMinors: { enabled: false } }).suspectedMinors;
    const findings = runDetectors('我上初二了', { side: 'input' });
    expect(suspicionPoints(findings, { at: 0, timeZone: null, sessionStart: true }, off).points).toBe(0);
  });

  it('MINOR-1, MINOR-5: the profile’s default time zone must be a real IANA zone', () => {
    expect(resolveProfile('cn-2026').session.defaultTimeZone).toBe('Asia/Shanghai');
    expect(resolveProfile('us-ny-art47').session.defaultTimeZone).toBe('America/New_York');
    expect(() => resolveProfile('cn-2026', { session: { defaultTimeZone: 'Mars/Olympus' } })).toThrow(
      /IANA time zone/,
    );
  });
});
