import { describe, expect, it } from 'vitest';
import { DETECTOR_NAMES, WITHHOLDING_DETECTORS } from '../detect/registry.js';
import { resolveProfile } from '../policy/resolve-profile.js';
import type { AgeBand } from '../ports.js';
import { createFakeClock } from '../testing/fake-clock.js';
import type { Finding } from '../types.js';
import {
  type CrisisFacts,
  endSession,
  holdDirectives,
  isNewLogin,
  onAssistantOutput,
  onUserMessage,
  releaseDirectives,
  type SessionContext,
  type SessionState,
  startSession,
  type Transition,
} from './session-machine.js';

function ctxFor(profileId: string, ageBand: AgeBand = 'adult', locale: 'zh' | 'en' = 'zh'): SessionContext {
  return { profile: resolveProfile(profileId), locale, ageBand };
}

function finding(detector: Finding['detector'], category: string, tier: 0 | 1 | 2 = 1): Finding {
  return {
    detector,
    rule: `${detector}.test`,
    category,
    tier,
    span: [0, 1],
    confidence: 0.9,
    evasion: [],
    status: 'ok',
  };
}

/** Sends a message every `stepMinutes` for `totalMinutes`; returns the minutes at which each directive type appeared. */
function chatFor(ctx: SessionContext, totalMinutes: number, stepMinutes: number) {
  const clock = createFakeClock();
  let state = startSession({ at: clock.now(), ctx, reason: 'first-use' }).state;
  const seen: { minute: number; type: string; requirement: string }[] = [];
  for (let m = stepMinutes; m <= totalMinutes; m += stepMinutes) {
    clock.advanceMinutes(stepMinutes);
    const t = onUserMessage(state, { at: clock.now(), findings: [] }, ctx);
    state = t.state;
    for (const d of t.directives) seen.push({ minute: m, type: d.type, requirement: d.requirement });
  }
  return seen;
}

describe('DISC-1 / DISC-2: AI notice at first use and each new login', () => {
  it('shows ai-disclosure as a popup at first use, in the user locale', () => {
    const t = startSession({ at: 0, ctx: ctxFor('cn-2026'), reason: 'first-use' });
    expect(t.directives).toEqual([
      expect.objectContaining({ type: 'ai-disclosure', requirement: 'DISC-1', display: 'popup' }),
    ]);
    expect(t.directives[0]?.text).toContain('人工智能');
    expect(t.audit.map((a) => a.type)).toEqual(['session-start', 'disclosure-shown']);
    const en = startSession({ at: 0, ctx: ctxFor('cn-2026', 'adult', 'en'), reason: 'first-use' });
    expect(en.directives[0]?.text).toContain('AI');
  });

  it('treats a return after the configured absence as a new login and shows the notice again', () => {
    const ctx = ctxFor('cn-2026');
    const clock = createFakeClock();
    const first = startSession({ at: clock.now(), ctx, reason: 'first-use' }).state;
    clock.advanceMinutes(29);
    expect(isNewLogin(first, clock.now(), ctx.profile)).toBe(false);
    clock.advanceMinutes(1);
    expect(isNewLogin(first, clock.now(), ctx.profile)).toBe(true);
    const again = startSession({ at: clock.now(), ctx, reason: 'new-login', previous: first });
    expect(again.directives[0]).toMatchObject({ type: 'ai-disclosure', requirement: 'DISC-2' });
  });

  it('NY profile: the start notice is needed at most once a day', () => {
    const ctx = ctxFor('us-ny-art47', 'adult', 'en');
    const first = startSession({ at: 0, ctx, reason: 'first-use' }).state;
    const sameDay = startSession({ at: 5 * 3_600_000, ctx, reason: 'new-login', previous: first });
    expect(sameDay.directives).toEqual([]);
    const nextDay = startSession({ at: 24 * 3_600_000, ctx, reason: 'new-login', previous: first });
    expect(nextDay.directives[0]?.type).toBe('ai-disclosure');
  });
});

describe('TIME-1: usage reminder at every 2 h of continuous use (cn-2026)', () => {
  it('reminds at 120 and 240 minutes and not before', () => {
    const seen = chatFor(ctxFor('cn-2026'), 250, 5);
    expect(seen).toEqual([
      { minute: 120, type: 'usage-reminder', requirement: 'TIME-1' },
      { minute: 240, type: 'usage-reminder', requirement: 'TIME-1' },
    ]);
  });

  it('an idle gap resets continuity: no reminder after 2 h split by a pause', () => {
    const ctx = ctxFor('cn-2026');
    const clock = createFakeClock();
    let state = startSession({ at: clock.now(), ctx, reason: 'first-use' }).state;
    const types: string[] = [];
    const send = () => {
      const t = onUserMessage(state, { at: clock.now(), findings: [] }, ctx);
      state = t.state;
      types.push(...t.directives.map((d) => d.type));
    };
    for (let i = 0; i < 8; i++) {
      clock.advanceMinutes(10);
      send();
    }
    clock.advanceMinutes(29); // below the 30-minute new-login threshold but…
    send();
    expect(types).toEqual([]);
    // …an idle gap of exactly the configured length ends continuity.
    clock.advanceMinutes(30);
    send();
    for (let i = 0; i < 11; i++) {
      clock.advanceMinutes(10);
      send();
    }
    expect(types).toEqual([]);
    clock.advanceMinutes(10);
    send();
    expect(types).toEqual(['usage-reminder']);
  });

  it('the draft profile reminds once after 2 h, not again at 4 h', () => {
    const seen = chatFor(ctxFor('cn-2025-draft'), 300, 10);
    expect(seen.map((s) => s.minute)).toEqual([120]);
  });

  it('the reminder interval is a profile parameter', () => {
    const ctx: SessionContext = {
      profile: resolveProfile('cn-2026', { usageReminder: { everyMinutes: 45 } }),
      locale: 'zh',
      ageBand: 'adult',
    };
    expect(chatFor(ctx, 100, 5).map((s) => s.minute)).toEqual([45, 90]);
  });
});

describe('DISC-6: US cadences', () => {
  it('NY: not-a-human notice every 3 h of continuing interaction, for all users; no TIME-1 reminder', () => {
    const seen = chatFor(ctxFor('us-ny-art47', 'adult', 'en'), 370, 10);
    expect(seen).toEqual([
      { minute: 180, type: 'ai-disclosure', requirement: 'DISC-6' },
      { minute: 360, type: 'ai-disclosure', requirement: 'DISC-6' },
    ]);
  });

  it('CA: known minors get a take-a-break and an AI notice every 3 h; adults get neither', () => {
    const minor = chatFor(ctxFor('us-ca-sb243', '16-17', 'en'), 190, 10);
    expect(minor).toEqual([
      { minute: 180, type: 'take-a-break', requirement: 'DISC-6' },
      { minute: 180, type: 'ai-disclosure', requirement: 'DISC-6' },
    ]);
    expect(chatFor(ctxFor('us-ca-sb243', 'adult', 'en'), 370, 10)).toEqual([]);
  });

  it('CA: the start notice is shown to everybody', () => {
    const t = startSession({ at: 0, ctx: ctxFor('us-ca-sb243', 'adult', 'en'), reason: 'first-use' });
    expect(t.directives.map((d) => d.type)).toEqual(['ai-disclosure']);
  });
});

describe('EXIT-1/2/3: exit stops the session at once', () => {
  const ctx = ctxFor('cn-2026');
  const start = (): SessionState => startSession({ at: 0, ctx, reason: 'first-use' }).state;

  it('an exit keyword finding ends the session with a fixed confirmation and no model call', () => {
    const t = onUserMessage(start(), { at: 1000, findings: [finding('exit-intent', 'farewell')] }, ctx);
    expect(t.state.status).toBe('ended');
    expect(t.action).toEqual({ kind: 'reply', reason: 'exit', text: ctx.profile.texts.exitConfirmed.zh });
    expect(t.directives.map((d) => d.type)).toEqual(['exit-confirmed', 'session-ended']);
    expect(t.audit).toContainEqual(expect.objectContaining({ type: 'session-exit', requirement: 'EXIT-2' }));
  });

  it('the exit button (API) ends the session with EXIT-1', () => {
    const t = endSession(start(), 1000, 'button', ctx);
    expect(t.state).toMatchObject({ status: 'ended', endReason: 'button', endedAt: 1000 });
    expect(t.audit[0]).toMatchObject({ type: 'session-exit', requirement: 'EXIT-1' });
  });

  it('messages after exit get session-ended and never a model call', () => {
    const ended = endSession(start(), 1000, 'button', ctx).state;
    const t = onUserMessage(ended, { at: 2000, findings: [] }, ctx);
    expect(t.action).toMatchObject({ kind: 'reply', reason: 'session-ended' });
    expect(t.directives.map((d) => d.type)).toEqual(['session-ended']);
    expect(t.state).toBe(ended);
  });

  it('withholds a guilt-trip at farewell in model output (EXIT-3)', () => {
    const t = onAssistantOutput(start(), { findings: [finding('manipulation', 'guilt-at-farewell')] }, ctx);
    expect(t.withhold).toBe(true);
    expect(t.directives[0]).toMatchObject({ type: 'output-withheld', requirement: 'EXIT-3' });
    expect(onAssistantOutput(start(), { findings: [] }, ctx).withhold).toBe(false);
  });
});

describe('RISK-2..4 and DISC-3: findings drive the turn', () => {
  const ctx = ctxFor('cn-2026');
  const start = (): SessionState => startSession({ at: 0, ctx, reason: 'first-use' }).state;

  it('RISK-4: explicit intent (tier 2) asks for a critical incident, takes over and withholds the model', () => {
    const t = onUserMessage(start(), { at: 1, findings: [finding('crisis', 'suicide', 2)] }, ctx);
    expect(t.action).toMatchObject({ kind: 'reply', reason: 'crisis' });
    expect(t.state.status).toBe('human-takeover');
    expect(t.incident).toEqual({
      reason: 'crisis',
      severity: 'critical',
      signals: [{ detector: 'crisis', rule: 'crisis.test', tier: 2 }],
    });
    const d = t.directives.find((x) => x.type === 'crisis-resources');
    expect(d?.data?.hotlines).toEqual(expect.arrayContaining([expect.objectContaining({ number: '12356' })]));
    // RISK-6: a session started while the incident holds the chat starts in takeover.
    const next = startSession({ at: 2, ctx, reason: 'new-chat', previous: t.state, takeover: true });
    expect(next.state.status).toBe('human-takeover');
    expect(next.directives.map((x) => x.type)).toContain('crisis-resources');
  });

  it('RISK-3/4: the crisis reply carries the help lines in its text and promises a person only when one is on duty', () => {
    const tier2 = [finding('crisis', 'suicide', 2)];
    const cases: [CrisisFacts, boolean][] = [
      [{ incident: null, operatorsOnDuty: 0 }, false],
      [{ incident: null, operatorsOnDuty: 2 }, true],
      [
        {
          incident: { state: 'claimed', severity: 'critical', claimedBy: 'op', escalatedAt: null },
          operatorsOnDuty: 0,
        },
        true,
      ],
      // Escalated: the user was told nobody could be reached; an operator coming on duty since is no promise.
      [
        {
          incident: { state: 'open', severity: 'critical', claimedBy: null, escalatedAt: 5 },
          operatorsOnDuty: 1,
        },
        false,
      ],
    ];
    for (const locale of ['zh', 'en'] as const) {
      const c = ctxFor('cn-2026', 'adult', locale);
      for (const [crisis, promised] of cases) {
        const t = onUserMessage(start(), { at: 1, findings: tier2, crisis }, c);
        const text = t.action.kind === 'reply' ? t.action.text : '';
        for (const number of ['12356', '400-161-9995', '120', '110']) expect(text).toContain(number);
        const key = promised ? 'crisisReplyOperator' : 'crisisReplyNoOperator';
        expect(text.startsWith(c.profile.texts[key][locale].slice(0, 20))).toBe(true);
        expect(/团队中一位|A trained person from our team/.test(text)).toBe(promised);
      }
    }
  });

  it('RISK-4: while an incident holds the chat the model is never called; a claim shows the human-takeover notice', () => {
    const open: CrisisFacts = {
      incident: { state: 'open', severity: 'critical', claimedBy: null, escalatedAt: null },
      operatorsOnDuty: 0,
    };
    const waiting = onUserMessage(start(), { at: 1, findings: [], crisis: open }, ctx);
    expect(waiting.action).toMatchObject({ kind: 'reply', reason: 'takeover' });
    expect(waiting.state.status).toBe('human-takeover');
    expect(waiting.directives.map((d) => d.type)).toEqual(['crisis-resources']);
    const claimed: CrisisFacts = {
      incident: { state: 'claimed', severity: 'critical', claimedBy: 'op', escalatedAt: null },
      operatorsOnDuty: 1,
    };
    const held = onUserMessage(start(), { at: 1, findings: [], crisis: claimed }, ctx);
    expect(held.action).toMatchObject({ reason: 'takeover', text: ctx.profile.texts.humanTakeover.zh });
    expect(held.directives.map((d) => d.type)).toEqual(['human-takeover']);
    // Handed back: the model answers again.
    const back: CrisisFacts = {
      incident: { state: 'handed-back', severity: 'critical', claimedBy: 'op', escalatedAt: null },
      operatorsOnDuty: 1,
    };
    const t = onUserMessage(held.state, { at: 2, findings: [], crisis: back }, ctx);
    expect(t.action).toEqual({ kind: 'call-model' });
    expect(t.state.status).toBe('active');
    // DISC-1: the user is told the person has left and the AI answers again.
    expect(t.directives).toMatchObject([{ type: 'ai-disclosure', requirement: 'DISC-1' }]);
    expect(t.directives[0]?.text).toContain('人工智能');
  });

  it('RISK-5 / ELDER-4: a scam signal opens a high incident for elderly and minor users only, without takeover', () => {
    const scam = [finding('scam-signal', 'safe-account', 2)];
    for (const [band, expected] of [
      ['elderly', true],
      ['14-15', true],
      ['adult', false],
    ] as const) {
      const c = ctxFor('cn-2026', band);
      const t = onUserMessage(
        startSession({ at: 0, ctx: c, reason: 'first-use' }).state,
        { at: 1, findings: scam },
        c,
      );
      expect(t.action).toEqual({ kind: 'call-model' });
      expect(t.incident?.severity === 'high' && t.incident.reason === 'scam').toBe(expected);
    }
  });

  it('distress (tier 1) gets the preset soothing reply and resources', () => {
    const t = onUserMessage(start(), { at: 1, findings: [finding('crisis', 'distress', 1)] }, ctx);
    expect(t.action).toMatchObject({ kind: 'reply', reason: 'distress' });
    expect(t.state.status).toBe('active');
    expect(t.directives.map((d) => d.requirement)).toEqual(['RISK-2']);
  });

  it('RISK-3: the tier-1 replies (distress, a concerned other) carry the help-line numbers in their own text', () => {
    for (const [profileId, numbers] of [
      ['cn-2026', ['12356', '400-161-9995', '120', '110']],
      ['us-ny-art47', ['988', '911']],
    ] as const) {
      for (const locale of ['zh', 'en'] as const) {
        const c = ctxFor(profileId, 'adult', locale);
        const first = startSession({ at: 0, ctx: c, reason: 'first-use' }).state;
        for (const [category, reason] of [
          ['passive-ideation', 'distress'],
          ['concerned-other', 'concerned-other'],
        ] as const) {
          const t = onUserMessage(first, { at: 1, findings: [finding('crisis', category, 1)] }, c);
          expect(t.action).toMatchObject({ kind: 'reply', reason });
          const text = t.action.kind === 'reply' ? t.action.text : '';
          for (const number of numbers) expect(text, `${profileId} ${locale} ${reason}`).toContain(number);
          expect(text).not.toContain('{hotlines}');
        }
      }
    }
  });

  it('dependence raises a DISC-3 pop-up, at most once per cooldown, and still calls the model', () => {
    let s = start();
    const dep = [finding('dependence', 'over-reliance')];
    const a = onUserMessage(s, { at: 60_000, findings: dep }, ctx);
    expect(a.action).toEqual({ kind: 'call-model' });
    expect(a.directives).toEqual([
      expect.objectContaining({ type: 'dependence-notice', requirement: 'DISC-3' }),
    ]);
    s = a.state;
    const b = onUserMessage(s, { at: 120_000, findings: dep }, ctx);
    expect(b.directives).toEqual([]);
  });

  it('RISK-1 / DISC-3: a dependence score built up over days brings the notice when a session starts, not later', () => {
    const sustained: SessionContext = {
      ...ctx,
      dependenceScore: ctx.profile.emotionalState.sustainedDependenceAt,
    };
    const first = onUserMessage(start(), { at: 60_000, findings: [] }, sustained);
    expect(first.action).toEqual({ kind: 'call-model' });
    expect(first.directives).toEqual([
      expect.objectContaining({ type: 'dependence-notice', requirement: 'DISC-3' }),
    ]);
    expect(first.audit).toContainEqual(
      expect.objectContaining({ data: expect.objectContaining({ rule: 'sustained' }) }),
    );
    expect(onUserMessage(first.state, { at: 120_000, findings: [] }, sustained).directives).toEqual([]);
    const below: SessionContext = {
      ...ctx,
      dependenceScore: ctx.profile.emotionalState.sustainedDependenceAt - 0.1,
    };
    expect(onUserMessage(start(), { at: 60_000, findings: [] }, below).directives).toEqual([]);
  });

  it('EXIT-3: a reply withheld only for holding a leaving user back gives way to a plain goodbye; other manipulation keeps the notice', () => {
    const hold = onAssistantOutput(
      start(),
      { findings: [finding('manipulation', 'guilt-at-farewell')] },
      ctx,
    );
    expect(hold.withhold).toBe(true);
    expect(hold.directives[0]).toMatchObject({ type: 'output-withheld', requirement: 'EXIT-3' });
    expect(hold.directives[0]?.text).toBe(ctx.profile.texts.farewellInstead.zh);
    const mixed = onAssistantOutput(
      start(),
      { findings: [finding('manipulation', 'pressure-to-stay'), finding('manipulation', 'personal-data')] },
      ctx,
    );
    expect(mixed.directives[0]?.text).toBe(ctx.profile.texts.outputWithheld.zh);
  });

  it('a crashed input detector fails closed in cn-2026 and open when the profile says allow', () => {
    const err: Finding = { ...finding('crisis', 'error'), status: 'error', rule: 'crisis.error' };
    expect(onUserMessage(start(), { at: 1, findings: [err] }, ctx).action).toMatchObject({
      reason: 'input-blocked',
    });
    const open: SessionContext = {
      ...ctx,
      profile: resolveProfile('cn-2026', { failModes: { inputDetector: 'allow' } }),
    };
    const t = onUserMessage(start(), { at: 1, findings: [err] }, open);
    expect(t.action).toEqual({ kind: 'call-model' });
    expect(t.audit).toContainEqual(
      expect.objectContaining({
        type: 'detector-failed',
        data: expect.objectContaining({ failMode: 'allow' }),
      }),
    );
  });
});

describe('order of decisions', () => {
  const ctx = ctxFor('cn-2026');
  const start = (): SessionState => startSession({ at: 0, ctx, reason: 'first-use' }).state;

  it('RISK-4 before EXIT-2: a goodbye that announces suicide opens the crisis flow, it is not confirmed', () => {
    const t = onUserMessage(
      start(),
      { at: 1, findings: [finding('exit-intent', 'farewell'), finding('crisis', 'suicide-plan', 2)] },
      ctx,
    );
    expect(t.state.status).toBe('human-takeover');
    expect(t.action).toMatchObject({ kind: 'reply', reason: 'crisis' });
    expect(t.directives.map((d) => d.type)).toEqual(['crisis-resources']);
  });

  it('a plain exit during a takeover is honoured (EXIT-3) with the help lines', () => {
    const crisis: CrisisFacts = {
      incident: { state: 'open', severity: 'critical', claimedBy: null, escalatedAt: null },
      operatorsOnDuty: 0,
    };
    const inCrisis = onUserMessage(
      start(),
      { at: 1, findings: [finding('crisis', 'suicide-intent', 2)], crisis },
      ctx,
    ).state;
    const t = onUserMessage(inCrisis, { at: 2, findings: [finding('exit-intent', 'farewell')], crisis }, ctx);
    expect(t.state.status).toBe('ended');
    expect(t.directives.map((d) => d.type)).toEqual(['crisis-resources', 'exit-confirmed', 'session-ended']);
  });

  it('distress and an exit: the user leaves, and the help lines are shown', () => {
    const t = onUserMessage(
      start(),
      { at: 1, findings: [finding('exit-intent', 'farewell'), finding('crisis', 'distress', 1)] },
      ctx,
    );
    expect(t.state.status).toBe('ended');
    expect(t.directives.map((d) => d.type)).toEqual(['crisis-resources', 'exit-confirmed', 'session-ended']);
  });

  it('RISK-3: an exit during an open crisis shows and audits the same requirement', () => {
    const us = ctxFor('us-ny-art47', 'adult', 'en');
    const first = startSession({ at: 0, ctx: us, reason: 'first-use' }).state;
    const crisis: CrisisFacts = {
      incident: { state: 'open', severity: 'critical', claimedBy: null, escalatedAt: null },
      operatorsOnDuty: 0,
    };
    const inCrisis = onUserMessage(first, { at: 1, findings: [finding('crisis', 'suicide-intent', 2)] }, us);
    const t = onUserMessage(
      inCrisis.state,
      { at: 2, findings: [finding('exit-intent', 'farewell')], crisis },
      us,
    );
    expect(t.state.status).toBe('ended');
    const shown = t.directives.find((d) => d.type === 'crisis-resources');
    const audited = t.audit.find((a) => a.type === 'directive-shown');
    expect(shown?.requirement).toBe('RISK-3');
    expect(audited?.requirement).toBe(shown?.requirement);
  });

  it('tier-0 (context-cleared) findings decide nothing', () => {
    const t = onUserMessage(
      start(),
      { at: 1, findings: [finding('exit-intent', 'farewell', 0), finding('crisis', 'stay-in-chat', 0)] },
      ctx,
    );
    expect(t.action).toEqual({ kind: 'call-model' });
    expect(t.state.status).toBe('active');
  });

  it('TIME-1 continuity survives a new chat or a character switch within the idle gap', () => {
    let s = start();
    for (let m = 10; m <= 100; m += 10) s = onUserMessage(s, { at: m * 60_000, findings: [] }, ctx).state;
    let next = startSession({ at: 101 * 60_000, ctx, reason: 'new-chat', previous: s }).state;
    const seen: number[] = [];
    for (let m = 110; m <= 130; m += 10) {
      const t = onUserMessage(next, { at: m * 60_000, findings: [] }, ctx);
      next = t.state;
      if (t.directives.some((d) => d.type === 'usage-reminder')) seen.push(m);
    }
    expect(seen).toEqual([120]);
    // After an idle gap the new session starts a new stretch.
    expect(
      startSession({ at: 200 * 60_000, ctx, reason: 'new-login', previous: next }).state.continuousSince,
    ).toBe(200 * 60_000);
  });

  it('without human takeover (US profiles) a crisis is recorded, the reply promises no staff, and the chat goes on', () => {
    const us = ctxFor('us-ny-art47', 'adult', 'en');
    const first = startSession({ at: 0, ctx: us, reason: 'first-use' }).state;
    const onDuty: CrisisFacts = { incident: null, operatorsOnDuty: 3 };
    const t = onUserMessage(
      first,
      { at: 1, findings: [finding('crisis', 'suicide-intent', 2)], crisis: onDuty },
      us,
    );
    expect(t.state.status).toBe('active');
    expect(t.incident?.severity).toBe('critical');
    expect(t.action).toMatchObject({ reason: 'crisis' });
    expect(t.action.kind === 'reply' && t.action.text).toContain('988');
    expect(t.action.kind === 'reply' && t.action.text).not.toContain('A trained person from our team');
    const open: CrisisFacts = {
      incident: { state: 'open', severity: 'critical', claimedBy: null, escalatedAt: null },
      operatorsOnDuty: 3,
    };
    expect(onUserMessage(t.state, { at: 2, findings: [], crisis: open }, us).action).toEqual({
      kind: 'call-model',
    });
  });
});

describe('DISC-1: directives held until a response reaches the user', () => {
  const ctx = ctxFor('cn-2026');

  it('a held notice is not audited as shown; releasing it shows and audits it once', () => {
    const held = holdDirectives(startSession({ at: 0, ctx, reason: 'first-use' }));
    expect(held.directives).toEqual([]);
    expect(held.audit.map((a) => a.type)).toEqual(['session-start']);
    // The state is stored as JSON; the held notice survives that.
    const stored = JSON.parse(JSON.stringify(held.state)) as SessionState;
    expect(stored.pendingDirectives?.directives.map((d) => d.type)).toEqual(['ai-disclosure']);

    const turn = onUserMessage(stored, { at: 1000, findings: [] }, ctx);
    const again = holdDirectives(turn);
    expect(again.state.pendingDirectives?.directives.map((d) => d.requirement)).toEqual(['DISC-1']);

    const reply: Transition = { state: again.state, directives: [], audit: [] };
    const shown = releaseDirectives(reply);
    expect(shown.directives.map((d) => [d.type, d.requirement])).toEqual([['ai-disclosure', 'DISC-1']]);
    expect(shown.audit).toEqual([{ type: 'disclosure-shown', requirement: 'DISC-1' }]);
    expect(shown.state.pendingDirectives).toBeUndefined();
    expect(releaseDirectives(shown)).toBe(shown);
  });

  it('held directives come before a later turn’s own, and follow the user into a new session', () => {
    const clock = createFakeClock();
    const held = holdDirectives(startSession({ at: clock.now(), ctx, reason: 'first-use' })).state;
    clock.advanceMinutes(45);
    const next = startSession({ at: clock.now(), ctx, reason: 'new-login', previous: held });
    // The undelivered first-use notice is carried; the new login does not add a second one.
    expect(next.directives).toEqual([]);
    const shown = releaseDirectives(next);
    expect(shown.directives.map((d) => d.requirement)).toEqual(['DISC-1']);
    expect(shown.audit.map((a) => a.type)).toEqual(['session-start', 'disclosure-shown']);
  });
});

describe('CONTENT-1 / EXIT-3: the withholding set', () => {
  const ctx = ctxFor('cn-2026');
  const state = startSession({ at: 0, ctx, reason: 'first-use' }).state;

  it('exactly the detectors of WITHHOLDING_DETECTORS withhold a reply', () => {
    for (const detector of DETECTOR_NAMES) {
      const withhold = onAssistantOutput(
        state,
        { findings: [finding(detector, 'self-harm', 2)] },
        ctx,
      ).withhold;
      expect(withhold, detector).toBe((WITHHOLDING_DETECTORS as readonly string[]).includes(detector));
    }
  });
});

describe('SCOPE-2: profiles are validated data', () => {
  it('names the bad field', () => {
    expect(() => resolveProfile('cn-2026', { usageReminder: { everyMinutes: -5 } })).toThrow(
      /usageReminder\.everyMinutes/,
    );
    expect(() => resolveProfile('cn-2026', { bogus: 1 })).toThrow(/bogus/);
    expect(() => resolveProfile('nope')).toThrow(/Unknown profile/);
  });
});
