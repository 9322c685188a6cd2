/**
 * Lays the assessment report (ASSESS-2) out for people: the Final Art. 23 headings in Chinese (the
 * regulator's language) with English beside each, as one self-contained HTML file (charts as inline SVG, no
 * script, printable) or as Markdown (the charts' figures as tables). Both come from one list of blocks, so
 * they carry the same figures as the JSON.
 */
import { complaintKinds, type LocalizedText } from '@companion-guard/core';
import { escapeHtml } from '../server/data-rights/history-export.js';
import type { AssessmentReport, EventCount } from './assessment-report.js';
import { barChartSvg, type ChartPoint, chartCss, lineChartSvg } from './svg-charts.js';

type Bi = LocalizedText;
const bi = (zh: string, en: string): Bi => ({ zh, en });

/** One piece of the laid-out report. */
export type Block =
  | { readonly kind: 'title'; readonly text: Bi }
  | { readonly kind: 'heading'; readonly text: Bi; readonly id: string }
  | { readonly kind: 'subheading'; readonly text: Bi }
  | { readonly kind: 'para'; readonly text: Bi }
  | { readonly kind: 'facts'; readonly rows: readonly (readonly [Bi, string])[] }
  | { readonly kind: 'table'; readonly head: readonly Bi[]; readonly rows: readonly (readonly string[])[] }
  | {
      readonly kind: 'chart';
      readonly chart: 'bar' | 'line';
      readonly title: Bi;
      readonly points: readonly ChartPoint[];
      readonly threshold?: { readonly value: number; readonly label: Bi } | undefined;
      readonly format?: ((value: number) => string) | undefined;
    };

const num = (n: number | null | undefined) =>
  n === null || n === undefined ? '—' : n.toLocaleString('en-US');
const minutes = (n: number | null) => (n === null ? '—' : `${n} min`);
const yesNo = (on: boolean) => (on ? '是 / yes' : '否 / no');
const text = (s: string | null) => s ?? '—';
const pct = (part: number, whole: number) => (whole > 0 ? `${Math.round((part / whole) * 1000) / 10}%` : '—');

const ageBandNames: Record<string, Bi> = {
  unknown: bi('未知', 'unknown'),
  'under-14': bi('14 岁以下', 'under 14'),
  '14-15': bi('14–15 岁', '14–15'),
  '16-17': bi('16–17 岁', '16–17'),
  adult: bi('成年人', 'adult'),
  elderly: bi('老年人', 'elderly'),
};
const reasonNames: Record<string, Bi> = {
  crisis: bi('自杀自残危机', 'suicide or self-harm crisis'),
  scam: bi('诈骗', 'scam'),
  'property-loss': bi('财产损失', 'property loss'),
  operator: bi('工作人员发起', 'opened by an operator'),
};
const outcomeNames: Record<string, Bi> = {
  safe: bi('已确认安全', 'safe'),
  referred: bi('已转介', 'referred'),
  'emergency-services': bi('已联系急救', 'emergency services'),
  'no-response': bi('无回应', 'no response'),
  'false-alarm': bi('误报', 'false alarm'),
  other: bi('其他', 'other'),
  cooldown: bi('冷却关闭', 'closed by cooldown'),
};
export const checklistAreaNames: Record<string, Bi> = {
  'algorithm-review': bi('算法机制机理审核', 'algorithm review'),
  'ethics-review': bi('科技伦理审查', 'ethics review'),
  'content-review': bi('信息发布审核', 'content review'),
  'data-security': bi('数据安全', 'data security'),
  'pi-protection': bi('个人信息保护', 'personal information protection'),
  'anti-fraud': bi('反电信网络诈骗', 'anti-fraud'),
  'contingency-plan': bi('应急处置预案', 'contingency plans'),
  other: bi('其他', 'other'),
};
const statusNames: Record<string, Bi> = {
  'not-started': bi('未开始', 'not started'),
  'in-progress': bi('评估中', 'in progress'),
  submitted: bi('已报送', 'submitted'),
  accepted: bi('已通过', 'accepted'),
  rectifying: bi('整改中', 'rectifying'),
};
const triggerNames: Record<string, Bi> = {
  'registered-users': bi('注册用户达到阈值', 'registered users reached the threshold'),
  'monthly-active-users': bi('月活跃用户达到阈值', 'monthly active users reached the threshold'),
  launch: bi('上线新功能或角色', 'new function or character launched'),
};
const named = (names: Record<string, Bi>, key: string) => {
  const n = names[key];
  return n ? `${n.zh} / ${n.en}` : key;
};

type Day = AssessmentReport['series'][number];

interface ChartRow {
  readonly label: string;
  readonly registered: number;
  readonly mau: number;
  readonly incidents: number;
  readonly answers: number;
  /** Seconds to the first human answer, summed over the answers. */
  readonly answerSeconds: number;
}

/** Days, or months when the period is longer than two months: stocks at the period's end, flows summed. */
function chartSeries(series: readonly Day[]): ChartRow[] {
  if (series.length <= 62) {
    return series.map((d) => ({
      label: d.day.slice(5),
      registered: d.registeredUsers,
      mau: d.monthlyActiveUsers,
      incidents: d.incidents,
      answers: d.firstHumanAnswers,
      answerSeconds:
        d.firstHumanAnswerMeanSeconds === null ? 0 : d.firstHumanAnswerMeanSeconds * d.firstHumanAnswers,
    }));
  }
  const months = new Map<string, ChartRow>();
  for (const d of series) {
    const label = d.day.slice(0, 7);
    const m = months.get(label) ?? {
      label,
      registered: 0,
      mau: 0,
      incidents: 0,
      answers: 0,
      answerSeconds: 0,
    };
    months.set(label, {
      label,
      registered: d.registeredUsers,
      mau: d.monthlyActiveUsers,
      incidents: m.incidents + d.incidents,
      answers: m.answers + d.firstHumanAnswers,
      answerSeconds: m.answerSeconds + (d.firstHumanAnswerMeanSeconds ?? 0) * d.firstHumanAnswers,
    });
  }
  return [...months.values()];
}

function eventRows(events: readonly EventCount[]): string[][] {
  return events.map((e) => [e.requirement, e.type, num(e.count)]);
}

/** The report as blocks, in the order of Final Art. 23, then the filing record and the checklist. */
export function reportBlocks(r: AssessmentReport): Block[] {
  const s = chartSeries(r.series);
  const c = r.crisis;
  const u = r.userScale;
  const t = r.trainingData;
  const me = r.minorsAndElderly;
  const blocks: Block[] = [
    {
      kind: 'title',
      text: bi(
        '人格化互动服务安全评估报告',
        'Security assessment report: anthropomorphic AI interactive service',
      ),
    },
    {
      kind: 'facts',
      rows: [
        [bi('报告期', 'Period'), `${r.period.from} – ${r.period.to} (${r.period.timeZone})`],
        [
          bi('策略配置', 'Policy profile'),
          `${r.service.profileName.zh} / ${r.service.profileName.en} (${r.service.profile})`,
        ],
        [
          bi('在用角色（陪伴/工具）', 'Characters in use (companion/tool)'),
          `${r.service.characters.enabled} (${r.service.characters.companion}/${r.service.characters.tool})`,
        ],
        [bi('生成时间', 'Generated at'), r.generatedAt],
      ],
    },
    {
      kind: 'para',
      text: bi(
        '本报告依据《人格化互动服务管理暂行办法》第二十三条的要求，由 companion-guard 根据其运行记录（统计计数、事件、同意记录、删除凭证、审计日志）自动生成；报告不含任何对话内容，也不含可识别用户身份的信息。',
        'Written for Art. 23 of the Interim Measures by companion-guard from its own records (usage counters, incidents, consent records, deletion receipts, the audit log). It holds no conversation text and nothing that identifies a user.',
      ),
    },
    { kind: 'heading', id: 'safeguards', text: bi('一、安全措施建设情况', '1. Safeguards in place') },
    {
      kind: 'table',
      head: [bi('要求', 'Requirement'), bi('措施', 'Measure'), bi('执行', 'Enforced'), bi('设置', 'Setting')],
      rows: r.safeguards.map((g) => [
        g.requirement,
        `${g.title.zh} / ${g.title.en}`,
        yesNo(g.enforced),
        `${g.detail.zh} / ${g.detail.en}`,
      ]),
    },
    {
      kind: 'para',
      text: bi(
        `义务清单：已实现 ${r.service.requirementStatus.implemented} 项，部分实现 ${r.service.requirementStatus.partial} 项，计划中 ${r.service.requirementStatus.planned} 项（详见 docs/requirements.md）。`,
        `Obligation catalogue: ${r.service.requirementStatus.implemented} implemented, ${r.service.requirementStatus.partial} partial, ${r.service.requirementStatus.planned} planned (see docs/requirements.md).`,
      ),
    },
    { kind: 'heading', id: 'training-data', text: bi('二、训练数据处理情况', '2. Training data handling') },
    {
      kind: 'facts',
      rows: [
        [
          bi('期末持有训练数据同意的用户', 'Users holding a training consent at the end'),
          num(t.consents.training.heldAtEnd),
        ],
        [
          bi(
            '期内训练同意：给予/撤回（监护人）',
            'Training consents in the period: given/revoked (by guardians)',
          ),
          `${num(t.consents.training.given)}/${num(t.consents.training.revoked)} (${num(t.consents.training.byGuardian)})`,
        ],
        [
          bi('期末持有第三方处理同意的用户', 'Users holding a third-party consent at the end'),
          num(t.consents.third_party.heldAtEnd),
        ],
        [
          bi(
            '期内第三方同意：给予/撤回（监护人）',
            'Third-party consents in the period: given/revoked (by guardians)',
          ),
          `${num(t.consents.third_party.given)}/${num(t.consents.third_party.revoked)} (${num(t.consents.third_party.byGuardian)})`,
        ],
        [
          bi('训练数据导出次数（用户数、消息数）', 'Training exports (users, messages)'),
          `${num(t.exports.count)} (${num(t.exports.users)}, ${num(t.exports.messages)})`,
        ],
        [
          bi('删除请求（凭证数、删除消息数）', 'Deletions (receipts, messages deleted)'),
          `${num(t.deletions.receipts)} (${num(t.deletions.messagesDeleted)})`,
        ],
        [bi('第三方模型须经同意', 'Third-party models need consent'), yesNo(t.thirdPartyGuardsNeedConsent)],
      ],
    },
    {
      kind: 'para',
      text: bi(
        '训练导出只包含持有单独训练同意的用户（未成年人须监护人同意），导出前去除电话、证件号、邮箱、地址和姓名，并附来源清单。',
        'A training export holds only users with a separate training consent (a minor’s from the guardian), with phone numbers, ID numbers, e-mail and postal addresses and names removed, and a provenance manifest.',
      ),
    },
    {
      kind: 'heading',
      id: 'crisis',
      text: bi(
        '三、极端情境识别、应急处置与人工接管',
        '3. Extreme situations, emergency response and human takeover',
      ),
    },
    {
      kind: 'facts',
      rows: [
        [
          bi('事件总数（危急/高）', 'Incidents (critical/high)'),
          `${num(c.incidents)} (${num(c.bySeverity.critical)}/${num(c.bySeverity.high)})`,
        ],
        [bi('已认领', 'Claimed'), num(c.claimed)],
        [bi('人工接管并回复', 'Taken over with a human answer'), num(c.humanAnswered)],
        [bi('超时升级', 'Escalated (unclaimed in time)'), num(c.escalated)],
        [bi('认领用时中位数', 'Median time to claim'), minutes(c.medianMinutes.toClaim)],
        [
          bi('首次人工回复用时中位数', 'Median time to the first human answer'),
          minutes(c.medianMinutes.toFirstHumanMessage),
        ],
        [
          bi('首次人工回复平均用时', 'Mean time to the first human answer'),
          c.firstHumanAnswer.meanSeconds === null ? '—' : `${c.firstHumanAnswer.meanSeconds} s`,
        ],
        [
          bi('1/5/15/60 分钟内人工回复', 'Human answer within 1/5/15/60 min'),
          `${num(c.firstHumanAnswer.within['1m'])}/${num(c.firstHumanAnswer.within['5m'])}/${num(c.firstHumanAnswer.within['15m'])}/${num(c.firstHumanAnswer.within['60m'])} of ${num(c.firstHumanAnswer.count)}`,
        ],
        [
          bi('通知联系人用时中位数', 'Median time to alert the contact'),
          minutes(c.medianMinutes.toContactNotification),
        ],
        [bi('展示危机求助热线次数', 'Crisis help lines shown'), num(c.helpLinesShown)],
        [bi('通知最终失败', 'Notifications that failed for good'), num(c.notificationFailures)],
      ],
    },
    {
      kind: 'table',
      head: [bi('原因', 'Reason'), bi('事件数', 'Incidents')],
      rows: Object.entries(c.byReason).map(([k, v]) => [named(reasonNames, k), num(v)]),
    },
    {
      kind: 'table',
      head: [bi('检测等级（最高）', 'Detector tier (highest)'), bi('事件数', 'Incidents')],
      rows: Object.entries(c.byTier).map(([k, v]) => [
        k === '0' ? '0（人工发起 / by an operator）' : k,
        num(v),
      ]),
    },
    {
      kind: 'table',
      head: [bi('处置结果', 'Outcome'), bi('事件数', 'Incidents')],
      rows: Object.entries(c.outcomes).map(([k, v]) => [named(outcomeNames, k), num(v ?? 0)]),
    },
    {
      kind: 'chart',
      chart: 'bar',
      title: bi('事件数', 'Incidents'),
      points: s.map((p) => ({ label: p.label, value: p.incidents })),
    },
    {
      kind: 'chart',
      chart: 'line',
      title: bi('首次人工回复平均用时（秒）', 'Mean time to the first human answer (s)'),
      points: s.map((p) => ({
        label: p.label,
        value: p.answers > 0 ? Math.round(p.answerSeconds / p.answers) : null,
      })),
    },
    { kind: 'heading', id: 'user-scale', text: bi('四、用户规模', '4. User scale') },
    {
      kind: 'facts',
      rows: [
        [bi('注册用户（期末）', 'Registered users (end of period)'), num(u.registeredUsers)],
        [bi('期内新增用户', 'New users in the period'), num(u.newUsers)],
        [
          bi('月活跃用户（期末，30 天）', 'Monthly active users (end of period, 30 days)'),
          num(u.monthlyActiveUsers),
        ],
        [bi('日活跃用户峰值', 'Peak daily active users'), num(u.peakDailyActiveUsers)],
        [
          bi('注册用户评估阈值', 'Registered-user threshold'),
          `${num(u.thresholds.registeredUsers)} — ${u.reached.registeredUsers ? '已达到 / reached' : '未达到 / not reached'}`,
        ],
        [
          bi('月活跃用户评估阈值', 'Monthly-active threshold'),
          `${num(u.thresholds.monthlyActiveUsers)} — ${u.reached.monthlyActiveUsers ? '已达到 / reached' : '未达到 / not reached'}`,
        ],
      ],
    },
    {
      kind: 'chart',
      chart: 'line',
      title: bi('注册用户', 'Registered users'),
      points: s.map((p) => ({ label: p.label, value: p.registered })),
      threshold: { value: u.thresholds.registeredUsers, label: bi('评估阈值', 'threshold') },
    },
    {
      kind: 'chart',
      chart: 'line',
      title: bi('月活跃用户', 'Monthly active users'),
      points: s.map((p) => ({ label: p.label, value: p.mau })),
      threshold: { value: u.thresholds.monthlyActiveUsers, label: bi('评估阈值', 'threshold') },
    },
    { kind: 'subheading', text: bi('安全评估触发记录', 'Assessment triggers (ASSESS-1)') },
    {
      kind: 'table',
      head: [bi('日期', 'Day'), bi('触发原因', 'Trigger'), bi('数值', 'Value'), bi('对象', 'Subject')],
      rows: u.triggers.map((g) => [g.day, named(triggerNames, g.kind), num(g.value), text(g.subject)]),
    },
    { kind: 'heading', id: 'usage', text: bi('五、使用时长与年龄结构', '5. Usage time and age structure') },
    {
      kind: 'facts',
      rows: [
        [bi('对话轮次', 'Turns'), num(r.usage.turns)],
        [bi('使用时长（分钟）', 'Usage (minutes)'), num(r.usage.usageMinutes)],
        [bi('每活跃用户日平均时长', 'Minutes per active user-day'), minutes(r.usage.minutesPerActiveDay)],
        [bi('时长提醒次数', 'Usage reminders shown'), num(r.usage.reminders)],
        [bi('退出次数', 'Exits'), num(r.usage.exits)],
      ],
    },
    {
      kind: 'table',
      head: [
        bi('年龄段', 'Age band'),
        bi('注册用户', 'Registered'),
        bi('占比', 'Share'),
        bi('活跃用户日', 'Active user-days'),
      ],
      rows: Object.entries(r.usage.ageStructure.registered).map(([band, n]) => [
        named(ageBandNames, band),
        num(n),
        pct(
          n,
          Object.values(r.usage.ageStructure.registered).reduce((a, b) => a + b, 0),
        ),
        num(r.usage.ageStructure.active[band as keyof typeof r.usage.ageStructure.active]),
      ]),
    },
    {
      kind: 'chart',
      chart: 'bar',
      title: bi('注册用户年龄结构', 'Registered users by age band'),
      points: Object.entries(r.usage.ageStructure.registered).map(([band, n]) => ({
        label: ageBandNames[band]?.en ?? band,
        value: n,
      })),
    },
    {
      kind: 'heading',
      id: 'minors-elderly',
      text: bi('六、未成年人和老年人保护', '6. Minors and the elderly'),
    },
    {
      kind: 'facts',
      rows: [
        [bi('未成年人模式', 'Minor mode'), yesNo(me.minorModeEnabled)],
        [bi('疑似未成年人识别', 'Suspected-minor detection'), yesNo(me.suspectedMinorsEnabled)],
        [bi('涉及未成年人的事件', 'Incidents of minors'), num(me.incidents.minors)],
        [bi('涉及老年人的事件', 'Incidents of elderly users'), num(me.incidents.elderly)],
        [
          bi('未成年人模式申诉：提出/维持/驳回/待处理', 'Minor-mode appeals: filed/upheld/rejected/open'),
          `${num(me.appeals.filed)}/${num(me.appeals.upheld)}/${num(me.appeals.rejected)}/${num(me.appeals.open)}`,
        ],
      ],
    },
    {
      kind: 'table',
      head: [bi('要求', 'Requirement'), bi('记录的动作', 'Action recorded'), bi('次数', 'Count')],
      rows: eventRows(me.events),
    },
    { kind: 'heading', id: 'complaints', text: bi('七、投诉举报处理', '7. Complaint handling') },
    {
      kind: 'facts',
      rows: [
        [bi('收到', 'Received'), num(r.complaints.received)],
        ...complaintKinds.map(
          (k) => [bi(`其中 ${k}`, `of which ${k}`), num(r.complaints.byKind[k])] as const,
        ),
        [bi('已处理', 'Resolved'), num(r.complaints.resolved)],
        [
          bi('按时处理', 'Resolved on time'),
          `${num(r.complaints.resolvedOnTime)} (${pct(r.complaints.resolvedOnTime, r.complaints.resolved)})`,
        ],
        [bi('超期未处理', 'Open past the deadline'), num(r.complaints.overdueOpen)],
        [bi('处理用时中位数（小时）', 'Median hours to resolve'), num(r.complaints.medianResolveHours)],
      ],
    },
    {
      kind: 'heading',
      id: 'rectification',
      text: bi('八、重大风险整改情况', '8. Rectification of major risks'),
    },
    {
      kind: 'facts',
      rows: [
        [bi('未完成的自查事项', 'Open checklist items'), num(r.rectification.openItems)],
        [bi('其中已超期', 'of which past due'), num(r.rectification.overdueItems)],
        [bi('评估状态', 'Assessment status'), named(statusNames, r.filing.assessmentStatus)],
      ],
    },
    {
      kind: 'table',
      head: [
        bi('要求', 'Requirement'),
        bi('记录的动作（功能关闭、服务公告）', 'Action recorded (switches, notices)'),
        bi('次数', 'Count'),
      ],
      rows: eventRows(r.rectification.events),
    },
    { kind: 'heading', id: 'filing', text: bi('九、备案信息', '9. Filing record (ASSESS-4)') },
    {
      kind: 'facts',
      rows: [
        [bi('算法备案号', 'Algorithm filing number'), text(r.filing.filingNumber)],
        [bi('评估状态', 'Assessment status'), named(statusNames, r.filing.assessmentStatus)],
        [bi('报告报送日期', 'Report submitted on'), text(r.filing.submittedOn)],
        [bi('上次年度复核', 'Last annual review'), text(r.filing.lastReviewOn)],
        [bi('下次复核', 'Next review due'), text(r.filing.nextReviewOn)],
        [bi('备注', 'Note'), text(r.filing.note)],
      ],
    },
    {
      kind: 'heading',
      id: 'checklist',
      text: bi('十、管理制度自查清单', '10. Self-inspection checklist (GOV-1)'),
    },
    {
      kind: 'table',
      head: [
        bi('制度', 'System'),
        bi('事项', 'Item'),
        bi('负责人', 'Owner'),
        bi('期限', 'Due'),
        bi('完成', 'Done'),
        bi('备注', 'Note'),
      ],
      rows: r.checklist.map((i) => [
        named(checklistAreaNames, i.area),
        i.title,
        text(i.owner),
        text(i.dueOn),
        text(i.doneOn),
        text(i.note),
      ]),
    },
  ];
  return blocks;
}

// ---- Markdown ----

const mdCell = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const mdBi = (b: Bi) => `${b.zh} / ${b.en}`;

function mdTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const body = rows.length === 0 ? [['无 / none', ...head.slice(1).map(() => '')]] : rows;
  return [
    `| ${head.map(mdCell).join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...body.map((row) => `| ${row.map(mdCell).join(' | ')} |`),
  ].join('\n');
}

/** Blocks as Markdown; each chart becomes a table of its points. */
export function blocksToMarkdown(blocks: readonly Block[]): string {
  return `${blocks.map(blockMarkdown).join('\n\n')}\n`;
}

function blockMarkdown(b: Block): string {
  switch (b.kind) {
    case 'title':
      return `# ${b.text.zh}\n\n_${b.text.en}_`;
    case 'heading':
      return `## ${mdBi(b.text)}`;
    case 'subheading':
      return `### ${mdBi(b.text)}`;
    case 'para':
      return `${b.text.zh}\n\n_${b.text.en}_`;
    case 'facts':
      return mdTable(
        ['项目 / Item', '数值 / Figure'],
        b.rows.map(([label, value]) => [mdBi(label), value]),
      );
    case 'table':
      return mdTable(b.head.map(mdBi), b.rows);
    case 'chart':
      return `**${mdBi(b.title)}**${b.threshold ? ` (${mdBi(b.threshold.label)} ${num(b.threshold.value)})` : ''}\n\n${mdTable(
        ['', mdBi(b.title)],
        b.points.map((p) => [p.label, num(p.value)]),
      )}`;
  }
}

// ---- HTML ----

const htmlBi = (b: Bi) =>
  `<span lang="zh-CN">${escapeHtml(b.zh)}</span> <span lang="en" class="en">${escapeHtml(b.en)}</span>`;

const css = `
:root { color-scheme: light; }
body { font: 14px/1.55 "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif; color: #1d2230; max-width: 960px; margin: 24px auto; padding: 0 24px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h1 .en { display: block; font-size: 15px; font-weight: 400; color: #555; }
h2 { font-size: 18px; margin: 28px 0 8px; padding-bottom: 4px; border-bottom: 2px solid #2f6f8f; break-after: avoid; }
h3 { font-size: 15px; margin: 16px 0 6px; break-after: avoid; }
.en { color: #555; font-weight: 400; }
h2 .en, h3 .en { font-size: 0.8em; margin-left: 6px; }
p.en { margin-top: -6px; font-size: 13px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 12px; break-inside: auto; }
th, td { border: 1px solid #cfd5df; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #eef2f6; font-weight: 600; }
th .en { display: block; font-size: 11px; }
td.value { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
tr { break-inside: avoid; }
figure { margin: 8px 0 16px; break-inside: avoid; }
figcaption { font-weight: 600; margin-bottom: 4px; }
.none { color: #777; font-style: italic; }
footer { margin-top: 32px; font-size: 12px; color: #666; border-top: 1px solid #ddd; padding-top: 8px; }
@media print { body { margin: 0; max-width: none; } h2 { break-before: auto; } a { color: inherit; } }
${chartCss}`;

function htmlTable(head: readonly string[], rows: readonly (readonly string[])[], numeric: boolean): string {
  if (rows.length === 0) {
    return `<table><thead><tr>${head.join('')}</tr></thead><tbody><tr><td class="none" colspan="${head.length}">无 <span lang="en">none</span></td></tr></tbody></table>`;
  }
  const cells = (row: readonly string[]) =>
    row
      .map(
        (cell, i) => `<td${numeric && i === row.length - 1 ? ' class="value"' : ''}>${escapeHtml(cell)}</td>`,
      )
      .join('');
  return `<table><thead><tr>${head.join('')}</tr></thead><tbody>${rows.map((row) => `<tr>${cells(row)}</tr>`).join('')}</tbody></table>`;
}

/** Blocks as one self-contained HTML file: no script, no external resource, print-friendly. */
export function blocksToHtml(blocks: readonly Block[], title: string, footer: string): string {
  const body = blocks.map(blockHtml).join('\n');
  return [
    '<!doctype html>',
    '<html lang="zh-CN">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${css}</style>`,
    '</head>',
    '<body>',
    body,
    `<footer>${escapeHtml(footer)}</footer>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function blockHtml(b: Block): string {
  switch (b.kind) {
    case 'title':
      return `<h1>${htmlBi(b.text)}</h1>`;
    case 'heading':
      return `<h2 id="${b.id}">${htmlBi(b.text)}</h2>`;
    case 'subheading':
      return `<h3>${htmlBi(b.text)}</h3>`;
    case 'para':
      return `<p lang="zh-CN">${escapeHtml(b.text.zh)}</p><p lang="en" class="en">${escapeHtml(b.text.en)}</p>`;
    case 'facts':
      return htmlTable(
        [`<th>${htmlBi(bi('项目', 'Item'))}</th>`, `<th>${htmlBi(bi('数值', 'Figure'))}</th>`],
        b.rows.map(([label, value]) => [`${label.zh} / ${label.en}`, value]),
        true,
      );
    case 'table':
      return htmlTable(
        b.head.map((h) => `<th>${htmlBi(h)}</th>`),
        b.rows,
        false,
      );
    case 'chart': {
      const title = `${b.title.zh} / ${b.title.en}`;
      const spec = {
        title,
        points: b.points,
        threshold: b.threshold && {
          value: b.threshold.value,
          label: `${b.threshold.label.zh} / ${b.threshold.label.en} ${num(b.threshold.value)}`,
        },
        format: b.format,
      };
      return `<figure><figcaption>${htmlBi(b.title)}</figcaption>${b.chart === 'bar' ? barChartSvg(spec) : lineChartSvg(spec)}</figure>`;
    }
  }
}

/** The assessment report as Markdown. */
export function renderMarkdown(report: AssessmentReport): string {
  return blocksToMarkdown(reportBlocks(report));
}

/** The assessment report as one HTML file. */
export function renderHtml(report: AssessmentReport): string {
  return blocksToHtml(
    reportBlocks(report),
    `安全评估报告 Security assessment report ${report.period.from} – ${report.period.to}`,
    `companion-guard · ${report.type} · ${report.generatedAt}`,
  );
}
