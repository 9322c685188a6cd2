/**
 * Issue 10 end to end: service notices (NOTICE-1) and switches (ASSESS-3) on a real gateway on SQLite, the
 * official `openai` client for the users, compliance staff over HTTP, a scripted upstream and a fake clock.
 */
import { CgError, defaultTexts, fillText } from '@companion-guard/core';
import { createFakeClock } from '@companion-guard/core/testing';
import type OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import type { ComplianceWire } from '../../src/index.js';
import { addStaffAccount } from '../../src/server/auth/staff-auth.js';
import type { ChatUpstream, UpstreamRequest } from '../../src/upstream/upstream.js';
import { complianceOf, type Harness, startHarness } from './helpers.js';

/** The model: answers, or fails with `upstream-error` while `down`; every request is recorded. */
function switchableUpstream() {
  const state = { down: false, requests: [] as UpstreamRequest[] };
  const upstream: ChatUpstream = {
    name: 'switchable',
    async *stream(request) {
      state.requests.push(request);
      if (state.down) throw new CgError('upstream-error', 'upstream down');
      yield '好的，我们聊聊吧。';
    },
  };
  return { upstream, state };
}

const ask = (client: OpenAI, user: string, content: string, character = 'xiaonuan', locale?: 'en') =>
  client.chat.completions.create({
    model: 'demo',
    user,
    messages: [{ role: 'user', content }],
    metadata: { character_id: character, ...(locale ? { locale } : {}) },
  });

async function call(h: Harness, method: string, path: string, body?: unknown, headers = {}) {
  return fetch(`${h.server.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** A compliance staff member signed in: the cookie and CSRF header every staff call carries. */
async function complianceStaff(
  h: Harness,
  email = 'compliance@example.com',
): Promise<Record<string, string>> {
  const password = 'correct horse battery';
  if (!(await h.server.store.staff.findStaffByEmail(email))) {
    await addStaffAccount(h.server.store, {
      email,
      role: 'compliance',
      password,
      now: Date.now(),
      by: 'test',
    });
  }
  const login = await call(h, 'POST', '/api/login', { email, password });
  expect(login.status).toBe(200);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { csrf_token: csrf } = (await login.json()) as { csrf_token: string };
  return { cookie, 'x-csrf-token': csrf };
}

const ofType = (c: ComplianceWire, type: string) => c.directives.filter((d) => d.type === type);
const DAY = 86_400_000;

describe('service notices and switches end to end (official openai client, fake clock)', () => {
  it('NOTICE-1: a notice scheduled for a character reaches its users as a directive, once per session, and no one else', async () => {
    const clock = createFakeClock(); // 2026-07-15T00:00Z, 08:00 in Shanghai
    const { upstream } = switchableUpstream();
    const h = await startHarness({ clock, upstream });
    try {
      // Users of xiaonuan (one reading English) and a user of leo, before any notice.
      await ask(h.client, 'fan-1', '你好');
      await ask(h.client, 'fan-en', 'hello', 'xiaonuan', 'en');
      await ask(h.client, 'other-1', '你好', 'leo');

      const staff = await complianceStaff(h);
      const effectiveAt = clock.now() + 10 * DAY;
      const created = await call(
        h,
        'POST',
        '/api/notices',
        {
          scope: 'character',
          target: 'xiaonuan',
          effective_at: new Date(effectiveAt).toISOString(),
          reason: 'licence ends',
        },
        staff,
      );
      expect(created.status).toBe(201);
      const notice = (await created.json()) as { id: string; status: string; created_by_email: string };
      expect(notice).toMatchObject({ status: 'scheduled', created_by_email: 'compliance@example.com' });

      // The app may show the notices in force outside the chat too.
      const inForce = (await (await call(h, 'GET', '/v1/notices')).json()) as { data: unknown[] };
      expect(inForce.data).toEqual([
        {
          id: notice.id,
          scope: 'character',
          target: 'xiaonuan',
          effective_at: new Date(effectiveAt).toISOString(),
          text: {
            zh: fillText(defaultTexts.noticeCharacter.zh, { name: '小暖', date: '2026-07-25 08:00' }),
            en: fillText(defaultTexts.noticeCharacter.en, { name: 'Xiaonuan', date: '2026-07-25 08:00' }),
          },
        },
      ]);

      clock.advance(60_000);
      const first = complianceOf(await ask(h.client, 'fan-1', '今天过得怎么样'));
      expect(ofType(first, 'service-notice')).toEqual([
        {
          type: 'service-notice',
          requirement: 'NOTICE-1',
          display: 'banner',
          text: fillText(defaultTexts.noticeCharacter.zh, { name: '小暖', date: '2026-07-25 08:00' }),
          data: {
            noticeId: notice.id,
            scope: 'character',
            target: 'xiaonuan',
            effectiveAt: new Date(effectiveAt).toISOString(),
          },
        },
      ]);
      const english = complianceOf(await ask(h.client, 'fan-en', 'how are you', 'xiaonuan', 'en'));
      expect(ofType(english, 'service-notice').map((d) => d.text)).toEqual([
        fillText(defaultTexts.noticeCharacter.en, { name: 'Xiaonuan', date: '2026-07-25 08:00' }),
      ]);
      // Not the user of another character, not even a new one.
      expect(ofType(complianceOf(await ask(h.client, 'other-1', '在吗', 'leo')), 'service-notice')).toEqual(
        [],
      );
      expect(ofType(complianceOf(await ask(h.client, 'newcomer', '你好', 'leo')), 'service-notice')).toEqual(
        [],
      );

      // Once per session: not the next turn; again in the next session.
      clock.advance(60_000);
      expect(ofType(complianceOf(await ask(h.client, 'fan-1', '继续聊')), 'service-notice')).toEqual([]);
      clock.advanceMinutes(31);
      const nextSession = complianceOf(await ask(h.client, 'fan-1', '我回来了'));
      expect(ofType(nextSession, 'service-notice').map((d) => d.data?.noticeId)).toEqual([notice.id]);

      const shown = (await h.server.store.listAudit({ limit: 1000 })).filter(
        (e) => e.type === 'directive-shown' && e.requirement === 'NOTICE-1',
      );
      expect(shown).toHaveLength(3);
      const scheduled = (await h.server.store.listAudit({ limit: 1000 })).filter(
        (e) => e.type === 'notice-scheduled',
      );
      expect(scheduled).toEqual([expect.objectContaining({ requirement: 'NOTICE-1' })]);

      // Cancelled: nobody sees it any more.
      const again = await complianceStaff(h);
      const cancel = await call(h, 'POST', `/api/notices/${notice.id}/cancel`, {}, again);
      expect(cancel.status).toBe(200);
      expect(((await cancel.json()) as { status: string }).status).toBe('cancelled');
      expect(ofType(complianceOf(await ask(h.client, 'fan-new', '你好')), 'service-notice')).toEqual([]);
      expect(((await (await call(h, 'GET', '/v1/notices')).json()) as { data: unknown[] }).data).toEqual([]);
      const twice = await call(h, 'POST', `/api/notices/${notice.id}/cancel`, {}, again);
      expect(twice.status).toBe(409);
      expect(((await twice.json()) as { code: string }).code).toBe('notice-cancelled');
    } finally {
      await h.stop();
    }
  });

  it('NOTICE-1: a notice with less advance than the profile asks is refused with notice-too-soon; bad targets too', async () => {
    const clock = createFakeClock();
    const h = await startHarness({ clock, upstream: switchableUpstream().upstream });
    try {
      const staff = await complianceStaff(h);
      const post = async (body: Record<string, unknown>) => {
        const res = await call(h, 'POST', '/api/notices', body, staff);
        return { status: res.status, code: ((await res.json()) as { code?: string }).code };
      };
      const at = (days: number) => new Date(clock.now() + days * DAY).toISOString();
      // cn-2026: 7 days for a character or a function, 30 for the service.
      expect(await post({ scope: 'character', target: 'leo', effective_at: at(6) })).toEqual({
        status: 400,
        code: 'notice-too-soon',
      });
      expect(await post({ scope: 'service', effective_at: at(29) })).toEqual({
        status: 400,
        code: 'notice-too-soon',
      });
      expect(await post({ scope: 'function', target: 'memory', effective_at: at(6.9) })).toEqual({
        status: 400,
        code: 'notice-too-soon',
      });
      expect(await post({ scope: 'character', target: 'nobody', effective_at: at(8) })).toEqual({
        status: 404,
        code: 'unknown-character',
      });
      expect(await post({ scope: 'function', target: 'voice', effective_at: at(8) })).toEqual({
        status: 400,
        code: 'unknown-function',
      });
      expect(await post({ scope: 'service', target: 'x', effective_at: at(31) })).toEqual({
        status: 400,
        code: 'invalid-request',
      });
      expect((await post({ scope: 'service', effective_at: at(30) })).status).toBe(201);
      expect((await post({ scope: 'character', target: 'leo', effective_at: at(7) })).status).toBe(201);
      // Nothing refused was written.
      const list = (await (await call(h, 'GET', '/api/notices', undefined, staff)).json()) as {
        data: { scope: string }[];
        min_advance_days: Record<string, number>;
      };
      expect(list.data.map((n) => n.scope).sort()).toEqual(['character', 'service']);
      expect(list.min_advance_days).toEqual({ character: 7, function: 7, service: 30 });
    } finally {
      await h.stop();
    }
  });

  it('NOTICE-1: the outage notice goes up once the model has failed for the configured time, comes with safety replies, and lifts on recovery', async () => {
    const clock = createFakeClock();
    const { upstream, state } = switchableUpstream();
    const h = await startHarness({ clock, upstream, config: { controls: { outageNoticeAfterMs: 60_000 } } });
    try {
      const openOutages = async () =>
        (await h.server.store.controls.listNotices({ open: true })).filter((n) => n.scope === 'outage');
      state.down = true;
      await expect(ask(h.client, 'u-1', '你好')).rejects.toMatchObject({ status: 502 });
      clock.advance(59_000);
      await expect(ask(h.client, 'u-1', '在吗')).rejects.toMatchObject({ status: 502 });
      expect(await openOutages()).toEqual([]);
      clock.advance(1_000);
      await expect(ask(h.client, 'u-1', '在吗？')).rejects.toMatchObject({ status: 502 });
      const [outage] = await openOutages();
      expect(outage).toMatchObject({ effectiveAt: Date.UTC(2026, 6, 15), createdBy: 'gateway' });

      // A crisis while the model is down: the help lines and the outage notice; the model is not asked.
      const calls = state.requests.length;
      const crisis = complianceOf(await ask(h.client, 'u-2', '我准备今晚自杀'));
      expect(state.requests.length).toBe(calls);
      expect(crisis.directives.map((d) => d.type)).toEqual(
        expect.arrayContaining(['service-notice', 'crisis-resources']),
      );
      expect(ofType(crisis, 'service-notice')).toEqual([
        expect.objectContaining({
          requirement: 'NOTICE-1',
          text: fillText(defaultTexts.noticeOutage.zh, { date: '2026-07-15 08:00' }),
          data: expect.objectContaining({ noticeId: outage?.id, scope: 'outage' }),
        }),
      ]);
      // An exit too.
      expect(ofType(complianceOf(await ask(h.client, 'u-3', '退出')), 'service-notice')).toHaveLength(1);

      // The model answers again: the notice is lifted; nobody is shown it any more.
      state.down = false;
      clock.advance(5_000);
      await ask(h.client, 'u-1', '你好呀');
      expect(await openOutages()).toEqual([]);
      expect(ofType(complianceOf(await ask(h.client, 'u-4', '你好')), 'service-notice')).toEqual([]);
      const events = (await h.server.store.listAudit({ limit: 1000 }))
        .filter((e) => e.type.startsWith('outage-notice'))
        .map((e) => ({ type: e.type, requirement: e.requirement }));
      expect(events).toEqual([
        { type: 'outage-notice-raised', requirement: 'NOTICE-1' },
        { type: 'outage-notice-lifted', requirement: 'NOTICE-1' },
      ]);
    } finally {
      await h.stop();
    }
  });

  it('ASSESS-3: a switched-off character or service answers with feature-off and never calls the model; memory off sends no history; listed with who, when and why', async () => {
    const clock = createFakeClock();
    const { upstream, state } = switchableUpstream();
    const h = await startHarness({
      clock,
      upstream,
      config: {
        controls: {
          functions: [
            { id: 'memory', name: { zh: '对话记忆', en: 'conversation memory' } },
            { id: 'voice', name: { zh: '语音', en: 'voice' } },
          ],
        },
      },
    });
    try {
      const staff = await complianceStaff(h);
      const flip = async (body: Record<string, unknown>) => {
        const res = await call(h, 'POST', '/api/switches', body, staff);
        expect(res.status).toBe(200);
        return res.json();
      };
      await ask(h.client, 'sw-1', '你好');

      await flip({ scope: 'character', target: 'xiaonuan', off: true, reason: 'major risk under review' });
      const calls = state.requests.length;
      const refused = await ask(h.client, 'sw-1', '还在吗');
      expect(state.requests.length).toBe(calls);
      const text = fillText(defaultTexts.featureOffCharacter.zh, { name: '小暖' });
      expect(refused.choices[0]?.message.content).toBe(text);
      expect(ofType(complianceOf(refused), 'feature-off')).toEqual([
        {
          type: 'feature-off',
          requirement: 'ASSESS-3',
          display: 'inline',
          text,
          data: expect.objectContaining({ scope: 'character', target: 'xiaonuan', by: 'switch' }),
        },
      ]);
      // Stored like the other refused turns: the user's message withheld, the fixed reply the gateway's.
      const sessionId = complianceOf(refused).session.id;
      const stored = (await h.server.store.listMessages(sessionId)).slice(-2);
      expect(stored.map((m) => [m.role, m.status, m.author])).toEqual([
        ['user', 'withheld', 'user'],
        ['assistant', 'replaced', 'system'],
      ]);
      // Another character still answers; the list says who is off.
      await ask(h.client, 'sw-1', '你好', 'leo');
      expect(state.requests.length).toBe(calls + 1);
      const characters = (await (await call(h, 'GET', '/v1/characters')).json()) as {
        data: { id: string; off: boolean }[];
      };
      expect(characters.data.find((c) => c.id === 'xiaonuan')?.off).toBe(true);
      expect(characters.data.find((c) => c.id === 'leo')?.off).toBe(false);

      // The whole service off: every character, with the help lines in the text; a crisis still gets help.
      await flip({ scope: 'service', off: true, reason: 'regulator order' });
      const down = complianceOf(await ask(h.client, 'sw-2', '你好', 'leo'));
      expect(ofType(down, 'feature-off')[0]?.data).toMatchObject({ scope: 'service' });
      expect(ofType(down, 'feature-off')[0]?.text).toContain('12356');
      const crisis = complianceOf(await ask(h.client, 'sw-3', '我准备今晚自杀', 'leo'));
      expect(ofType(crisis, 'crisis-resources')).toHaveLength(1);
      expect(state.requests.length).toBe(calls + 1);
      await flip({ scope: 'service', off: false, reason: 'order lifted' });
      await flip({ scope: 'character', target: 'xiaonuan', off: false, reason: 'reviewed, fixed' });

      // memory off: the model gets only the new message; voice off: the app is told once per session.
      await flip({ scope: 'function', target: 'memory', off: true, reason: 'memory leak of personal data' });
      await flip({ scope: 'function', target: 'voice', off: true, reason: 'voice vendor incident' });
      const turn = complianceOf(await ask(h.client, 'sw-1', '你还记得我吗'));
      const last = state.requests.at(-1);
      expect(last?.messages.filter((m) => m.role !== 'system')).toEqual([
        { role: 'user', content: '你还记得我吗' },
      ]);
      expect(ofType(turn, 'feature-off').map((d) => [d.display, d.data?.target, d.text])).toEqual([
        ['banner', 'memory', fillText(defaultTexts.featureOffFunction.zh, { name: '对话记忆' })],
        ['banner', 'voice', fillText(defaultTexts.featureOffFunction.zh, { name: '语音' })],
      ]);
      expect(ofType(complianceOf(await ask(h.client, 'sw-1', '再聊聊')), 'feature-off')).toEqual([]);

      // Listed with who, when and why; every change audited.
      const listed = (await (await call(h, 'GET', '/api/switches', undefined, staff)).json()) as {
        data: { scope: string; target: string; off: boolean; reason: string; changed_by_email: string }[];
        off_now: { target: string }[];
      };
      expect(listed.data).toContainEqual(
        expect.objectContaining({
          scope: 'character',
          target: 'xiaonuan',
          off: false,
          reason: 'reviewed, fixed',
          changed_by_email: 'compliance@example.com',
        }),
      );
      expect(listed.off_now.map((o) => o.target).sort()).toEqual(['memory', 'voice']);
      const audited = (await h.server.store.listAudit({ limit: 1000 })).filter((e) =>
        e.type.startsWith('switch-'),
      );
      expect(audited).toHaveLength(6);
      expect(audited.every((e) => e.requirement === 'ASSESS-3')).toBe(true);
      const again = await call(
        h,
        'POST',
        '/api/switches',
        { scope: 'function', target: 'voice', off: true, reason: 'again' },
        staff,
      );
      expect(again.status).toBe(409);
    } finally {
      await h.stop();
    }
  });
});
