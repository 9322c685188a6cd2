import { describe, expect, it } from 'vitest';
import { resolveProfile } from '../policy/resolve-profile.js';
import type { Finding } from '../types.js';
import {
  currentScores,
  emotionalLevel,
  emotionalPoints,
  emotionalSummary,
  emotionalTrend,
  halfLifeDecay,
} from './emotional-state.js';

const config = resolveProfile('cn-2026').emotionalState;
const DAY = 86_400_000;
const t0 = Date.UTC(2026, 6, 15, 12);

function finding(detector: Finding['detector'], tier: 0 | 1 | 2, status: Finding['status'] = 'ok'): Finding {
  return {
    detector,
    rule: `${detector}.t${tier}`,
    category: 'c',
    tier,
    span: [0, 1],
    confidence: 1,
    evasion: [],
    status,
  };
}

describe('emotional state (RISK-1)', () => {
  it('RISK-1: points: extreme emotion 1 or 2, any crisis signal 3, dependence 1; tier 0 and errors add nothing', () => {
    expect(emotionalPoints([finding('emotion', 1)])).toEqual({
      emotion: 1,
      dependence: 0,
      signals: ['emotion.t1'],
    });
    expect(emotionalPoints([finding('emotion', 2), finding('crisis', 1)]).emotion).toBe(3);
    expect(emotionalPoints([finding('dependence', 1), finding('dependence', 2)]).dependence).toBe(1);
    expect(
      emotionalPoints([finding('crisis', 0), finding('emotion', 2, 'error'), finding('prohibited', 2)]),
    ).toEqual({
      emotion: 0,
      dependence: 0,
      signals: [],
    });
  });

  it('RISK-1: scores halve every half-life; never-raised scores are zero', () => {
    expect(halfLifeDecay(8, t0, t0 + 7 * DAY, 7)).toBeCloseTo(4, 9);
    expect(halfLifeDecay(8, t0, t0 - DAY, 7)).toBe(8);
    expect(currentScores({ emotion: 6, dependence: 2, at: t0 }, t0 + 14 * DAY, config)).toEqual({
      emotion: 1.5,
      dependence: 0.5,
      at: t0,
    });
    expect(currentScores({ emotion: 5, dependence: 5, at: null }, t0, config)).toEqual({
      emotion: 0,
      dependence: 0,
      at: null,
    });
  });

  it('RISK-1: levels and the week trend', () => {
    expect([0, config.elevatedAt, config.highAt].map((e) => emotionalLevel(e, config))).toEqual([
      'low',
      'elevated',
      'high',
    ]);
    const now = { emotion: 5, dependence: 0, at: t0 };
    expect(emotionalTrend([], now, '2026-07-08', config)).toBe('rising');
    const weekAgo = [{ day: '2026-07-08', emotion: 10, dependence: 0, signals: 3 }];
    expect(emotionalTrend(weekAgo, now, '2026-07-08', config)).toBe('falling');
    const older = [{ day: '2026-07-01', emotion: 10, dependence: 0, signals: 3 }];
    // 10 a week before the week-ago day decays to 5 by then: no change.
    expect(emotionalTrend(older, now, '2026-07-08', config)).toBe('steady');
    const summary = emotionalSummary(
      { emotion: 7, dependence: 1, at: t0 },
      weekAgo,
      t0,
      '2026-07-08',
      config,
    );
    expect(summary).toMatchObject({ emotion: 7, dependence: 1, level: 'high', trend: 'falling' });
  });
});
