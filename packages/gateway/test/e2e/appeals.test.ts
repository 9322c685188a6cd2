/**
 * Issue 8 end to end: a suspected minor's appeal filed by the app and decided by compliance staff (MINOR-5),
 * and output inviting unsafe imitation withheld from a registered 15-year-old only (CONTENT-6). A real gateway
 * on SQLite, the official `openai` client, a scripted upstream and a fake clock (daytime in Shanghai).
 */
import { defaultTexts, fillText } from '@companion-guard/core';
import { createFakeClock } from '@companion-guard/core/testing';
import type OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import type { ComplianceWire } from '../../src/index.js';
import { addStaffAccount } from '../../src/server/auth/staff-auth.js';
import { totpCode } from '../../src/server/auth/totp.js';
import type { ChatUpstream } from '../../src/upstream/upstream.js';
import { complianceOf, type Harness, startHarness } from './helpers.js';

/** An upstream that answers every request with `reply` (in two chunks), counting calls. */
function scripted(reply: string) {
  const counter = { calls: 0 };
  const upstream: ChatUpstream = {
    name: 'scripted',
    async *stream() {
      counter.calls++;
      const half = Math.floor(reply.length / 2);
      yield reply.slice(0, half);
      yield reply.slice(half);
    },
  };
  return { upstream, counter };
}

const ask = (client: OpenAI, user: string, content: string) =>
  client.chat.completions.create({ model: 'demo', user, messages: [{ role: 'user', content }] });

async function askStreamed(client: OpenAI, user: string, content: string) {
  const stream = await client.chat.completions.create({
    model: 'demo',
    user,
    stream: true,
    messages: [{ role: 'user', content }],
  });
  const directives: ComplianceWire['directives'][number][] = [];
  let text = '';
  let finish: string | null = null;
  for await (const chunk of stream) {
    const c = (chunk as unknown as { compliance?: ComplianceWire }).compliance;
    if (c) directives.push(...c.directives);
    text += chunk.choices[0]?.delta?.content ?? '';
    finish = chunk.choices[0]?.finish_reason ?? finish;
  }
  return { text, finish, directives };
}

async function call(h: Harness, method: string, path: string, body?: unknown, headers = {}) {
  return fetch(`${h.server.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** A compliance staff member signed in: the cookie and CSRF header every staff call carries. */
async function complianceStaff(h: Harness): Promise<Record<string, string>> {
  const password = 'correct horse battery';
  const { totpUri } = await addStaffAccount(h.server.store, {
    email: 'compliance@example.com',
    role: 'compliance',
    password,
    now: Date.now(),
    by: 'test',
  });
  const secret = totpUri ? (new URL(totpUri).searchParams.get('secret') ?? '') : '';
  const login = await call(h, 'POST', '/api/login', {
    email: 'compliance@example.com',
    password,
    ...(secret ? { totp: totpCode(secret, Date.now()) } : {}),
  });
  expect(login.status).toBe(200);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { csrf_token: csrf } = (await login.json()) as { csrf_token: string };
  return { cookie, 'x-csrf-token': csrf };
}

const minorModeOf = (c: ComplianceWire) => c.directives.filter((d) => d.type === 'minor-mode');

describe('appeals and CONTENT-6 end to end (official openai client, fake clock)', () => {
  it('MINOR-5: "我上初二了" moves a user with no age to minor mode with one appeal directive; the appeal is filed, listed and upheld by compliance staff; the next turn carries the outcome and no minor gates', async () => {
    const clock = createFakeClock(); // 2026-07-15T00:00Z, 08:00 in Shanghai
    const { upstream } = scripted('好的，我们聊聊吧。');
    const h = await startHarness({ clock, upstream });
    try {
      const first = complianceOf(await ask(h.client, 'kid-8', '我上初二了，今天作业好多'));
      const notices = minorModeOf(first);
      expect(notices).toHaveLength(1);
      expect(notices[0]).toMatchObject({
        requirement: 'MINOR-5',
        text: fillText(defaultTexts.minorModeSuspected.zh, { from: '22:00', to: '06:00' }),
        data: {
          reason: 'suspected',
          appeal: { method: 'POST', path: '/v1/users/kid-8/appeals', body: { kind: 'minor-mode' } },
        },
      });
      expect(notices[0]?.text).toContain('申诉');

      // Once: the next turn does not repeat it.
      clock.advance(60_000);
      const second = complianceOf(await ask(h.client, 'kid-8', '今天天气不错'));
      expect(minorModeOf(second)).toEqual([]);
      expect(second.directives.map((d) => d.type)).toContain('consent-required');

      // Filed by the app on the user's request; a second request returns the open appeal.
      const filed = await call(h, 'POST', '/v1/users/kid-8/appeals', {
        kind: 'minor-mode',
        text: '我已经26岁了，初二是说我弟弟',
      });
      expect(filed.status).toBe(201);
      const appeal = (await filed.json()) as { id: string; status: string };
      expect(appeal.status).toBe('open');
      const again = await call(h, 'POST', '/v1/users/kid-8/appeals', { kind: 'minor-mode' });
      expect(again.status).toBe(200);
      expect(((await again.json()) as { id: string }).id).toBe(appeal.id);

      // Compliance staff list and uphold it; CSRF is required as on every staff route.
      const staff = await complianceStaff(h);
      const list = await call(h, 'GET', '/api/appeals?state=open', undefined, staff);
      expect(list.status).toBe(200);
      const listed = ((await list.json()) as { data: { id: string; text: string | null }[] }).data;
      expect(listed).toEqual([
        expect.objectContaining({ id: appeal.id, text: '我已经26岁了，初二是说我弟弟' }),
      ]);
      // DATA-1: the read of the users' words is audited (who, which appeals), never the words.
      const reads = (await h.server.store.listAudit({ limit: 1000 })).filter(
        (e) => e.type === 'appeal-texts-read',
      );
      expect(reads).toEqual([
        expect.objectContaining({
          requirement: 'DATA-1',
          data: expect.objectContaining({ appealIds: [appeal.id] }),
        }),
      ]);
      expect(JSON.stringify(reads)).not.toContain('初二');
      const noCsrf = await call(
        h,
        'POST',
        `/api/appeals/${appeal.id}/decide`,
        {
          decision: 'upheld',
          reason: 'adult',
        },
        { cookie: staff.cookie ?? '' },
      );
      expect(noCsrf.status).toBe(403);
      const decided = await call(
        h,
        'POST',
        `/api/appeals/${appeal.id}/decide`,
        { decision: 'upheld', reason: 'The user explained the grade was a sibling’s.' },
        staff,
      );
      expect(decided.status).toBe(200);
      expect(await decided.json()).toMatchObject({ id: appeal.id, status: 'upheld' });
      const twice = await call(
        h,
        'POST',
        `/api/appeals/${appeal.id}/decide`,
        { decision: 'rejected', reason: 'second try' },
        staff,
      );
      expect(twice.status).toBe(409);
      expect(await twice.json()).toMatchObject({ code: 'appeal-decided' });

      // The next turn carries the outcome once and no minor gates: the companion answers (before the appeal it
      // was gated for want of a guardian's consent), and 23:00 UTC is no quiet hour for this user.
      clock.advance(23 * 3_600_000); // 23:00 UTC, the user's zone (none registered)
      const next = await ask(h.client, 'kid-8', '在吗');
      expect(next.choices[0]?.message.content).toBe('好的，我们聊聊吧。');
      expect(minorModeOf(complianceOf(next))).toEqual([
        expect.objectContaining({
          requirement: 'MINOR-5',
          text: defaultTexts.appealUpheld.zh,
          data: { appeal: 'upheld', appealId: appeal.id },
        }),
      ]);
      const after = complianceOf(await ask(h.client, 'kid-8', '聊点别的'));
      expect(after.directives.map((d) => d.type)).not.toContain('minor-mode');
      expect(after.directives.map((d) => d.type)).not.toContain('quiet-hours');
      expect(after.directives.map((d) => d.type)).not.toContain('consent-required');

      const user = await h.server.store.profiles.getProfile('kid-8');
      // The signals that raised the score do not count again (new ones would).
      expect(await h.server.store.minors.getState(user?.id ?? '')).toMatchObject({
        mode: 'off',
        suspicion: 0,
      });
      const events = (await h.server.store.listAudit({ limit: 1000 })).filter((e) => e.userId === user?.id);
      expect(events.map((e) => `${e.type}:${e.requirement}`)).toEqual(
        expect.arrayContaining([
          'minor-mode-enter:MINOR-5',
          'appeal-filed:MINOR-5',
          'appeal-decided:MINOR-5',
          'minor-mode-leave:MINOR-1',
          'appeal-outcome-shown:MINOR-5',
        ]),
      );
      expect(JSON.stringify(events)).not.toContain('26岁');

      // An adult who was never suspected cannot appeal (409 with a stable code).
      await ask(h.client, 'adult-1', '你好');
      const refused = await call(h, 'POST', '/v1/users/adult-1/appeals', { kind: 'minor-mode' });
      expect(refused.status).toBe(409);
      expect(await refused.json()).toMatchObject({ error: { code: 'appeal-not-allowed' } });
    } finally {
      await h.stop();
    }
  });

  it('MINOR-5, MINOR-1: a rejected appeal keeps minor mode; the user is told so once; a registered age under 18 cannot be upheld', async () => {
    const clock = createFakeClock();
    const { upstream, counter } = scripted('好的。');
    const h = await startHarness({ clock, upstream });
    try {
      await call(h, 'PUT', '/v1/users/kid-r', { timezone: 'Asia/Shanghai' });
      expect(minorModeOf(complianceOf(await ask(h.client, 'kid-r', '我今年13岁')))).toHaveLength(1);
      const appeal = (await (
        await call(h, 'POST', '/v1/users/kid-r/appeals', { kind: 'minor-mode' })
      ).json()) as {
        id: string;
      };
      const staff = await complianceStaff(h);
      // MINOR-1: once the app registers an age under 18, minor mode holds until 18: no upholding then.
      await call(h, 'PUT', '/v1/users/kid-r', { age: 13 });
      const upheld = await call(
        h,
        'POST',
        `/api/appeals/${appeal.id}/decide`,
        { decision: 'upheld', reason: 'Trying to uphold anyway.' },
        staff,
      );
      expect(upheld.status).toBe(409);
      expect(await upheld.json()).toMatchObject({ code: 'appeal-not-allowed' });
      const decided = await call(
        h,
        'POST',
        `/api/appeals/${appeal.id}/decide`,
        { decision: 'rejected', reason: 'Stated age 13 with school details.' },
        staff,
      );
      expect(decided.status).toBe(200);
      const rejected = (await (
        await call(h, 'GET', '/api/appeals?state=rejected', undefined, staff)
      ).json()) as {
        data: { id: string }[];
      };
      expect(rejected.data.map((a) => a.id)).toEqual([appeal.id]);

      clock.advance(60_000);
      const calls = counter.calls;
      // Still in minor mode: its gates hold (no guardian consent for a companion character, MINOR-2).
      const next = complianceOf(await ask(h.client, 'kid-r', '还想聊'));
      expect(next.directives.map((d) => d.type)).toContain('consent-required');
      expect(minorModeOf(next)).toEqual([
        expect.objectContaining({
          text: defaultTexts.appealRejected.zh,
          data: { appeal: 'rejected', appealId: appeal.id },
        }),
      ]);
      const later = complianceOf(await ask(h.client, 'kid-r', '还想聊'));
      expect(minorModeOf(later)).toEqual([]);
      expect(later.directives.map((d) => d.type)).toContain('consent-required');
      expect(counter.calls).toBe(calls);
      const user = await h.server.store.profiles.getProfile('kid-r');
      expect(await h.server.store.minors.getState(user?.id ?? '')).toMatchObject({
        mode: 'on',
        reason: 'suspected',
      });
    } finally {
      await h.stop();
    }
  });

  it('CONTENT-6: a reply inviting unsafe imitation is withheld from a registered 15-year-old (streamed and not, same decision) and passes to an adult', async () => {
    const clock = createFakeClock(); // 08:00 in Shanghai
    const reply = '太热了！一起去野泳吧，河里可凉快了。';
    const { upstream, counter } = scripted(reply);
    const h = await startHarness({ clock, upstream });
    try {
      for (const [user, age] of [
        ['teen-15', 15],
        ['adult-30', 30],
      ] as const) {
        expect((await call(h, 'PUT', `/v1/users/${user}`, { age, timezone: 'Asia/Shanghai' })).status).toBe(
          200,
        );
      }
      const teen = await h.server.store.profiles.getProfile('teen-15');
      await h.server.store.minors.recordConsent(teen?.id ?? '', {
        at: clock.now(),
        method: 'email-code',
        policyVersion: 'minor-consent-2026-01',
      });

      const whole = await ask(h.client, 'teen-15', '好热啊，想出去玩');
      expect(whole.choices[0]?.finish_reason).toBe('content_filter');
      expect(whole.choices[0]?.message.content).not.toContain('野泳');
      expect(complianceOf(whole).directives).toContainEqual(
        expect.objectContaining({ type: 'output-withheld', requirement: 'CONTENT-6' }),
      );
      const streamed = await askStreamed(h.client, 'teen-15', '好热啊，想出去玩');
      expect(streamed.finish).toBe('content_filter');
      expect(streamed.text).not.toContain('野泳');
      expect(streamed.directives).toContainEqual(
        expect.objectContaining({ type: 'output-withheld', requirement: 'CONTENT-6' }),
      );

      const adult = await ask(h.client, 'adult-30', '好热啊，想出去玩');
      expect(adult.choices[0]?.finish_reason).toBe('stop');
      expect(adult.choices[0]?.message.content).toBe(reply);
      const adultStreamed = await askStreamed(h.client, 'adult-30', '好热啊，想出去玩');
      expect(adultStreamed.text).toBe(reply);
      expect(adultStreamed.directives.map((d) => d.type)).not.toContain('output-withheld');
      expect(counter.calls).toBe(4);
    } finally {
      await h.stop();
    }
  });
});
