import { describe, expect, it } from 'vitest';
import { applyIncident, compareIncidents, formatDuration, matchesFilter } from './incident-queue.js';
import type { Incident } from './staff-api.js';

function incident(id: string, fields: Partial<Incident> = {}): Incident {
  return {
    id,
    user: `user-${id}`,
    sessionId: null,
    characterId: null,
    severity: 'high',
    state: 'open',
    reason: 'crisis',
    signals: [],
    openedAt: 1000,
    claimedAt: null,
    claimedBy: null,
    escalatedAt: null,
    firstHumanMessageAt: null,
    contactNotifiedAt: null,
    closedAt: null,
    outcome: null,
    ageBand: null,
    ...fields,
  };
}

describe('the crisis queue order and live updates', () => {
  it('puts waiting incidents first, critical before high, longest waiting on top; closed last, newest first', () => {
    const list = [
      incident('closed-old', { state: 'closed', closedAt: 10 }),
      incident('claimed', { state: 'claimed', severity: 'critical' }),
      incident('high-old', { openedAt: 100 }),
      incident('critical-new', { severity: 'critical', openedAt: 900 }),
      incident('closed-new', { state: 'closed', closedAt: 20 }),
      incident('critical-old', { severity: 'critical', openedAt: 500 }),
      incident('handed-back', { state: 'handed-back' }),
    ];
    expect(list.sort(compareIncidents).map((i) => i.id)).toEqual([
      'critical-old',
      'critical-new',
      'high-old',
      'claimed',
      'handed-back',
      'closed-new',
      'closed-old',
    ]);
  });

  it('adds, replaces and removes incidents as they change, by the filter shown', () => {
    const waiting = incident('a');
    let list = applyIncident([], waiting, 'active');
    list = applyIncident(list, incident('b', { severity: 'critical' }), 'active');
    expect(list.map((i) => i.id)).toEqual(['b', 'a']);
    const claimed = incident('b', { severity: 'critical', state: 'claimed', claimedBy: 'stf_1' });
    list = applyIncident(list, claimed, 'active');
    expect(list).toEqual([waiting, claimed]);
    list = applyIncident(list, { ...waiting, state: 'closed' }, 'active');
    expect(list.map((i) => i.id)).toEqual(['b']);
    expect(matchesFilter({ ...waiting, state: 'closed' }, 'closed')).toBe(true);
    expect(matchesFilter(waiting, 'closed')).toBe(false);
    expect(matchesFilter(waiting, 'all')).toBe(true);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0 s', '0 秒'],
    [45_900, '45 s', '45 秒'],
    [185_000, '3 min 5 s', '3 分 5 秒'],
    [3_600_000, '1 h 0 min', '1 小时 0 分'],
    [7_830_000, '2 h 10 min', '2 小时 10 分'],
    [90_000_000, '1 d 1 h', '1 天 1 小时'],
    [-5000, '0 s', '0 秒'],
  ])('%i ms → "%s" / "%s"', (ms, en, zh) => {
    expect(formatDuration(ms, 'en')).toBe(en);
    expect(formatDuration(ms, 'zh')).toBe(zh);
  });
});
