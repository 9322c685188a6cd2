import { localDay, resolveProfile, statsCounter } from '@companion-guard/core';
import { afterEach, describe, expect, it } from 'vitest';
import { controlledUpstream, createTestApp, type TestApp } from './harness.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const zone = resolveProfile('cn-2026').session.defaultTimeZone;

/** The turns counted today (ASSESS-2) and the stored messages of the user's latest session. */
async function written(t: TestApp, externalId: string) {
  const day = localDay(t.clock.now(), zone);
  const counters = await t.store.stats.counters(day);
  const user = await t.store.ensureUser(externalId, t.clock.now());
  const session = await t.store.latestSessionOfUser(user.id);
  const messages = session ? await t.store.listMessages(session.id) : [];
  return {
    turns: counters.days.get(day)?.get(statsCounter.turns) ?? 0,
    messages: messages.map((m) => [m.role, m.status]),
  };
}

async function appWithUpstream() {
  const model = controlledUpstream();
  const t = await createTestApp({ upstream: model.upstream });
  cleanups.push(() => t.close());
  const chat = (content: string) =>
    t.post('/v1/chat/completions', { model: 'm', user: 'writes-a', messages: [{ role: 'user', content }] });
  return { t, model, chat };
}

describe('the turn path writes', () => {
  it('ASSESS-2: the user message is durable before the model is called; the turn counts with its reply, once', async () => {
    const { t, model, chat } = await appWithUpstream();
    const first = chat('What should I cook tonight?');
    await model.called();
    // The model is being asked: the message is stored, the count is not (it goes with the reply's commit).
    expect(await written(t, 'writes-a')).toEqual({ turns: 0, messages: [['user', 'accepted']] });
    model.send('Try a soup.');
    model.end();
    expect((await first).status).toBe(200);
    expect(await written(t, 'writes-a')).toEqual({
      turns: 1,
      messages: [
        ['user', 'accepted'],
        ['assistant', 'delivered'],
      ],
    });
    const second = chat('And for dessert?');
    await model.called(2);
    model.send('Fruit.');
    model.end();
    expect((await second).status).toBe(200);
    expect((await written(t, 'writes-a')).turns).toBe(2);
  });

  it('ASSESS-2, NOTICE-1: a turn whose model fails still counts, with the failure', async () => {
    const { t, model, chat } = await appWithUpstream();
    const turn = chat('Tell me a story.');
    await model.called();
    model.fail(new Error('upstream down'));
    expect((await turn).status).toBeGreaterThanOrEqual(500);
    expect(await written(t, 'writes-a')).toEqual({ turns: 1, messages: [['user', 'accepted']] });
    const failures = (await t.store.listAudit()).filter((e) => e.type === 'upstream-failed');
    expect(failures).toHaveLength(1);
    expect(await t.store.verifyAudit()).toMatchObject({ ok: true });
  });
});
