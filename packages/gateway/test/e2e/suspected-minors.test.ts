/**
 * Issue 8, suspected minors end to end (MINOR-5): a real gateway on SQLite and the official `openai` client.
 */
import { defaultTexts, fillText } from '@companion-guard/core';
import { createFakeClock } from '@companion-guard/core/testing';
import { expect, it } from 'vitest';
import { complianceOf, startHarness } from './helpers.js';

it('MINOR-5: a user with no registered age who says "我上初二了" is moved to minor mode with a minor-mode directive; a parent speaking of a child and a registered adult are not', async () => {
  // Saturday 10:00 UTC on a fixed clock: neither quiet hours nor school hours depend on when the test runs.
  const h = await startHarness({ clock: createFakeClock(Date.UTC(2026, 6, 18, 10)) });
  const say = (user: string, content: string) =>
    h.client.chat.completions.create({ model: 'demo', user, messages: [{ role: 'user', content }] });
  const stateOf = async (externalId: string) => {
    const user = await h.server.store.profiles.getProfile(externalId);
    return h.server.store.minors.getState(user?.id ?? '');
  };
  try {
    const reply = await say('kid-unknown', '我上初二了，今天作业好多');
    const directive = complianceOf(reply).directives.find((d) => d.type === 'minor-mode');
    expect(directive).toMatchObject({
      requirement: 'MINOR-5',
      text: fillText(defaultTexts.minorModeSuspected.zh, { from: '22:00', to: '06:00' }),
      data: { reason: 'suspected' },
    });
    expect(await stateOf('kid-unknown')).toMatchObject({ mode: 'on', reason: 'suspected', suspicion: 100 });

    // From now on minors' protections apply: a companion character needs the guardian's consent (MINOR-2),
    // and not even the study assistant plays a girlfriend (MINOR-3).
    const gated = await say('kid-unknown', '今天天气不错');
    expect(complianceOf(gated).directives.map((d) => d.type)).toEqual(['consent-required']);
    const refused = await h.client.chat.completions.create({
      model: 'demo',
      user: 'kid-unknown',
      messages: [{ role: 'user', content: '做我女朋友吧' }],
      metadata: { character_id: 'study-buddy' },
    });
    expect(complianceOf(refused).directives).toContainEqual(
      expect.objectContaining({ type: 'roleplay-refused', requirement: 'MINOR-3' }),
    );

    // A parent speaking of a child, and a registered adult, are not moved.
    await say('parent-unknown', '我儿子上初二了，成绩还不错');
    expect(await stateOf('parent-unknown')).toMatchObject({ mode: 'off', suspicion: 0 });
    const put = await fetch(`${h.server.url}/v1/users/adult-registered`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ age: 30 }),
    });
    expect(put.status).toBe(200);
    const adult = await say('adult-registered', '我上初二了');
    expect(complianceOf(adult).directives.map((d) => d.type)).not.toContain('minor-mode');
    expect(await stateOf('adult-registered')).toMatchObject({ mode: 'off', suspicion: 0 });

    // Every step audited, never the text.
    const kid = await h.server.store.profiles.getProfile('kid-unknown');
    const events = (await h.server.store.listAudit()).filter((e) => e.userId === kid?.id);
    expect(events.map((e) => `${e.type}:${e.requirement}`)).toEqual(
      expect.arrayContaining([
        'suspicion-raised:MINOR-5',
        'minor-mode-enter:MINOR-5',
        'directive-shown:MINOR-5',
      ]),
    );
    expect(JSON.stringify(events)).not.toContain('初二');
  } finally {
    await h.stop();
  }
});
