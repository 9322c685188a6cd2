import { describe, expect, it } from 'vitest';
import { resolveProfile } from '../policy/resolve-profile.js';
import type { AgeBand } from '../ports.js';
import type { Finding } from '../types.js';
import {
  isCompanion,
  onAssistantOutput,
  onUserMessage,
  type SessionContext,
  startSession,
} from './session-machine.js';

const MIN = 60_000;

function ctx(profileId: string, scope: 'companion' | 'tool', ageBand: AgeBand = 'adult'): SessionContext {
  return {
    profile: resolveProfile(profileId),
    locale: 'en',
    ageBand,
    character: { id: scope === 'tool' ? 'study-buddy' : 'xiaonuan', relation: 'assistant', scope },
  };
}

function finding(detector: Finding['detector'], category: string, tier: 1 | 2): Finding {
  return {
    detector,
    rule: `${detector}.t`,
    category,
    tier,
    span: [0, 1],
    confidence: 0.9,
    evasion: [],
    status: 'ok',
  };
}

/** Directives (type/requirement) seen over `total` minutes of a message every 20 minutes. */
function directivesOver(c: SessionContext, total: number): string[] {
  const start = startSession({ at: 0, ctx: c, reason: 'first-use' });
  const seen = start.directives.map((d) => `0:${d.type}/${d.requirement}`);
  let state = start.state;
  for (let m = 20; m <= total; m += 20) {
    const t = onUserMessage(state, { at: m * MIN, findings: [] }, c);
    state = t.state;
    seen.push(...t.directives.map((d) => `${m}:${d.type}/${d.requirement}`));
  }
  return seen;
}

describe('SCOPE-1: tool characters get the tool rules, companions the companion rules', () => {
  it('SCOPE-1: no character known counts as a companion (the stricter rules)', () => {
    expect(isCompanion({ profile: resolveProfile('cn-2026'), locale: 'zh', ageBand: 'adult' })).toBe(true);
    expect(isCompanion(ctx('cn-2026', 'tool'))).toBe(false);
  });

  it('SCOPE-1: cn-2026 — the AI notice for both; the 2-hour usage reminders (TIME-1) for the companion only', () => {
    expect(directivesOver(ctx('cn-2026', 'companion'), 240)).toEqual([
      '0:ai-disclosure/DISC-1',
      '120:usage-reminder/TIME-1',
      '240:usage-reminder/TIME-1',
    ]);
    expect(directivesOver(ctx('cn-2026', 'tool'), 240)).toEqual(['0:ai-disclosure/DISC-1']);
  });

  it('SCOPE-1: us-ca-sb243 minor — break prompts and repeated notices (DISC-6) for the companion only', () => {
    expect(directivesOver(ctx('us-ca-sb243', 'companion', '14-15'), 200)).toEqual([
      '0:ai-disclosure/DISC-1',
      '180:take-a-break/DISC-6',
      '180:ai-disclosure/DISC-6',
    ]);
    expect(directivesOver(ctx('us-ca-sb243', 'tool', '14-15'), 200)).toEqual(['0:ai-disclosure/DISC-1']);
  });

  it('SCOPE-1: the over-reliance notice (DISC-3) is for companions; the signal is still recorded (RISK-1)', () => {
    const dependence = [finding('dependence', 'reliance', 2)];
    for (const scope of ['companion', 'tool'] as const) {
      const c = ctx('cn-2026', scope);
      const state = startSession({ at: 0, ctx: c, reason: 'first-use' }).state;
      const t = onUserMessage(state, { at: MIN, findings: dependence }, c);
      expect(t.directives.some((d) => d.type === 'dependence-notice')).toBe(scope === 'companion');
      expect(t.audit.map((a) => a.type)).toContain('signal-detected');
      expect(t.action).toEqual({ kind: 'call-model' });
    }
  });

  it('SCOPE-1: crisis handling, prohibited input and withheld output apply to tool characters too', () => {
    const c = ctx('cn-2026', 'tool');
    const state = startSession({ at: 0, ctx: c, reason: 'first-use' }).state;
    const crisis = onUserMessage(state, { at: MIN, findings: [finding('crisis', 'suicide-intent', 2)] }, c);
    expect(crisis.action).toMatchObject({ kind: 'reply', reason: 'crisis' });
    expect(crisis.directives.map((d) => d.type)).toContain('crisis-resources');
    const blocked = onUserMessage(state, { at: MIN, findings: [finding('prohibited', 'csam', 2)] }, c);
    expect(blocked.action).toMatchObject({ kind: 'reply', reason: 'input-blocked' });
    const guilt = onAssistantOutput(
      state,
      { findings: [finding('manipulation', 'guilt-at-farewell', 2)] },
      c,
    );
    expect(guilt.withhold).toBe(true);
  });
});
