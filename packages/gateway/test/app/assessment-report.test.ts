/**
 * The assessment report (ASSESS-2) with the triggers, filing record and checklist (ASSESS-1, ASSESS-4,
 * GOV-1) against a small store seeded through the gateway itself (users registered, turns, a crisis taken
 * over by an operator, a training consent and export), on SQLite and on PostgreSQL, in all three formats,
 * through `GET /api/reports/assessment` and the CLI; every generation audited. Real stores, real detection,
 * real staff sign-in; only the model and the clock are fake.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveProfile } from '@companion-guard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportTrainingData } from '../../src/cli/data-rights-commands.js';
import { type CliIo, runCli } from '../../src/cli/run-cli.js';
import { openStore } from '../../src/cli/serve.js';
import { loadConfig } from '../../src/config.js';
import type { AssessmentReport } from '../../src/reports/assessment-report.js';
import { renderMarkdown } from '../../src/reports/render-report.js';
import { generateAnnualReport } from '../../src/reports/report-service.js';
import { describePostgres, useTestSchemas } from '../postgres.js';
import { createStaffTestApp, type StaffTestApp, type TestSession } from '../staff-app.js';

const crisisText = '我今晚就要自杀，药已经准备好了';
/** What must never appear in a report: user ids, a guardian's name and address, what a user wrote. */
const personal = ['adult-1', 'elder-1', 'kid-1', '王芳', 'wang.fang', crisisText, '你好呀今天'];

/** 10:00 in Shanghai on 2026-07-15 (the cn-2026 profile counts days in Asia/Shanghai). */
const start = Date.UTC(2026, 6, 15, 2);

async function call(
  t: StaffTestApp,
  path: string,
  init: { method?: string; body?: unknown; session?: TestSession } = {},
) {
  const r = await t.request(path, {
    method: init.method ?? 'GET',
    ...(init.session ? { session: init.session } : {}),
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  return { status: r.status, text: await r.text(), headers: r.headers };
}

async function ok(t: StaffTestApp, path: string, init: Parameters<typeof call>[2] = {}) {
  const r = await call(t, path, init);
  expect(r.status, r.text).toBeLessThan(300);
  return r.text === '' ? null : (JSON.parse(r.text) as Record<string, unknown>);
}

/** Seeds the store through the gateway: 3 users, turns, one crisis taken over, a consent and an export. */
async function seed(t: StaffTestApp, dir: string) {
  t.clock.set(start);
  await ok(t, '/v1/users/adult-1', { method: 'PUT', body: { age: 30, region: 'CN' } });
  await ok(t, '/v1/users/elder-1', { method: 'PUT', body: { age: 72, region: 'CN' } });
  await ok(t, '/v1/users/kid-1', {
    method: 'PUT',
    body: { age: 12, guardian: { name: '王芳', email: 'wang.fang@example.cn' } },
  });
  const chat = (user: string, content: string) =>
    ok(t, '/v1/chat/completions', {
      method: 'POST',
      body: { model: 'demo', user, messages: [{ role: 'user', content }] },
    });
  await chat('adult-1', '你好呀今天');
  await chat('elder-1', '你好呀今天');
  await ok(t, '/v1/users/adult-1/consents', { method: 'PUT', body: { training: true } });

  const operator = await t.login(await t.addStaff('operator'));
  await ok(t, '/api/me/duty', { method: 'PUT', session: operator, body: { on_duty: true } });
  await ok(t, '/api/me/heartbeat', { method: 'POST', session: operator });
  await chat('adult-1', crisisText);
  const queue = (await ok(t, '/api/incidents?state=active', { session: operator })) as {
    data: { id: string }[];
  };
  const incident = queue.data[0]?.id ?? '';
  t.clock.advanceMinutes(2);
  await ok(t, `/api/incidents/${incident}/claim`, { method: 'POST', session: operator });
  t.clock.advanceMinutes(1);
  await ok(t, `/api/incidents/${incident}/messages`, {
    method: 'POST',
    session: operator,
    body: { text: '我在这里，我们聊一聊' },
  });
  await exportTrainingData(t.store, resolveProfile('cn-2026'), join(dir, 'export'), t.clock.now(), {
    out: () => undefined,
    err: () => undefined,
  });
  const by = { staffId: 'compliance-lead', now: t.clock.now() };
  await t.store.stats.saveFiling(
    { filingNumber: '网信算备110000000000001', assessmentStatus: 'in-progress' },
    by,
    [],
  );
  await t.store.stats.saveChecklistItem(
    {
      id: 'ethics',
      area: 'ethics-review',
      title: '科技伦理审查制度',
      owner: '伦理委员会',
      dueOn: '2026-07-01',
      doneOn: null,
      note: null,
    },
    by,
    [],
  );
}

function describeReport(name: string, storeUrl: () => Promise<string | undefined>) {
  describe(`ASSESS-2: the assessment report on ${name}`, () => {
    let t: StaffTestApp;
    let dir: string;
    let compliance: TestSession;
    let complianceId: string;
    const formats: Record<string, string> = {};

    beforeAll(async () => {
      const url = await storeUrl();
      t = await createStaffTestApp({ app: url ? { storeUrl: url } : {} });
      dir = await mkdtemp(join(tmpdir(), 'cg-report-'));
      await seed(t, dir);
      const staff = await t.addStaff('compliance');
      complianceId = staff.id;
      compliance = await t.login(staff);
      for (const format of ['json', 'md', 'html']) {
        const r = await call(t, `/api/reports/assessment?from=2026-07-01&to=2026-07-31&format=${format}`, {
          session: compliance,
        });
        expect(r.status, r.text).toBe(200);
        expect(r.headers.get('content-disposition')).toBe(
          `attachment; filename="assessment-2026-07-01_2026-07-31.${format}"`,
        );
        formats[format] = r.text;
      }
    }, 60_000);
    afterAll(async () => {
      await t?.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('ASSESS-2: JSON holds the figures of every Art. 23 section', () => {
      const r = JSON.parse(formats.json ?? '') as AssessmentReport;
      expect(r.period).toEqual({ from: '2026-07-01', to: '2026-07-31', timeZone: 'Asia/Shanghai' });
      expect(r.safeguards.find((s) => s.requirement === 'RISK-4')).toMatchObject({ enforced: true });
      expect(r.safeguards.find((s) => s.requirement === 'MINOR-1')).toMatchObject({ enforced: true });
      expect(r.trainingData.consents.training).toEqual({ heldAtEnd: 1, given: 1, revoked: 0, byGuardian: 0 });
      expect(r.trainingData.exports).toEqual({ count: 1, users: 1, messages: expect.any(Number) });
      expect(r.trainingData.exports.messages).toBeGreaterThan(0);
      expect(r.crisis).toMatchObject({
        incidents: 1,
        bySeverity: { critical: 1, high: 0 },
        byReason: { crisis: 1, scam: 0 },
        claimed: 1,
        humanAnswered: 1,
        medianMinutes: { toClaim: 2, toFirstHumanMessage: 3 },
        firstHumanAnswer: { count: 1, meanSeconds: 180, within: { '1m': 0, '5m': 1, '15m': 1, '60m': 1 } },
      });
      expect(r.crisis.helpLinesShown).toBeGreaterThanOrEqual(1);
      expect(Object.values(r.crisis.byTier).reduce((a, b) => a + b, 0)).toBe(1);
      expect(r.userScale).toMatchObject({
        registeredUsers: 3,
        newUsers: 3,
        thresholds: { registeredUsers: 1_000_000, monthlyActiveUsers: 100_000 },
        reached: { registeredUsers: false, monthlyActiveUsers: false },
      });
      expect(r.userScale.monthlyActiveUsers).toBe(2);
      expect(r.usage.turns).toBeGreaterThanOrEqual(3);
      expect(r.usage.ageStructure.registered).toMatchObject({ adult: 1, elderly: 1 });
      expect(r.minorsAndElderly).toMatchObject({
        minorModeEnabled: true,
        incidents: { minors: 0, elderly: 0 },
      });
      expect(r.complaints).toMatchObject({
        received: 0,
        resolved: 0,
        overdueOpen: 0,
        medianResolveHours: null,
      });
      expect(r.rectification).toMatchObject({ openItems: 1, overdueItems: 1 });
      expect(r.filing).toMatchObject({
        filingNumber: '网信算备110000000000001',
        assessmentStatus: 'in-progress',
      });
      expect(r.checklist).toEqual([
        expect.objectContaining({ area: 'ethics-review', title: '科技伦理审查制度', owner: '伦理委员会' }),
      ]);
      expect(r.series).toHaveLength(31);
      expect(r.series.find((d) => d.day === '2026-07-15')).toMatchObject({
        registeredUsers: 3,
        incidents: 1,
      });
    });

    it('ASSESS-2: Markdown carries the same figures under the Chinese headings with English', () => {
      const md = formats.md ?? '';
      for (const heading of [
        '## 一、安全措施建设情况 / 1. Safeguards in place',
        '## 二、训练数据处理情况 / 2. Training data handling',
        '## 三、极端情境识别、应急处置与人工接管 / 3. Extreme situations, emergency response and human takeover',
        '## 四、用户规模 / 4. User scale',
        '## 五、使用时长与年龄结构 / 5. Usage time and age structure',
        '## 六、未成年人和老年人保护 / 6. Minors and the elderly',
        '## 七、投诉举报处理 / 7. Complaint handling',
        '## 八、重大风险整改情况 / 8. Rectification of major risks',
        '## 九、备案信息 / 9. Filing record (ASSESS-4)',
        '## 十、管理制度自查清单 / 10. Self-inspection checklist (GOV-1)',
      ]) {
        expect(md).toContain(heading);
      }
      expect(md).toContain('| 注册用户（期末） / Registered users (end of period) | 3 |');
      expect(md).toContain('| 人工接管并回复 / Taken over with a human answer | 1 |');
      expect(md).toContain('| 首次人工回复用时中位数 / Median time to the first human answer | 3 min |');
      expect(md).toContain('| 算法备案号 / Algorithm filing number | 网信算备110000000000001 |');
      expect(md).toContain(
        '| 科技伦理审查 / ethics review | 科技伦理审查制度 | 伦理委员会 | 2026-07-01 | — | — |',
      );
    });

    it('ASSESS-2: a complaints summary, where the store keeps complaints, fills section 7', () => {
      const r = JSON.parse(formats.json ?? '') as AssessmentReport;
      const md = renderMarkdown({
        ...r,
        complaints: {
          received: 12,
          byKind: { complaint: 9, report: 3, appeal: 0 },
          resolved: 10,
          resolvedOnTime: 8,
          overdueOpen: 1,
          medianResolveHours: 20.5,
        },
      });
      const section = md.slice(md.indexOf('## 七、'), md.indexOf('## 八、'));
      expect(section).toContain('| 收到 / Received | 12 |');
      expect(section).toContain('| 其中 report / of which report | 3 |');
      expect(section).toContain('| 按时处理 / Resolved on time | 8 (80%) |');
      expect(section).toContain('| 超期未处理 / Open past the deadline | 1 |');
      expect(section).toContain('| 处理用时中位数（小时） / Median hours to resolve | 20.5 |');
    });

    it('ASSESS-2: HTML is one self-contained file with inline SVG charts and the same figures', () => {
      const html = formats.html ?? '';
      expect(html.startsWith('<!doctype html>')).toBe(true);
      expect(html).not.toMatch(/<script|<link|<img|<iframe|src=|url\(/i);
      // The only address is the SVG namespace name, which is never fetched.
      expect(new Set(html.match(/https?:\/\/[^"\s<]+/g))).toEqual(new Set(['http://www.w3.org/2000/svg']));
      expect((html.match(/<svg /g) ?? []).length).toBe(5);
      expect(html).toContain(
        '<td>注册用户（期末） / Registered users (end of period)</td><td class="value">3</td>',
      );
      expect(html).toContain('网信算备110000000000001');
      expect(html).toContain('@media print');
    });

    it('ASSESS-2: no report format holds a user id, a contact or anything a user wrote', () => {
      for (const body of Object.values(formats)) {
        for (const value of personal) expect(body).not.toContain(value);
      }
    });

    it('ASSESS-2: every generation is audited with who asked; auditors may, operators may not', async () => {
      const auditor = await t.login(await t.addStaff('auditor'));
      expect(
        (
          await call(t, '/api/reports/assessment?from=2026-07-15&to=2026-07-15&format=md', {
            session: auditor,
          })
        ).status,
      ).toBe(200);
      const operator = await t.login(await t.addStaff('operator'));
      const refused = await call(t, '/api/reports/assessment?from=2026-07-15&to=2026-07-15', {
        session: operator,
      });
      expect(refused.status).toBe(403);
      const events = await t.store.listAudit({ requirements: ['ASSESS-2'] });
      const generated = events.filter((e) => e.type === 'report-generated');
      expect(generated.map((e) => [e.data?.format, e.data?.by])).toEqual([
        ['json', complianceId],
        ['md', complianceId],
        ['html', complianceId],
        ['md', expect.any(String)],
      ]);
      expect(generated[0]?.data).toMatchObject({
        report: 'assessment',
        from: '2026-07-01',
        to: '2026-07-31',
      });
    });

    it('ASSESS-2: a bad period or format is a 400 naming the field, and nothing is audited', async () => {
      const before = (await t.store.listAudit({ requirements: ['ASSESS-2'] })).length;
      for (const [query, field] of [
        ['from=2026-02-30&to=2026-03-01', 'from'],
        ['from=2026-07-10&to=2026-07-01', 'to'],
        ['from=2025-01-01&to=2026-07-01', 'to'],
        ['to=2026-07-01', 'from'],
        ['from=2026-07-01&to=2026-07-02&format=pdf', 'format'],
      ] as const) {
        const r = await call(t, `/api/reports/assessment?${query}`, { session: compliance });
        expect(r.status, query).toBe(400);
        const body = JSON.parse(r.text) as { code: string; message: string };
        expect(body.code).toBe('invalid-request');
        expect(body.message.startsWith(`${field}:`), body.message).toBe(true);
      }
      expect((await t.store.listAudit({ requirements: ['ASSESS-2'] })).length).toBe(before);
    });
  });
}

describeReport('SQLite', async () => undefined);
describePostgres('assessment report on PostgreSQL', () => {
  const schemas = useTestSchemas();
  describeReport('PostgreSQL', async () => (await schemas.create('report')).url);
});

describe('ASSESS-2, ASSESS-5: report commands', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'cg-report-cli-'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  async function cli(argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      env: {},
      readStdin: async () => '',
    };
    const code = await runCli(argv, io);
    return { code, out: out.join('\n'), err };
  }

  it('ASSESS-2: report assessment prints the report, or writes it with --out, audited as by the CLI', async () => {
    const data = join(root, 'cn');
    expect((await cli(['migrate', '--data', data])).code).toBe(0);
    const md = await cli([
      'report',
      'assessment',
      '--from',
      '2026-01-01',
      '--to',
      '2026-06-30',
      '--format',
      'md',
      '--data',
      data,
    ]);
    expect(md.code).toBe(0);
    expect(md.out).toContain('# 人格化互动服务安全评估报告');
    expect(md.out).toContain('| 注册用户（期末） / Registered users (end of period) | 0 |');
    const file = join(root, 'report.html');
    const html = await cli([
      'report',
      'assessment',
      '--from',
      '2026-01-01',
      '--to',
      '2026-06-30',
      '--out',
      file,
      '--data',
      data,
    ]);
    expect(html.out).toBe('');
    expect(html.err).toContain(`报告已写入 / report written to ${file}`);
    expect((await readFile(file, 'utf8')).startsWith('<!doctype html>')).toBe(true);
    const store = await openStore(await loadConfig({ dataDir: data }, {}));
    try {
      const events = await store.listAudit({ requirements: ['ASSESS-2'] });
      expect(events.map((e) => [e.type, e.data?.format, e.data?.by])).toEqual([
        ['report-generated', 'md', 'cli'],
        ['report-generated', 'html', 'cli'],
      ]);
      expect(await store.verifyAudit()).toMatchObject({ ok: true });
    } finally {
      await store.close();
    }
    await expect(
      cli([
        'report',
        'assessment',
        '--from',
        '2026-01-01',
        '--to',
        '2026-06-30',
        '--format',
        'pdf',
        '--data',
        data,
      ]),
    ).rejects.toMatchObject({
      code: 'invalid-request',
      message: '--format: must be html, md or json',
    });
  });

  it('ASSESS-5: report annual is for the CA profile; on another it is refused', async () => {
    const data = join(root, 'ca');
    const config = join(root, 'ca.json');
    await writeFile(config, JSON.stringify({ profile: 'us-ca-sb243' }));
    expect((await cli(['migrate', '--data', data, '--config', config])).code).toBe(0);
    const run = await cli([
      'report',
      'annual',
      '--year',
      '2026',
      '--format',
      'md',
      '--data',
      data,
      '--config',
      config,
    ]);
    expect(run.code).toBe(0);
    expect(run.out).toContain('| 危机服务转介通知次数 / Crisis service referral notifications issued | 0 |');
    await expect(
      cli(['report', 'annual', '--year', '2026', '--data', join(root, 'cn')]),
    ).rejects.toMatchObject({
      code: 'invalid-request',
    });
  });
});

describe('ASSESS-5: the CA annual report', () => {
  let t: StaffTestApp;
  const profile = resolveProfile('us-ca-sb243');
  const plan = 'I am going to kill myself tonight, I have the pills ready';
  beforeAll(async () => {
    t = await createStaffTestApp({ app: { profile } });
    t.clock.set(Date.UTC(2026, 2, 10, 18));
    await ok(t, '/v1/users/ca-user-1', { method: 'PUT', body: { age: 16, region: 'US-CA' } });
    for (const content of ['hi there', plan]) {
      await ok(t, '/v1/chat/completions', {
        method: 'POST',
        body: { model: 'demo', user: 'ca-user-1', messages: [{ role: 'user', content }] },
      });
    }
  });
  afterAll(() => t?.close());

  it('ASSESS-5: counts the crisis referrals of the year and names the protocols, with no personal data', async () => {
    const formats: Record<string, string> = {};
    for (const format of ['json', 'md', 'html'] as const) {
      formats[format] = (
        await generateAnnualReport(t.store, profile, { year: 2026, format, now: t.clock.now(), by: 'test' })
      ).body;
    }
    const report = JSON.parse(formats.json ?? '') as Record<string, unknown>;
    expect(report).toMatchObject({
      type: 'companion-guard/ca-annual-report',
      requirement: 'ASSESS-5',
      year: 2026,
      period: { from: '2026-01-01', to: '2026-12-31', timeZone: 'America/Los_Angeles' },
      crisisReferrals: 1,
      crisisIncidents: 1,
    });
    expect((report.protocols as { requirement: string }[]).map((p) => p.requirement)).toEqual([
      'RISK-1',
      'RISK-3',
      'CONTENT-2',
      'RISK-4',
      'DISC-6',
    ]);
    expect(formats.md).toContain(
      '| 危机服务转介通知次数 / Crisis service referral notifications issued | 1 |',
    );
    expect(formats.html).toContain('988');
    // The year before holds nothing.
    const before = await generateAnnualReport(t.store, profile, {
      year: 2025,
      format: 'json',
      now: t.clock.now(),
      by: 'test',
    });
    expect(JSON.parse(before.body)).toMatchObject({ crisisReferrals: 0, crisisIncidents: 0 });
    for (const body of Object.values(formats)) {
      for (const value of ['ca-user-1', plan, 'hi there']) expect(body).not.toContain(value);
      // No user id of any kind: the store's internal ids are UUIDs.
      expect(body).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
    }
    const audited = (await t.store.listAudit({ requirements: ['ASSESS-5'] })).map((e) => e.data);
    expect(audited).toEqual([
      { report: 'ca-annual', year: 2026, format: 'json', by: 'test' },
      { report: 'ca-annual', year: 2026, format: 'md', by: 'test' },
      { report: 'ca-annual', year: 2026, format: 'html', by: 'test' },
      { report: 'ca-annual', year: 2025, format: 'json', by: 'test' },
    ]);
  });
});
