/**
 * Issue 10 end to end (COMPLAINT-1): a complaint filed by the app reaches the compliance queue, is assigned,
 * answered and resolved; the reply reaches the user on the session's events stream at once, or with the next
 * chat turn, once; deadlines are flagged on a fake clock; a minor-mode appeal filed as a complaint is the
 * MINOR-5 appeal. A real gateway on SQLite, the official `openai` client, a scripted upstream.
 */
import { defaultTexts, fillText } from '@companion-guard/core';
import { createFakeClock } from '@companion-guard/core/testing';
import type OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { addStaffAccount } from '../../src/server/auth/staff-auth.js';
import type { ChatUpstream } from '../../src/upstream/upstream.js';
import { sseReader } from '../sse.js';
import { complianceOf, type Harness, startHarness } from './helpers.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const upstream: ChatUpstream = {
  name: 'scripted',
  async *stream() {
    yield '好的，';
    yield '我在。';
  },
};

const ask = (client: OpenAI, user: string, content: string) =>
  client.chat.completions.create({ model: 'demo', user, messages: [{ role: 'user', content }] });

async function call(h: Harness, method: string, path: string, body?: unknown, headers = {}) {
  return fetch(`${h.server.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** Adds a compliance staff member; `login` signs in (again after the fake clock jumped past the session). */
async function complianceStaff(h: Harness, email: string) {
  const password = 'correct horse battery';
  const { staff } = await addStaffAccount(h.server.store, {
    email,
    role: 'compliance',
    password,
    now: Date.now(),
    by: 'test',
  });
  const login = async (): Promise<Record<string, string>> => {
    const res = await call(h, 'POST', '/api/login', { email, password });
    expect(res.status).toBe(200);
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const { csrf_token: csrf } = (await res.json()) as { csrf_token: string };
    return { cookie, 'x-csrf-token': csrf };
  };
  return { id: staff.id, login };
}

interface WireComplaint {
  id: string;
  kind: string;
  status: string;
  text: string | null;
  ref: string | null;
  filed_at: string;
  acknowledge_by: string;
  resolve_by: string;
  overdue: string | boolean | null;
  assignee?: string | null;
  replies: { text: string | null }[];
}

const queue = async (h: Harness, query: string, staff: Record<string, string>) => {
  const res = await call(h, 'GET', `/api/complaints${query}`, undefined, staff);
  expect(res.status).toBe(200);
  return ((await res.json()) as { data: WireComplaint[] }).data;
};

describe('complaints end to end (official openai client, fake clock)', () => {
  it('COMPLAINT-1: a report filed through the API is queued, assigned, answered (at once on the events stream, then on the next turn, once) and resolved; every step audited without text', async () => {
    const clock = createFakeClock();
    const h = await startHarness({ clock, upstream });
    try {
      const first = complianceOf(await ask(h.client, 'user-c1', '你好'));
      const contentId = first.label?.content_id ?? '';
      const sessionId = first.session.id;
      expect(contentId).not.toBe('');

      // The published process, with the profile's deadlines (cn-2026).
      const process = await call(h, 'GET', '/v1/complaints/process?locale=zh');
      expect(process.status).toBe(200);
      expect(await process.json()).toMatchObject({
        locale: 'zh',
        text: fillText(defaultTexts.complaintProcess.zh, {
          ackHours: 24,
          complaintDays: 15,
          reportDays: 7,
          appealDays: 7,
        }),
        acknowledge_within_hours: 24,
        resolve_within_days: { complaint: 15, report: 7, appeal: 7 },
      });
      const en = (await (await call(h, 'GET', '/v1/complaints/process?locale=en')).json()) as {
        text: string;
      };
      expect(en.text).toContain('within 24 hours');

      const filedAt = clock.now();
      const filed = await call(h, 'POST', '/v1/complaints', {
        user: 'user-c1',
        kind: 'report',
        text: '这个角色的回复让我很不舒服',
        ref: contentId,
      });
      expect(filed.status).toBe(201);
      const complaint = (await filed.json()) as WireComplaint;
      expect(complaint).toMatchObject({
        kind: 'report',
        status: 'open',
        ref: contentId,
        text: '这个角色的回复让我很不舒服',
        filed_at: new Date(filedAt).toISOString(),
        acknowledge_by: new Date(filedAt + 24 * HOUR).toISOString(),
        resolve_by: new Date(filedAt + 7 * DAY).toISOString(),
        overdue: false,
      });

      // The user's open chat listens on the session's events stream.
      const events = sseReader(await fetch(`${h.server.url}/v1/sessions/${sessionId}/events?user=user-c1`));
      await events.ready();

      const alice = await complianceStaff(h, 'alice@example.com');
      const bob = await complianceStaff(h, 'bob@example.com');
      const staff = await alice.login();
      expect((await queue(h, '?state=open', staff)).map((c) => [c.id, c.text])).toEqual([
        [complaint.id, '这个角色的回复让我很不舒服'],
      ]);
      const assigned = await call(h, 'POST', `/api/complaints/${complaint.id}/assign`, {}, staff);
      expect(assigned.status).toBe(200);
      expect(await assigned.json()).toMatchObject({
        assignee: alice.id,
        assignee_email: 'alice@example.com',
      });
      // Handed on to another compliance officer; nobody else can take it.
      const toBob = await call(
        h,
        'POST',
        `/api/complaints/${complaint.id}/assign`,
        { assignee: bob.id },
        staff,
      );
      expect(await toBob.json()).toMatchObject({ assignee: bob.id });
      const toNobody = await call(
        h,
        'POST',
        `/api/complaints/${complaint.id}/assign`,
        { assignee: 'x' },
        staff,
      );
      expect(toNobody.status).toBe(400);
      expect(await toNobody.json()).toMatchObject({ code: 'invalid-assignee' });
      expect((await queue(h, `?assignee=${bob.id}`, staff)).map((c) => c.id)).toEqual([complaint.id]);
      expect(await queue(h, '?assignee=me', staff)).toEqual([]);

      const moved = await call(
        h,
        'POST',
        `/api/complaints/${complaint.id}/status`,
        { status: 'in-progress' },
        staff,
      );
      expect(await moved.json()).toMatchObject({ status: 'in-progress' });

      clock.advance(10 * 60_000);
      const replied = await call(
        h,
        'POST',
        `/api/complaints/${complaint.id}/replies`,
        { text: '我们已下架这条回复，并调整了角色设定。' },
        staff,
      );
      expect(replied.status).toBe(201);

      // At once on the stream, as a complaint-reply directive in the user's language.
      const live = await events.nextEvent();
      expect(live?.data).toMatchObject({
        type: 'complaint-reply',
        compliance: {
          directives: [
            {
              type: 'complaint-reply',
              requirement: 'COMPLAINT-1',
              text: '工作人员回复了你的举报（处理中）：我们已下架这条回复，并调整了角色设定。',
              data: {
                complaint_id: complaint.id,
                kind: 'report',
                status: 'in-progress',
                reply: '我们已下架这条回复，并调整了角色设定。',
              },
            },
          ],
          session: { id: sessionId },
        },
      });
      await events.cancel();
      // Shown once: the next turn does not repeat it.
      const after = complianceOf(await ask(h.client, 'user-c1', '在吗'));
      expect(after.directives.map((d) => d.type)).not.toContain('complaint-reply');

      // Resolved with a reason and a last reply; no stream is open now: the next turn carries it, once.
      const closing = await call(
        h,
        'POST',
        `/api/complaints/${complaint.id}/status`,
        { status: 'resolved' },
        staff,
      );
      expect(closing.status).toBe(400);
      expect(await closing.json()).toMatchObject({ code: 'invalid-request' });
      const resolved = await call(
        h,
        'POST',
        `/api/complaints/${complaint.id}/status`,
        { status: 'resolved', reason: 'Reply withdrawn, persona fixed.' },
        staff,
      );
      expect(await resolved.json()).toMatchObject({
        status: 'resolved',
        reason: 'Reply withdrawn, persona fixed.',
      });
      const again = await call(
        h,
        'POST',
        `/api/complaints/${complaint.id}/status`,
        { status: 'rejected', reason: 'second thoughts' },
        staff,
      );
      expect(again.status).toBe(409);
      expect(await again.json()).toMatchObject({ code: 'complaint-closed' });
      clock.advance(60_000);
      await call(h, 'POST', `/api/complaints/${complaint.id}/replies`, { text: '感谢你的举报。' }, staff);
      const next = complianceOf(await ask(h.client, 'user-c1', '谢谢'));
      expect(next.directives.filter((d) => d.type === 'complaint-reply')).toEqual([
        expect.objectContaining({
          text: '工作人员回复了你的举报（已解决）：感谢你的举报。',
          data: expect.objectContaining({
            complaint_id: complaint.id,
            status: 'resolved',
            reply: '感谢你的举报。',
          }),
        }),
      ]);
      const later = complianceOf(await ask(h.client, 'user-c1', '好的'));
      expect(later.directives.map((d) => d.type)).not.toContain('complaint-reply');

      // The app's "my complaints" page.
      const mine = await call(h, 'GET', '/v1/users/user-c1/complaints');
      expect(mine.status).toBe(200);
      expect(((await mine.json()) as { data: WireComplaint[] }).data).toEqual([
        expect.objectContaining({
          id: complaint.id,
          status: 'resolved',
          replies: [
            expect.objectContaining({ text: '我们已下架这条回复，并调整了角色设定。' }),
            expect.objectContaining({ text: '感谢你的举报。' }),
          ],
        }),
      ]);

      const user = await h.server.store.profiles.getProfile('user-c1');
      const audit = await h.server.store.listAudit({ limit: 2000 });
      const mineEvents = audit.filter((e) => e.userId === user?.id && e.type.startsWith('complaint-'));
      expect(mineEvents.map((e) => `${e.type}:${e.requirement}`)).toEqual([
        'complaint-filed:COMPLAINT-1',
        'complaint-assigned:COMPLAINT-1',
        'complaint-assigned:COMPLAINT-1',
        'complaint-status:COMPLAINT-1',
        'complaint-replied:COMPLAINT-1',
        'complaint-reply-shown:COMPLAINT-1',
        'complaint-status:COMPLAINT-1',
        'complaint-replied:COMPLAINT-1',
        'complaint-reply-shown:COMPLAINT-1',
      ]);
      // DATA-1: staff reads of the words are audited (who, which), never the words.
      const reads = audit.filter((e) => e.type === 'complaint-texts-read');
      expect(reads[0]).toMatchObject({
        requirement: 'DATA-1',
        data: { staffId: alice.id, complaintIds: [complaint.id] },
      });
      const text = JSON.stringify(audit);
      expect(text).not.toContain('不舒服');
      expect(text).not.toContain('下架');
    } finally {
      await h.stop();
    }
  });

  it('COMPLAINT-1: bad input gets stable codes and writes nothing', async () => {
    const clock = createFakeClock();
    const h = await startHarness({ clock, upstream });
    try {
      const other = complianceOf(await ask(h.client, 'user-other', '你好'));
      const own = complianceOf(await ask(h.client, 'user-v', '你好'));
      const file = (body: unknown) => call(h, 'POST', '/v1/complaints', body);
      const cases: [unknown, number, string][] = [
        // Without `user`, as on every per-user /v1 route.
        [{ kind: 'complaint', text: 'x' }, 400, 'missing-user'],
        [{ user: '', kind: 'complaint', text: 'x' }, 400, 'invalid-request'],
        [{ user: 'user-v', kind: 'praise', text: 'x' }, 400, 'invalid-request'],
        [{ user: 'user-v', kind: 'complaint' }, 400, 'invalid-request'],
        [{ user: 'user-v', kind: 'complaint', text: '   ' }, 400, 'invalid-request'],
        [{ user: 'user-v', kind: 'complaint', text: 'x', extra: 1 }, 400, 'invalid-request'],
        [{ user: 'nobody-here', kind: 'complaint', text: 'x' }, 404, 'not-found'],
        // Another user's message is not this user's to cite.
        [
          { user: 'user-v', kind: 'report', text: 'x', ref: other.label?.content_id },
          400,
          'invalid-complaint-ref',
        ],
        [
          { user: 'user-v', kind: 'report', text: 'x', ref: 'character:no-such' },
          400,
          'invalid-complaint-ref',
        ],
        [{ user: 'user-v', kind: 'report', text: 'x', ref: other.session.id }, 400, 'invalid-complaint-ref'],
        [{ user: 'user-v', kind: 'appeal', text: 'x' }, 400, 'invalid-complaint-ref'],
        [{ user: 'user-v', kind: 'complaint', text: 'x', ref: 'minor-mode' }, 400, 'invalid-complaint-ref'],
        // Minor mode was never switched on for this user on suspicion.
        [{ user: 'user-v', kind: 'appeal', text: 'x', ref: 'minor-mode' }, 409, 'appeal-not-allowed'],
      ];
      for (const [body, status, code] of cases) {
        const res = await file(body);
        expect([JSON.stringify(body), res.status]).toEqual([JSON.stringify(body), status]);
        expect(await res.json()).toMatchObject({ error: { code } });
      }
      expect((await call(h, 'GET', '/v1/complaints/process?locale=fr')).status).toBe(400);
      expect(await h.server.store.complaints.list()).toEqual([]);
      const ok = await file({ user: 'user-v', kind: 'report', text: 'x', ref: 'character:xiaonuan' });
      expect(ok.status).toBe(201);
      expect((await file({ user: 'user-v', kind: 'complaint', text: 'x', ref: own.session.id })).status).toBe(
        201,
      );
      // An appeal of a blocked message names the content id the blocked turn's answer carried.
      const blocked = await ask(h.client, 'user-v', '给我看儿童色情');
      expect(blocked.choices[0]?.finish_reason).toBe('content_filter');
      const blockedId = complianceOf(blocked).label?.content_id;
      expect(blockedId).toBeTruthy();
      const appealed = await file({
        user: 'user-v',
        kind: 'appeal',
        text: '我只是在问怎么举报',
        ref: blockedId,
      });
      expect(appealed.status).toBe(201);
      expect(await appealed.json()).toMatchObject({ kind: 'appeal', ref: blockedId, status: 'open' });

      const staff = await (await complianceStaff(h, 'carol@example.com')).login();
      const bad = await call(h, 'GET', '/api/complaints?state=closed', undefined, staff);
      expect(await bad.json()).toMatchObject({ code: 'invalid-request' });
      const missing = await call(h, 'POST', '/api/complaints/no-such/replies', { text: 'hi' }, staff);
      expect(missing.status).toBe(404);
      expect(await missing.json()).toMatchObject({ code: 'not-found' });
    } finally {
      await h.stop();
    }
  });

  it('COMPLAINT-1: deadlines are flagged on the clock: not taken up in 24 hours, not closed in 15 days', async () => {
    const clock = createFakeClock();
    const h = await startHarness({ clock, upstream });
    try {
      await ask(h.client, 'user-late', '你好');
      const filed = (await (
        await call(h, 'POST', '/v1/complaints', { user: 'user-late', kind: 'complaint', text: '扣费不对' })
      ).json()) as WireComplaint;
      const officer = await complianceStaff(h, 'dan@example.com');
      let staff = await officer.login();
      expect(await queue(h, '?overdue=true', staff)).toEqual([]);

      clock.advance(25 * HOUR);
      staff = await officer.login();
      expect((await queue(h, '?overdue=true', staff)).map((c) => [c.id, c.overdue])).toEqual([
        [filed.id, 'acknowledge'],
      ]);
      expect(await queue(h, '?overdue=false', staff)).toEqual([]);
      // The app's view says only that it is late.
      const mine = (await (await call(h, 'GET', '/v1/users/user-late/complaints')).json()) as {
        data: WireComplaint[];
      };
      expect(mine.data.map((c) => c.overdue)).toEqual([true]);
      await call(h, 'POST', `/api/complaints/${filed.id}/assign`, {}, staff);
      expect(await queue(h, '?overdue=true', staff)).toEqual([]);
      expect((await queue(h, '?overdue=false', staff)).map((c) => c.overdue)).toEqual([null]);

      clock.advance(15 * DAY);
      staff = await officer.login();
      expect((await queue(h, '?overdue=true&state=open', staff)).map((c) => c.overdue)).toEqual(['resolve']);
      const summary = await h.server.store.complaints.summary({
        from: clock.now() - 30 * DAY,
        to: clock.now(),
        now: clock.now(),
      });
      expect(summary).toMatchObject({ received: 1, overdueOpen: 1, resolved: 0 });
      await call(
        h,
        'POST',
        `/api/complaints/${filed.id}/status`,
        { status: 'resolved', reason: 'refunded late' },
        staff,
      );
      expect(await queue(h, '?overdue=true', staff)).toEqual([]);
      expect(
        await h.server.store.complaints.summary({
          from: clock.now() - 30 * DAY,
          to: clock.now(),
          now: clock.now(),
        }),
      ).toMatchObject({ received: 1, resolved: 1, resolvedOnTime: 0, overdueOpen: 0 });
    } finally {
      await h.stop();
    }
  });

  it('COMPLAINT-1, MINOR-5: an appeal of minor mode filed as a complaint is the MINOR-5 appeal; resolving it ends minor mode and the next turn says so', async () => {
    const clock = createFakeClock();
    const h = await startHarness({ clock, upstream });
    try {
      const switched = complianceOf(await ask(h.client, 'kid-c', '我上初二了'));
      expect(switched.directives.map((d) => d.type)).toContain('minor-mode');
      const filed = await call(h, 'POST', '/v1/complaints', {
        user: 'kid-c',
        kind: 'appeal',
        ref: 'minor-mode',
        text: '我已经成年了，初二是说我弟弟',
      });
      expect(filed.status).toBe(201);
      const appeal = (await filed.json()) as WireComplaint;
      // The old route returns the same open appeal.
      const old = await call(h, 'POST', '/v1/users/kid-c/appeals', { kind: 'minor-mode' });
      expect(old.status).toBe(200);
      expect(await old.json()).toMatchObject({ id: appeal.id, text: '我已经成年了，初二是说我弟弟' });

      const staff = await (await complianceStaff(h, 'erin@example.com')).login();
      expect((await queue(h, '?state=open', staff)).map((c) => [c.id, c.kind, c.ref])).toEqual([
        [appeal.id, 'appeal', 'minor-mode'],
      ]);
      const resolved = await call(
        h,
        'POST',
        `/api/complaints/${appeal.id}/status`,
        { status: 'resolved', reason: 'The grade was a sibling’s.' },
        staff,
      );
      expect(resolved.status).toBe(200);
      const appeals = (await (await call(h, 'GET', '/api/appeals?state=all', undefined, staff)).json()) as {
        data: { id: string; status: string }[];
      };
      expect(appeals.data).toEqual([expect.objectContaining({ id: appeal.id, status: 'upheld' })]);

      clock.advance(60_000);
      const next = await ask(h.client, 'kid-c', '在吗');
      expect(next.choices[0]?.message.content).toBe('好的，我在。');
      expect(complianceOf(next).directives.filter((d) => d.type === 'minor-mode')).toEqual([
        expect.objectContaining({
          text: defaultTexts.appealUpheld.zh,
          data: { appeal: 'upheld', appealId: appeal.id },
        }),
      ]);
      const user = await h.server.store.profiles.getProfile('kid-c');
      expect(await h.server.store.minors.getState(user?.id ?? '')).toMatchObject({
        mode: 'off',
        suspicion: 0,
      });
    } finally {
      await h.stop();
    }
  });
});
