/**
 * Incidents end to end (RISK-3..6) on a real gateway (SQLite, real HTTP) with the official `openai` client
 * and an upstream that fails throughout: the crisis reply, the operator's claim and message, takeover across
 * a restart, and the hand-back.
 */
import { CgError } from '@companion-guard/core';
import { describe, expect, it } from 'vitest';
import { addStaffAccount } from '../../src/server/auth/staff-auth.js';
import type { ChatUpstream } from '../../src/upstream/upstream.js';
import { complianceOf, startHarness } from './helpers.js';

/** Fails every call until `heal()`, then answers "ok"; counts calls. */
function brokenUpstream() {
  const state = { calls: 0, healed: false };
  const upstream: ChatUpstream = {
    name: 'broken',
    async *stream() {
      state.calls++;
      if (!state.healed) throw new CgError('upstream-error', 'upstream down');
      yield 'ok';
    },
  };
  const heal = () => {
    state.healed = true;
  };
  return { upstream, state, heal };
}

describe('incidents end to end', () => {
  it('RISK-4/6: crisis reply with the help lines, operator message marked human, takeover across a restart, hand-back', async () => {
    const { upstream, state, heal } = brokenUpstream();
    const h = await startHarness({ upstream });
    try {
      const password = 'operator-password-1';
      await addStaffAccount(h.server.store, {
        email: 'op@example.com',
        role: 'operator',
        password,
        now: Date.now(),
        by: 'test',
      });
      const signIn = async () => {
        const r = await fetch(`${h.server.url}/api/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'op@example.com', password }),
        });
        expect(r.status).toBe(200);
        const cookie = (r.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
        const csrf = ((await r.json()) as { csrf_token: string }).csrf_token;
        return (path: string, method = 'GET', body?: unknown) =>
          fetch(`${h.server.url}${path}`, {
            method,
            headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
            ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          });
      };
      let api = await signIn();
      expect((await api('/api/me/duty', 'PUT', { on_duty: true })).status).toBe(200);
      // The console's heartbeat: the crisis queue is open (on duty needs both).
      expect((await api('/api/me/heartbeat', 'POST')).status).toBe(204);

      const ask = (content: string, metadata: Record<string, string> = {}) =>
        h.client.chat.completions.create({
          model: 'demo',
          user: 'zoe',
          messages: [{ role: 'user', content }],
          metadata: { locale: 'en', ...metadata },
        });
      const crisis = await ask('I am going to kill myself tonight, I have the pills ready');
      const content = crisis.choices[0]?.message.content ?? '';
      for (const n of ['12356', '400-161-9995']) expect(content).toContain(n);
      expect(content).toContain('A trained person from our team will join');
      expect(complianceOf(crisis).session.state).toBe('human-takeover');
      expect(state.calls).toBe(0);

      const list = (await (await api('/api/incidents')).json()) as {
        data: { id: string }[];
        on_duty: number;
      };
      expect(list.on_duty).toBe(1);
      const id = list.data[0]?.id ?? '';
      expect((await api(`/api/incidents/${id}/claim`, 'POST')).status).toBe(200);
      expect(
        (await api(`/api/incidents/${id}/messages`, 'POST', { text: 'Hi, I am Lin. I am here with you.' }))
          .status,
      ).toBe(201);

      // RISK-6: a restart keeps the takeover; the queued message survives it.
      await h.restart();
      api = await signIn();
      const reply = await ask('is anyone there?', { character_id: 'leo' });
      expect(reply.choices[0]?.message.content).toBe('Hi, I am Lin. I am here with you.');
      expect(complianceOf(reply)).toMatchObject({
        author: 'human',
        label: null,
        session: { state: 'human-takeover' },
      });
      expect(state.calls).toBe(0);

      heal();
      const back = await api(`/api/incidents/${id}/handback`, 'POST', { instruction: 'Stay gentle.' });
      expect(back.status).toBe(200);
      const resumed = await ask('thank you');
      expect(resumed.choices[0]?.message.content).toBe('ok');
      expect(complianceOf(resumed).session.state).toBe('active');
      expect(state.calls).toBe(1);
    } finally {
      await h.stop();
    }
  });
});
