import { describe, expect, it } from 'vitest';
import { builtInProfiles } from '../policy/profiles.js';
import { onUserMessage, type SessionContext, startSession } from '../session/session-machine.js';
import {
  type ControlNames,
  type ControlsSnapshot,
  noticeTooSoon,
  type ServiceNotice,
  type ServiceSwitch,
  turnControls,
} from './service-controls.js';

const t0 = Date.UTC(2026, 10, 1);
const DAY = 86_400_000;
const profile = builtInProfiles['cn-2026'];
if (!profile) throw new Error('cn-2026 missing');
const names: ControlNames = {
  character: (id) => (id === 'xiaonuan' ? { zh: '小暖', en: 'Xiaonuan' } : null),
  functionName: (id) => (id === 'voice' ? { zh: '语音', en: 'voice' } : null),
};

function notice(patch: Partial<ServiceNotice>): ServiceNotice {
  return {
    id: 'n1',
    scope: 'character',
    target: 'xiaonuan',
    effectiveAt: t0 + 10 * DAY,
    createdAt: t0,
    createdBy: 'staff-1',
    reason: null,
    cancelledAt: null,
    cancelledBy: null,
    ...patch,
  };
}

function off(patch: Partial<ServiceSwitch>): ServiceSwitch {
  return {
    scope: 'function',
    target: 'voice',
    off: true,
    changeId: 'c1',
    reason: 'risk',
    changedBy: 'staff-1',
    changedAt: t0,
    ...patch,
  };
}

describe('service notices and switches (pure rules)', () => {
  it('NOTICE-1: a character notice concerns only the users of that character, until it takes effect; then the character is off', () => {
    const snapshot: ControlsSnapshot = { switches: [], notices: [notice({})] };
    expect(turnControls(snapshot, 'xiaonuan', t0 + DAY, names).notices).toEqual([
      { notice: notice({}), name: { zh: '小暖', en: 'Xiaonuan' } },
    ]);
    expect(turnControls(snapshot, 'leo', t0 + DAY, names).notices).toEqual([]);
    const after = turnControls(snapshot, 'xiaonuan', t0 + 10 * DAY, names);
    expect(after.notices).toEqual([]);
    expect(after.off).toMatchObject({ scope: 'character', target: 'xiaonuan', by: 'notice', id: 'n1' });
    expect(turnControls(snapshot, 'leo', t0 + 10 * DAY, names).off).toBeNull();
    // Cancelled: nothing at all.
    const cancelled = { switches: [], notices: [notice({ cancelledAt: t0 + 1, cancelledBy: 's' })] };
    expect(turnControls(cancelled, 'xiaonuan', t0 + 11 * DAY, names)).toEqual({
      off: null,
      functionsOff: [],
      notices: [],
    });
  });

  it('NOTICE-1: the advance period is the profile’s per scope', () => {
    expect(noticeTooSoon(profile, 'character', t0 + 7 * DAY, t0)).toBeNull();
    expect(noticeTooSoon(profile, 'character', t0 + 7 * DAY - 1, t0)).toBe(7);
    expect(noticeTooSoon(profile, 'service', t0 + 29 * DAY, t0)).toBe(30);
  });

  it('NOTICE-1, ASSESS-3: notices and function switch-offs are shown once per session, with the safety reply; the service off refuses after the crisis check', () => {
    const snapshot: ControlsSnapshot = {
      switches: [off({}), off({ scope: 'service', target: '', changeId: 'c2' })],
      notices: [notice({ scope: 'outage', target: '', effectiveAt: t0, id: 'o1' })],
    };
    const controls = turnControls(snapshot, 'xiaonuan', t0, names);
    const ctx: SessionContext = { profile, locale: 'zh', ageBand: 'adult', controls };
    const start = startSession({ at: t0, ctx, reason: 'first-use' }).state;
    const first = onUserMessage(start, { at: t0, findings: [] }, ctx);
    expect(first.action).toMatchObject({ kind: 'reply', reason: 'feature-off' });
    expect(first.directives.map((d) => [d.type, d.requirement, d.display])).toEqual([
      ['service-notice', 'NOTICE-1', 'banner'],
      ['feature-off', 'ASSESS-3', 'banner'],
      ['feature-off', 'ASSESS-3', 'inline'],
    ]);
    const second = onUserMessage(first.state, { at: t0 + 1000, findings: [] }, ctx);
    expect(second.directives.map((d) => d.type)).toEqual(['feature-off']);
    expect(second.audit.map((a) => a.type)).toEqual(['feature-off']);
  });
});
