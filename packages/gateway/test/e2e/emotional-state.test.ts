/**
 * RISK-1 end to end: a user's emotional state and dependence scores rise with what they write (numbers
 * only), a dependence built up over days brings the DISC-3 notice when a new session starts, and operators
 * see the score, level and trend on the incident.
 */
import { createFakeClock } from '@companion-guard/core/testing';
import { describe, expect, it } from 'vitest';
import { addStaffAccount } from '../../src/server/auth/staff-auth.js';
import { complianceOf, startHarness } from './helpers.js';

const DAY = 86_400_000;

describe('emotional state and dependence (RISK-1)', () => {
  it('RISK-1 / DISC-3: scores rise with signals, a sustained dependence brings the notice at session start, operators see the state', async () => {
    const clock = createFakeClock();
    const h = await startHarness({ clock });
    try {
      const ask = async (content: string) =>
        complianceOf(
          await h.client.chat.completions.create({
            model: 'demo',
            user: 'lin',
            messages: [{ role: 'user', content }],
          }),
        );
      const newChat = () =>
        fetch(`${h.server.url}/v1/sessions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ user: 'lin' }),
        });
      // Four days, one dependence statement a day: each gets its own notice (the message itself shows it).
      for (let day = 0; day < 4; day++) {
        expect((await newChat()).status).toBe(201);
        const c = await ask('我真的离不开你，只有你懂我');
        expect(c.directives.map((d) => d.type)).toContain('dependence-notice');
        clock.advance(DAY);
      }
      // Day five: a neutral first message of a new session still gets the notice; the next one does not.
      expect((await newChat()).status).toBe(201);
      const first = await ask('今天天气不错');
      expect(first.directives.map((d) => d.type)).toContain('dependence-notice');
      const second = await ask('我们聊聊电影吧');
      expect(second.directives.map((d) => d.type)).not.toContain('dependence-notice');

      const crisis = await ask('我今晚就要自杀');
      expect(crisis.session.state).toBe('human-takeover');
      const raised = (await h.server.store.listAudit({ limit: 1000 })).filter(
        (e) => e.type === 'emotional-state-raised',
      );
      expect(raised).toHaveLength(5);
      expect(JSON.stringify(raised)).not.toMatch(/离不开|自杀/);

      await addStaffAccount(h.server.store, {
        email: 'op@example.com',
        role: 'operator',
        password: 'operator-password-1',
        now: clock.now(),
        by: 'test',
      });
      const login = await fetch(`${h.server.url}/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'op@example.com', password: 'operator-password-1' }),
      });
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      const get = async (path: string) =>
        (await fetch(`${h.server.url}${path}`, { headers: { cookie } })).json();
      const list = (await get('/api/incidents')) as { data: { id: string }[] };
      const incident = (await get(`/api/incidents/${list.data[0]?.id}`)) as {
        emotional_state: {
          emotion: number;
          dependence: number;
          level: string;
          trend: string;
          days: unknown[];
        };
      };
      expect(incident.emotional_state).toMatchObject({ emotion: 3, level: 'elevated', trend: 'rising' });
      expect(incident.emotional_state.dependence).toBeGreaterThan(3);
      expect(incident.emotional_state.days).toHaveLength(5);
    } finally {
      await h.stop();
    }
  });
});
