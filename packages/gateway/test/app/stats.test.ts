import { resolveProfile, type StatsReport } from '@companion-guard/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createSmtpEmailSender } from '../../src/notify/index.js';
import { smtpSink } from '../notify-capture.js';
import { createStaffTestApp, type TestSession } from '../staff-app.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** 2026-07-15 16:30 UTC is 2026-07-16 00:30 in Asia/Shanghai (the cn-2026 profile's time zone). */
const lateUtc = Date.UTC(2026, 6, 15, 16, 30);

async function appWith(options: Parameters<typeof createStaffTestApp>[0] = {}) {
  const t = await createStaffTestApp(options);
  cleanups.push(() => t.close());
  const key = await t.createKey();
  const complianceStaff = await t.addStaff('compliance');
  const auditorStaff = await t.addStaff('auditor');
  let compliance = await t.login(complianceStaff);
  let auditor = await t.login(auditorStaff);
  /** Signs in again (the fake clock may have moved past the sessions' idle limit). */
  const signIn = async () => {
    compliance = await t.login(complianceStaff);
    auditor = await t.login(auditorStaff);
    return { compliance, auditor };
  };
  const chat = (user: string, content: string) =>
    t.request('/v1/chat/completions', {
      method: 'POST',
      apiKey: key,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'demo', user, messages: [{ role: 'user', content }] }),
    });
  const json = async (path: string, session: TestSession, init: RequestInit = {}) => {
    const res = await t.request(path, {
      ...init,
      session,
      ...(init.body ? { headers: { 'content-type': 'application/json' } } : {}),
    });
    return { status: res.status, body: res.status === 204 ? null : await res.json() };
  };
  return { t, key, compliance, auditor, signIn, chat, json };
}

const smallProfile = resolveProfile('cn-2026', {
  assessment: { registeredUsers: 3, monthlyActiveUsers: 2 },
});

async function complianceMailbox() {
  const sink = await smtpSink();
  cleanups.push(sink.close);
  const email = createSmtpEmailSender({
    host: '127.0.0.1',
    port: sink.port,
    secure: false,
    from: 'alerts@companion-guard.test',
    timeoutMs: 3000,
  });
  cleanups.push(() => email.close());
  return { sink, compliance: { emails: ['compliance@example.com'], email } };
}

describe('GET /api/stats', () => {
  it('ASSESS-2: chat turns count in the deployment’s time zone: actives, turns, use, registered users; numbers only', async () => {
    const { t, signIn, chat, json } = await appWith();
    t.clock.set(lateUtc);
    expect((await chat('stats-a', '你好')).status).toBe(200);
    t.clock.advance(60_000);
    expect((await chat('stats-a', '今天有点累')).status).toBe(200);
    t.clock.advance(60_000);
    expect((await chat('stats-b', 'hello')).status).toBe(200);
    // The next local day: user a again, after a long absence (no use counted for the gap).
    t.clock.advance(86_400_000);
    expect((await chat('stats-a', '又来了')).status).toBe(200);

    const { compliance, auditor } = await signIn();
    const { status, body } = await json('/api/stats?from=2026-07-15&to=2026-07-17', compliance);
    expect(status).toBe(200);
    const report = body as StatsReport;
    expect(report.timeZone).toBe('Asia/Shanghai');
    expect(
      report.days.map((d) => [d.day, d.newUsers, d.dailyActiveUsers, d.monthlyActiveUsers, d.turns]),
    ).toEqual([
      ['2026-07-15', 0, 0, 0, 0],
      ['2026-07-16', 2, 2, 2, 3],
      ['2026-07-17', 0, 1, 2, 1],
    ]);
    expect(report.days[1]?.usageMinutes).toBe(1);
    expect(report.totals).toMatchObject({ registeredUsers: 2, monthlyActiveUsers: 2, turns: 4 });
    expect(report.thresholds).toEqual({ registeredUsers: 1_000_000, monthlyActiveUsers: 100_000 });
    // No user id, external id or text anywhere.
    const text = JSON.stringify(body);
    for (const secret of ['stats-a', 'stats-b', '你好', 'hello']) expect(text).not.toContain(secret);
    // The auditor reads it too; a bad range is a stable error.
    expect((await json('/api/stats', auditor)).status).toBe(200);
    const bad = await json('/api/stats?from=2026-07-20&to=2026-07-01', compliance);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('invalid-request');
    expect((await json('/api/stats?from=2026-02-30', compliance)).status).toBe(400);
  });
});

describe('assessment triggers', () => {
  it('ASSESS-1: crossing the registered-user and monthly-active thresholds is recorded once, audited, mailed to the compliance contact and shown with its day', async () => {
    const { sink, compliance: contact } = await complianceMailbox();
    const { t, signIn, chat, json } = await appWith({
      app: { profile: smallProfile, compliance: contact },
    });
    t.clock.set(lateUtc);
    expect((await chat('trig-1', '你好')).status).toBe(200);
    expect(await t.stats.checkThresholds(t.clock.now())).toEqual([]);
    await chat('trig-2', '你好');
    const mau = await t.stats.checkThresholds(t.clock.now());
    expect(mau.map((x) => [x.kind, x.value, x.threshold, x.day])).toEqual([
      ['monthly-active-users', 2, 2, '2026-07-16'],
    ]);
    await chat('trig-3', '你好');
    await chat('trig-4', '你好');
    const both = await Promise.all([
      t.stats.checkThresholds(t.clock.now()),
      t.stats.checkThresholds(t.clock.now()),
    ]);
    expect(both.flat().map((x) => x.kind)).toEqual(['registered-users']);
    t.clock.advance(3_600_000);
    expect(await t.stats.checkThresholds(t.clock.now())).toEqual([]);

    const events = (await t.store.listAudit({ limit: 1000 })).filter((e) => e.requirement === 'ASSESS-1');
    expect(events.filter((e) => e.type === 'assessment-triggered').map((e) => e.data?.kind)).toEqual([
      'monthly-active-users',
      'registered-users',
    ]);
    expect(events.filter((e) => e.type === 'assessment-notified')).toHaveLength(2);
    expect(sink.mails).toHaveLength(2);
    expect(sink.mails[0]?.to).toEqual(['compliance@example.com']);
    expect(sink.mails[0]?.text).toContain('月活跃用户数达到 2');
    expect(sink.mails[0]?.text).toContain('monthly active users reached 2');

    const { compliance } = await signIn();
    const report = (await json('/api/stats', compliance)).body as StatsReport;
    expect(report.thresholds).toEqual({ registeredUsers: 3, monthlyActiveUsers: 2 });
    expect(report.triggers.map((x) => [x.key, x.requirement, x.day, x.notifiedAt !== null])).toEqual([
      ['monthly-active-users', 'ASSESS-1', '2026-07-16', true],
      ['registered-users', 'ASSESS-1', '2026-07-16', true],
    ]);
  });

  it('ASSESS-1: a character launched through the admin routes is a trigger, once per character', async () => {
    const { sink, compliance: contact } = await complianceMailbox();
    const { t, compliance, json } = await appWith({ app: { compliance: contact } });
    const admin = await t.login(await t.addStaff('admin'));
    const character = (enabled: boolean) =>
      JSON.stringify({
        name: { zh: '小林', en: 'Lin' },
        description: { zh: '朋友', en: 'A friend' },
        scope: 'companion',
        relation: 'friend',
        enabled,
      });
    const put = (enabled: boolean) =>
      t.request('/api/characters/lin', {
        method: 'PUT',
        session: admin,
        headers: { 'content-type': 'application/json' },
        body: character(enabled),
      });
    expect((await put(false)).status).toBe(200);
    expect((await t.store.stats.listTriggers()).length).toBe(0);
    expect((await put(true)).status).toBe(200);
    expect((await put(true)).status).toBe(200);
    expect((await put(false)).status).toBe(200);
    expect((await put(true)).status).toBe(200);
    const report = (await json('/api/stats', compliance)).body as StatsReport;
    expect(report.triggers.map((x) => [x.kind, x.subject])).toEqual([['launch', 'character:lin']]);
    const audit = (await t.store.listAudit({ limit: 1000 })).filter((e) => e.type === 'assessment-triggered');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      requirement: 'ASSESS-1',
      data: { kind: 'launch', subject: 'character:lin' },
    });
    expect(sink.mails.map((m) => m.text.includes('character:lin'))).toEqual([true]);
  });
});

describe('/api/filing and /api/checklist', () => {
  it('ASSESS-4, GOV-1: compliance edits the filing record and the checklist (audited); the auditor reads them; bad input is refused', async () => {
    const { t, compliance, auditor, json } = await appWith();
    const put = (path: string, body: unknown, session = compliance) =>
      json(path, session, { method: 'PUT', body: JSON.stringify(body) });

    const filing = await put('/api/filing', {
      filingNumber: '网信算备110108000000001',
      assessmentStatus: 'submitted',
      submittedOn: '2026-07-10',
      nextReviewOn: '2027-07-10',
    });
    expect(filing.status).toBe(200);
    expect(filing.body).toMatchObject({
      filingNumber: '网信算备110108000000001',
      assessmentStatus: 'submitted',
    });
    expect((await json('/api/filing', auditor)).body).toEqual(filing.body);
    expect((await put('/api/filing', { assessmentStatus: 'accepted' }, auditor)).status).toBe(403);
    for (const bad of [{ assessmentStatus: 'done' }, { submittedOn: '2026-13-01' }, { extra: 1 }]) {
      const res = await put('/api/filing', bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(JSON.stringify(res.body)).toContain('invalid-request');
    }

    const created = await put('/api/checklist/new', {
      area: 'contingency-plan',
      title: '应急预案演练',
      owner: '安全负责人',
      dueOn: '2026-09-30',
    });
    expect(created.status).toBe(201);
    const id = (created.body as { id: string }).id;
    const done = await put(`/api/checklist/${id}`, {
      area: 'contingency-plan',
      title: '应急预案演练',
      owner: '安全负责人',
      dueOn: '2026-09-30',
      doneOn: '2026-09-12',
      note: 'drill held',
    });
    expect(done.status).toBe(200);
    expect((await json('/api/checklist', auditor)).body).toEqual({ data: [done.body] });
    expect((await put('/api/checklist/x', { area: 'nope', title: 't' })).status).toBe(400);
    expect((await json(`/api/checklist/${id}`, auditor, { method: 'DELETE' })).status).toBe(403);
    expect((await json(`/api/checklist/${id}`, compliance, { method: 'DELETE' })).status).toBe(204);
    expect((await json(`/api/checklist/${id}`, compliance, { method: 'DELETE' })).status).toBe(404);

    const events = (await t.store.listAudit({ limit: 1000 }))
      .filter((e) => e.requirement === 'ASSESS-4' || e.requirement === 'GOV-1')
      .map((e) => `${e.type}:${e.requirement}`);
    expect(events).toEqual([
      'filing-updated:ASSESS-4',
      'checklist-item-saved:GOV-1',
      'checklist-item-saved:GOV-1',
      'checklist-item-deleted:GOV-1',
    ]);
  });
});
