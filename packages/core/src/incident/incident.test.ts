import { describe, expect, it } from 'vitest';
import { isCgError } from '../errors.js';
import {
  cooldownDue,
  escalationDue,
  type Incident,
  incidentFigures,
  isTakeover,
  joinSignal,
  type OperatorAction,
  openedIncident,
  operatorStep,
} from './incident.js';

const MIN = 60_000;

const base: Incident = openedIncident(
  {
    id: 'i1',
    userId: 'u1',
    externalUserId: 'ext',
    sessionId: 's1',
    characterId: 'c1',
    severity: 'critical',
    reason: 'crisis',
    signals: [],
    ageBand: 'adult',
  },
  0,
);
const claimedBy = (op: string): Incident => ({ ...base, state: 'claimed', claimedBy: op, claimedAt: 1 });

function codeOf(f: () => unknown): string | null {
  try {
    f();
    return null;
  } catch (e) {
    return isCgError(e) ? e.code : 'other';
  }
}

describe('RISK-4: who may do what to an incident', () => {
  const cases: [string, Incident, string, OperatorAction, string | null][] = [
    ['anyone claims an open one', base, 'a', { kind: 'claim' }, null],
    ['another operator cannot claim a held one', claimedBy('a'), 'b', { kind: 'claim' }, 'incident-claimed'],
    ['the holder may write', claimedBy('a'), 'a', { kind: 'message' }, null],
    [
      'another operator may not write (claim first)',
      claimedBy('a'),
      'b',
      { kind: 'message' },
      'incident-claimed',
    ],
    ['nobody writes before a claim', base, 'a', { kind: 'message' }, 'incident-not-assigned'],
    ['nobody reads before a claim', base, 'a', { kind: 'read' }, 'incident-not-assigned'],
    ['another operator may not read', claimedBy('a'), 'b', { kind: 'read' }, 'incident-not-assigned'],
    ['another operator may not hand back', claimedBy('a'), 'b', { kind: 'handback' }, 'incident-claimed'],
    ['the holder closes', claimedBy('a'), 'a', { kind: 'close', outcome: 'safe' }, null],
    ['any operator adds a note', claimedBy('a'), 'b', { kind: 'note' }, null],
    [
      'a closed one takes nothing',
      { ...claimedBy('a'), state: 'closed' },
      'a',
      { kind: 'note' },
      'incident-closed',
    ],
  ];
  it.each(cases)('%s', (_name, incident, staff, action, code) => {
    expect(codeOf(() => operatorStep(incident, staff, action, 10))).toBe(code);
  });

  it('steps record their times once: claim, first human message, hand-back, close', () => {
    let i = operatorStep(base, 'a', { kind: 'claim' }, 60_000).incident;
    i = operatorStep(i, 'a', { kind: 'message' }, 90_000).incident;
    i = operatorStep(i, 'a', { kind: 'message' }, 95_000).incident;
    expect(i).toMatchObject({ state: 'claimed', claimedAt: 60_000, firstHumanMessageAt: 90_000 });
    i = operatorStep(i, 'a', { kind: 'handback' }, 100_000).incident;
    expect(i).toMatchObject({ state: 'handed-back', handedBackAt: 100_000 });
    expect(operatorStep(i, 'a', { kind: 'claim' }, 110_000).incident).toMatchObject({
      state: 'claimed',
      claimedAt: 60_000,
    });
    i = operatorStep(i, 'a', { kind: 'close', outcome: 'referred' }, 120_000).incident;
    expect(i).toMatchObject({ state: 'closed', closedAt: 120_000, outcome: 'referred' });
  });
});

describe('takeover, signals, timers', () => {
  it('RISK-4: takeover while a critical one waits (profile on) or once claimed (any profile)', () => {
    expect(isTakeover(base, true)).toBe(true);
    expect(isTakeover(base, false)).toBe(false);
    expect(isTakeover({ ...base, severity: 'high' }, true)).toBe(false);
    expect(isTakeover(claimedBy('a'), false)).toBe(true);
    expect(isTakeover({ ...claimedBy('a'), state: 'handed-back' }, true)).toBe(false);
  });

  it('a new critical signal takes a handed-back chat back to its operator and raises a high incident', () => {
    const signal = {
      severity: 'critical' as const,
      signals: [{ detector: 'crisis' as const, rule: 'r', tier: 2 }],
    };
    expect(joinSignal({ ...claimedBy('a'), state: 'handed-back' }, signal, 5)).toMatchObject({
      step: 'reopened',
      incident: { state: 'claimed', claimedBy: 'a' },
    });
    expect(joinSignal({ ...base, severity: 'high' }, signal, 5)?.incident.severity).toBe('critical');
  });

  it('escalation is due once, after claimWithinMinutes; cooldown only for incidents nobody holds', () => {
    expect(escalationDue(base, 5 * MIN - 1, 5)).toBe(false);
    expect(escalationDue(base, 5 * MIN, 5)).toBe(true);
    expect(escalationDue({ ...base, escalatedAt: 5 * MIN }, 6 * MIN, 5)).toBe(false);
    expect(escalationDue(claimedBy('a'), 6 * MIN, 5)).toBe(false);
    expect(cooldownDue(base, 60 * MIN, 60)).toBe(true);
    expect(cooldownDue(claimedBy('a'), 600 * MIN, 60)).toBe(false);
  });

  it('ASSESS-2: figures are medians from the opening, and outcome counts', () => {
    const f = incidentFigures([
      {
        ...claimedBy('a'),
        claimedAt: 60_000,
        firstHumanMessageAt: 120_000,
        state: 'closed',
        outcome: 'safe',
      },
      { ...claimedBy('b'), claimedAt: 180_000, contactNotifiedAt: 30_000 },
      base,
    ]);
    expect(f).toEqual({
      incidents: 3,
      claimed: 2,
      closed: 1,
      medianMs: { toClaim: 120_000, toFirstHumanMessage: 120_000, toContactNotification: 30_000 },
      outcomes: { safe: 1 },
    });
  });
});
