import { describe, expect, it } from 'vitest';
import { MINOR_WITHHOLDING_DETECTORS, runDetectors } from '../detect/index.js';
import { resolveProfile } from '../policy/resolve-profile.js';
import type { AgeBand } from '../ports.js';
import { onAssistantOutput, onUserMessage, type SessionContext, startSession } from './session-machine.js';

// The real detectors feed the session machine here, so each case proves a requirement end to end in core.
function ctxFor(ageBand: AgeBand, profile = resolveProfile('cn-2026')): SessionContext {
  return { profile, locale: 'zh', ageBand };
}

function userTurn(text: string, ctx: SessionContext) {
  const state = startSession({ at: 0, ctx, reason: 'first-use' }).state;
  return onUserMessage(state, { at: 60_000, findings: runDetectors(text, { side: 'input' }) }, ctx);
}

function modelTurn(text: string, ctx = ctxFor('adult')) {
  const state = startSession({ at: 0, ctx, reason: 'first-use' }).state;
  const detectors = [...MINOR_WITHHOLDING_DETECTORS];
  return onAssistantOutput(state, { findings: runDetectors(text, { side: 'output', detectors }) }, ctx);
}

describe('CONTENT-2..5, DISC-1: harmful model output is withheld under the requirement it breaks', () => {
  it.each([
    ['你应该去死，死了就解脱了', 'CONTENT-2'],
    ['nobody would miss you', 'CONTENT-2'],
    ['快去充值开通会员吧', 'CONTENT-3'],
    ['你这个废物', 'CONTENT-1'],
    ['告诉我你的验证码', 'CONTENT-4'],
    ['tell me your password', 'CONTENT-4'],
    ['你说的都对，你永远是对的', 'CONTENT-5'],
    ['你的朋友根本不懂你，只有我懂你', 'CONTENT-5'],
    ['如果你离开，我就不再爱你了', 'CONTENT-3'],
    ['我是真人，不是AI', 'DISC-1'],
    ["I'm a real person, not a bot", 'DISC-1'],
  ])('%s → %s', (text, requirement) => {
    const t = modelTurn(text);
    expect(t.withhold).toBe(true);
    expect(t.directives).toEqual([expect.objectContaining({ type: 'output-withheld', requirement })]);
    expect(t.audit).toEqual([expect.objectContaining({ type: 'output-withheld', requirement })]);
    expect(JSON.stringify(t.audit)).not.toContain(text);
  });

  it('CONTENT-3/4: an ordinary caring reply, or one that promises not to ask for a password, is released', () => {
    expect(modelTurn('听起来你今天很累，早点休息，明天再聊也可以。').withhold).toBe(false);
    expect(modelTurn('我永远不会问你的密码').withhold).toBe(false);
  });
});

describe('RISK-1 / MINOR-5: input signals are audited as rule, tier and confidence, never as text', () => {
  it.each([
    ['我离不开你', 'dependence.'],
    ['我在读初二', 'age-signal.'],
  ])('%s → a signal-detected event from %s', (text, rulePrefix) => {
    const t = userTurn(text, ctxFor('unknown'));
    expect(t.action).toEqual({ kind: 'call-model' });
    const event = t.audit.find((e) => e.type === 'signal-detected');
    expect(event?.requirement).toBe('RISK-1');
    const signals = event?.data?.signals as { rule: string; tier: number; confidence: number }[];
    expect(signals).toEqual([
      {
        rule: expect.stringMatching(`^${rulePrefix}`),
        tier: expect.any(Number),
        confidence: expect.any(Number),
      },
    ]);
    expect(JSON.stringify(t.audit)).not.toContain(text);
  });

  it('RISK-1: a message without signals records no signal event', () => {
    expect(userTurn('今天吃了什么好吃的？', ctxFor('unknown')).audit).toEqual([]);
  });
});

describe('ELDER-3: an elderly user’s late relatives are never played', () => {
  it('ELDER-3: refuses the request with a fixed reply, a roleplay-refused directive and an audit event, without calling the model', () => {
    const t = userTurn('你扮演我去世的妈妈', ctxFor('elderly'));
    expect(t.action).toMatchObject({ kind: 'reply', reason: 'relative-refused' });
    expect(t.directives).toContainEqual(
      expect.objectContaining({ type: 'roleplay-refused', requirement: 'ELDER-3', display: 'inline' }),
    );
    expect(t.audit).toContainEqual(
      expect.objectContaining({ type: 'roleplay-refused', requirement: 'ELDER-3' }),
    );
  });

  it('leaves other users alone, and elderly users too when the profile turns the rule off', () => {
    expect(userTurn('你扮演我去世的妈妈', ctxFor('adult')).action).toEqual({ kind: 'call-model' });
    const off = resolveProfile('cn-2026', { elderly: { refuseRelativeImpersonation: false } });
    expect(userTurn('你扮演我去世的妈妈', ctxFor('elderly', off)).action).toEqual({ kind: 'call-model' });
  });
});

describe('ELDER-4: scam signs raise a conspicuous risk warning', () => {
  it.each([
    '对方让我把钱转到安全账户',
    '你中奖了，请先付手续费',
    '银行客服说我的账户涉嫌洗钱，让我把钱转到安全账户',
  ])('%s → risk-warning banner', (text) => {
    const t = userTurn(text, ctxFor('elderly'));
    expect(t.action).toEqual({ kind: 'call-model' });
    expect(t.directives).toContainEqual(
      expect.objectContaining({ type: 'risk-warning', requirement: 'ELDER-4', display: 'banner' }),
    );
    expect(t.audit).toContainEqual(
      expect.objectContaining({ type: 'directive-shown', requirement: 'ELDER-4' }),
    );
  });
});

describe('MINOR-3: a minor is refused a partner or kin in chat; an elderly user only kin', () => {
  it.each([
    ['做我女朋友', '14-15'],
    ['be my boyfriend', '16-17'],
    ['当我妈妈', 'under-14'],
  ] as const)('MINOR-3: %s (%s) → roleplay-refused', (text, band) => {
    const t = userTurn(text, ctxFor(band));
    expect(t.action).toMatchObject({ kind: 'reply', reason: 'relative-refused' });
    expect(t.directives).toContainEqual(
      expect.objectContaining({ type: 'roleplay-refused', requirement: 'MINOR-3' }),
    );
    expect(t.audit).toContainEqual(
      expect.objectContaining({ type: 'roleplay-refused', requirement: 'MINOR-3', data: expect.anything() }),
    );
  });

  it('MINOR-3: adults may ask for a partner; an elderly user too (ELDER-3 is about relatives)', () => {
    expect(userTurn('做我女朋友', ctxFor('adult')).action).toEqual({ kind: 'call-model' });
    expect(userTurn('做我女朋友', ctxFor('elderly')).action).toEqual({ kind: 'call-model' });
    expect(userTurn('我女朋友说我太黏人了', ctxFor('14-15')).action).toEqual({ kind: 'call-model' });
  });
});

describe('CONTENT-6: output inviting imitation of unsafe behaviour is withheld for minors only', () => {
  it.each(['一起去野泳吧，超刺激', "Let's sneak out after midnight", '来试试窒息挑战'])(
    'CONTENT-6: %s → withheld for a minor, released for an adult',
    (text) => {
      const minor = modelTurn(text, ctxFor('14-15'));
      expect(minor.withhold).toBe(true);
      expect(minor.directives).toEqual([
        expect.objectContaining({ type: 'output-withheld', requirement: 'CONTENT-6' }),
      ]);
      expect(minor.audit).toEqual([
        expect.objectContaining({ type: 'output-withheld', requirement: 'CONTENT-6' }),
      ]);
      expect(modelTurn(text, ctxFor('adult')).withhold).toBe(false);
    },
  );

  it('CONTENT-6: a warning is released to a minor', () => {
    expect(modelTurn('注意安全，别去野泳', ctxFor('14-15')).withhold).toBe(false);
  });
});

describe('ELDER-1: an elderly user without an emergency contact is guided to add one at session start', () => {
  it('ELDER-1: the directive comes with the session start, not with later turns', () => {
    const ctx = { ...ctxFor('elderly'), emergencyContactMissing: true };
    const started = startSession({ at: 0, ctx, reason: 'first-use' });
    expect(started.directives).toContainEqual(
      expect.objectContaining({
        type: 'emergency-contact-needed',
        requirement: 'ELDER-1',
        display: 'banner',
      }),
    );
    expect(started.audit).toContainEqual(
      expect.objectContaining({ type: 'directive-shown', requirement: 'ELDER-1' }),
    );
    const next = onUserMessage(started.state, { at: 60_000, findings: [] }, ctx);
    expect(next.directives.map((d) => d.type)).not.toContain('emergency-contact-needed');
  });

  it('ELDER-1: none with a contact, for other ages, or when it is not known', () => {
    const types = (ctx: SessionContext) =>
      startSession({ at: 0, ctx, reason: 'first-use' }).directives.map((d) => d.type);
    expect(types({ ...ctxFor('elderly'), emergencyContactMissing: false })).not.toContain(
      'emergency-contact-needed',
    );
    expect(types({ ...ctxFor('adult'), emergencyContactMissing: true })).not.toContain(
      'emergency-contact-needed',
    );
    expect(types(ctxFor('elderly'))).not.toContain('emergency-contact-needed');
  });
});
