/**
 * The security assessment report for the provincial CAC (ASSESS-2, Final Art. 23), with the assessment
 * triggers (ASSESS-1), the filing record (ASSESS-4) and the self-inspection checklist (GOV-1): the figures
 * as one plain object (the JSON format); `render-report.ts` lays the same object out as Markdown and HTML.
 *
 * Everything comes from aggregates and records that hold no conversation text: the usage counters
 * (`Store.stats`), incidents (ids, tiers and times), consent records, deletion receipts, appeals (their
 * status, not their words), and audit events within the period, read in the database by requirement.
 * No user id appears in the report.
 */
import {
  type AssessmentTrigger,
  type AuditEvent,
  type ChecklistItem,
  type ComplaintSummary,
  consentsAsMinor,
  type FilingRecord,
  heldConsent,
  type Incident,
  incidentFigures,
  isMinorBand,
  type LocalizedText,
  type Profile,
  type RequirementId,
  type RequirementStatus,
  requirementCatalogue,
  type StatsReport,
  type Store,
  userAgeBand,
} from '@companion-guard/core';
import type { GatewayConfig } from '../config.js';
import { createStatsService } from '../server/stats/stats-service.js';
import type { ReportPeriod } from './report-period.js';

/** What the deployment's config adds to the safeguards (no secrets: counts and switches). */
export interface DeploymentFacts {
  /** Guard models asked for second opinions. */
  readonly guardModels: number;
  /** Deployment word lists beside the built-in lexicons. */
  readonly lexicons: number;
  /** Channels incident alerts go out on (RISK-5). */
  readonly notify: {
    readonly email: boolean;
    readonly webhooks: number;
    readonly onCallContacts: number;
  };
}

/** The deployment facts of a gateway config. */
export function deploymentFacts(config: GatewayConfig): DeploymentFacts {
  return {
    guardModels: config.secondOpinions.guards.length,
    lexicons: config.lexicons.length,
    notify: {
      email: config.notify.smtp !== null,
      webhooks: config.notify.webhooks.length,
      onCallContacts: config.notify.onCall.emails.length + config.notify.onCall.phones.length,
    },
  };
}

/** Where a report's figures come from. */
export interface ReportSources {
  readonly store: Store;
  readonly profile: Profile;
  readonly deployment: DeploymentFacts;
}

/** Deployment facts when the caller has no config at hand (nothing configured). */
const noDeployment: DeploymentFacts = {
  guardModels: 0,
  lexicons: 0,
  notify: { email: false, webhooks: 0, onCallContacts: 0 },
};

/** The sources of a deployment's reports. */
export function reportSources(
  store: Store,
  profile: Profile,
  deployment: DeploymentFacts | undefined,
): ReportSources {
  return { store, profile, deployment: deployment ?? noDeployment };
}

/** One safeguard: the requirement, whether it is enforced, and its settings. */
export interface Safeguard {
  readonly requirement: RequirementId;
  readonly title: LocalizedText;
  readonly enforced: boolean;
  /** What the setting is, in words (both languages). */
  readonly detail: LocalizedText;
}

/** Audit events counted in the period, by requirement and type. */
export interface EventCount {
  readonly requirement: string;
  readonly type: string;
  readonly count: number;
}

/** The assessment report: every figure, machine-readable. */
export interface AssessmentReport {
  readonly type: 'companion-guard/assessment-report';
  readonly requirements: readonly RequirementId[];
  readonly period: { readonly from: string; readonly to: string; readonly timeZone: string };
  readonly generatedAt: string;
  readonly service: {
    readonly profile: string;
    readonly profileName: LocalizedText;
    readonly characters: { readonly enabled: number; readonly companion: number; readonly tool: number };
    /** The requirement catalogue's state in this build (docs/requirements.md). */
    readonly requirementStatus: {
      readonly implemented: number;
      readonly partial: number;
      readonly planned: number;
    };
  };
  /** Art. 23 (1): the safeguards in force. */
  readonly safeguards: readonly Safeguard[];
  /** Art. 23 (2): training data: consents, exports, deletions. */
  readonly trainingData: {
    readonly consents: Readonly<
      Record<
        'training' | 'third_party',
        {
          readonly heldAtEnd: number;
          readonly given: number;
          readonly revoked: number;
          readonly byGuardian: number;
        }
      >
    >;
    readonly exports: { readonly count: number; readonly users: number; readonly messages: number };
    readonly deletions: { readonly receipts: number; readonly messagesDeleted: number };
    readonly thirdPartyGuardsNeedConsent: boolean;
  };
  /** Art. 23 (3): extreme situations, emergency response and human takeover. */
  readonly crisis: {
    readonly incidents: number;
    readonly bySeverity: Readonly<Record<'critical' | 'high', number>>;
    readonly byReason: Readonly<Record<string, number>>;
    /** By the highest detector tier among the signals (0: opened by an operator, no detector tier). */
    readonly byTier: Readonly<Record<string, number>>;
    readonly escalated: number;
    readonly claimed: number;
    /** Incidents in which a person wrote to the user (human takeover with a human answer). */
    readonly humanAnswered: number;
    readonly medianMinutes: {
      readonly toClaim: number | null;
      readonly toFirstHumanMessage: number | null;
      readonly toContactNotification: number | null;
    };
    readonly firstHumanAnswer: StatsReport['totals']['firstHumanAnswer'];
    readonly outcomes: Readonly<Record<string, number>>;
    /** Crisis help lines shown (RISK-3 `crisis-resources` directives). */
    readonly helpLinesShown: number;
    readonly notificationFailures: number;
  };
  /** Art. 23 (4): user scale against the thresholds (ASSESS-1). */
  readonly userScale: {
    readonly registeredUsers: number;
    readonly newUsers: number;
    readonly monthlyActiveUsers: number;
    readonly peakDailyActiveUsers: number;
    readonly thresholds: StatsReport['thresholds'];
    readonly reached: { readonly registeredUsers: boolean; readonly monthlyActiveUsers: boolean };
    readonly triggers: readonly AssessmentTrigger[];
  };
  /** Art. 23 (4): usage time and age structure. */
  readonly usage: {
    readonly turns: number;
    readonly usageMinutes: number;
    /** Minutes per active user-day. */
    readonly minutesPerActiveDay: number | null;
    readonly reminders: number;
    readonly exits: number;
    readonly ageStructure: StatsReport['ageStructure'];
  };
  /** Art. 23 (5): minors and the elderly. */
  readonly minorsAndElderly: {
    readonly minorModeEnabled: boolean;
    readonly suspectedMinorsEnabled: boolean;
    readonly incidents: { readonly minors: number; readonly elderly: number };
    readonly appeals: {
      readonly filed: number;
      readonly upheld: number;
      readonly rejected: number;
      readonly open: number;
    };
    readonly events: readonly EventCount[];
  };
  /** Art. 23 (6): complaint handling (COMPLAINT-1). */
  readonly complaints: ComplaintSummary;
  /** Art. 23 (7): rectification: open checklist items, switches and notices recorded. */
  readonly rectification: {
    readonly openItems: number;
    readonly overdueItems: number;
    readonly events: readonly EventCount[];
  };
  /** ASSESS-4. */
  readonly filing: FilingRecord;
  /** GOV-1. */
  readonly checklist: readonly ChecklistItem[];
  /** Per-day series for the charts (the same as `GET /api/stats`). */
  readonly series: readonly {
    readonly day: string;
    readonly registeredUsers: number;
    readonly monthlyActiveUsers: number;
    readonly dailyActiveUsers: number;
    readonly incidents: number;
    readonly firstHumanAnswers: number;
    readonly firstHumanAnswerMeanSeconds: number | null;
  }[];
}

/** Requirements whose audit events the report counts, and why. */
const countedRequirements = [
  // Training data: consents (DATA-2 third party, DATA-6 training) and exports (DATA-7).
  'DATA-2',
  'DATA-6',
  'DATA-7',
  // Help lines shown.
  'RISK-3',
  // Minors and the elderly.
  'MINOR-3',
  'MINOR-4',
  'MINOR-5',
  'ELDER-1',
  'ELDER-3',
  'ELDER-4',
  // Rectification: switches and notices.
  'ASSESS-3',
  'NOTICE-1',
] as const satisfies readonly RequirementId[];

const minorsAndElderlyRequirements = new Set<string>([
  'MINOR-3',
  'MINOR-4',
  'MINOR-5',
  'ELDER-1',
  'ELDER-3',
  'ELDER-4',
]);
const rectificationRequirements = new Set<string>(['ASSESS-3', 'NOTICE-1']);

const auditPage = 5000;

/** Every audit event of `requirements` in the period, page by page. */
async function* auditEvents(
  store: Store,
  requirements: readonly RequirementId[],
  period: ReportPeriod,
): AsyncGenerator<AuditEvent> {
  for (let after = 0; ; ) {
    const page = await store.listAudit({
      requirements,
      from: period.start,
      to: period.end,
      afterSeq: after,
      limit: auditPage,
    });
    yield* page;
    if (page.length < auditPage) return;
    after = page[page.length - 1]?.seq ?? after;
  }
}

const minutesOf = (ms: number | null) => (ms === null ? null : Math.round(ms / 6_000) / 10);

/** The highest detector tier of an incident's signals (0 for an operator's own). */
const tierOf = (i: Incident) => Math.max(0, ...i.signals.map((s) => s.tier));

/** Builds the assessment report of `period`. Reads only; the caller audits the generation. */
export async function buildAssessmentReport(
  sources: ReportSources,
  period: ReportPeriod,
  now: number,
): Promise<AssessmentReport> {
  const { store, profile, deployment } = sources;
  const [stats, incidents, characters, filing, checklist, appeals, receipts, complaints] = await Promise.all([
    createStatsService({ store, profile, clock: { now: () => now } }).report({
      from: period.from,
      to: period.to,
    }),
    store.incidents.listIncidents('all'),
    store.listCharacters(),
    store.stats.getFiling(),
    store.stats.listChecklist(),
    store.appeals.list({ limit: 100_000 }),
    store.dataRights.listReceipts({ from: period.start, to: period.end }),
    sources.store.complaints.summary({ from: period.start, to: period.end, now }),
  ]);

  // Audit events of the period: consents, exports, help lines, minors and elderly, rectification.
  const counts = new Map<string, EventCount>();
  const consents = {
    training: { heldAtEnd: 0, given: 0, revoked: 0, byGuardian: 0 },
    third_party: { heldAtEnd: 0, given: 0, revoked: 0, byGuardian: 0 },
  };
  const exports = { count: 0, users: 0, messages: 0 };
  let helpLinesShown = 0;
  for await (const e of auditEvents(store, countedRequirements, period)) {
    const key = `${e.requirement}\u0000${e.type}`;
    const prior = counts.get(key);
    counts.set(key, { requirement: e.requirement, type: e.type, count: (prior?.count ?? 0) + 1 });
    const data = e.data ?? {};
    if (
      (e.type === 'consent-given' || e.type === 'consent-revoked') &&
      (data.kind === 'training' || data.kind === 'third_party')
    ) {
      const c = consents[data.kind];
      if (e.type === 'consent-given') c.given += 1;
      else c.revoked += 1;
      if (data.givenBy === 'guardian') c.byGuardian += 1;
    } else if (e.type === 'training-exported') {
      exports.count += 1;
      exports.users += typeof data.users === 'number' ? data.users : 0;
      exports.messages += typeof data.messages === 'number' ? data.messages : 0;
    } else if (e.requirement === 'RISK-3' && data.directive === 'crisis-resources') {
      helpLinesShown += 1;
    }
  }
  const eventsOf = (set: Set<string>) =>
    [...counts.values()]
      .filter((c) => set.has(c.requirement))
      .sort((a, b) => a.requirement.localeCompare(b.requirement) || a.type.localeCompare(b.type));

  // Consents held at the end of the period (a minor's only from the guardian).
  for (const kind of ['training', 'third_party'] as const) {
    for (const userId of await store.dataRights.usersWithConsent(kind)) {
      const user = await store.getUser(userId);
      if (!user) continue;
      const history = (await store.dataRights.listConsents(userId)).filter((r) => r.at < period.end);
      const band = userAgeBand(user, period.end - 1, profile.elderly.ageFrom);
      if (heldConsent(history, kind, consentsAsMinor(band, user.minorMode))) consents[kind].heldAtEnd += 1;
    }
  }

  const inPeriod = incidents.filter((i) => i.openedAt >= period.start && i.openedAt < period.end);
  const figures = incidentFigures(inPeriod);
  const byTier: Record<string, number> = {};
  for (const i of inPeriod) byTier[String(tierOf(i))] = (byTier[String(tierOf(i))] ?? 0) + 1;
  const periodAppeals = appeals.filter((a) => a.filedAt >= period.start && a.filedAt < period.end);
  const catalogue = Object.values(requirementCatalogue);
  const { totals } = stats;
  const activeDays = Object.values(stats.ageStructure.active).reduce((a, b) => a + b, 0);
  const openItems = checklist.filter((i) => i.doneOn === null);

  return {
    type: 'companion-guard/assessment-report',
    requirements: ['ASSESS-2', 'ASSESS-1', 'ASSESS-4', 'GOV-1'],
    period: { from: period.from, to: period.to, timeZone: period.timeZone },
    generatedAt: new Date(now).toISOString(),
    service: {
      profile: profile.id,
      profileName: profile.name,
      characters: {
        enabled: characters.filter((c) => c.enabled).length,
        companion: characters.filter((c) => c.enabled && c.scope === 'companion').length,
        tool: characters.filter((c) => c.enabled && c.scope === 'tool').length,
      },
      requirementStatus: {
        implemented: catalogue.filter((r) => r.status === 'implemented').length,
        partial: catalogue.filter((r) => r.status === 'partial').length,
        planned: catalogue.filter((r) => (r.status as RequirementStatus) === 'planned').length,
      },
    },
    safeguards: safeguardsOf(profile, deployment),
    trainingData: {
      consents,
      exports,
      deletions: {
        receipts: receipts.length,
        messagesDeleted: receipts.reduce((n, r) => n + r.messagesDeleted, 0),
      },
      thirdPartyGuardsNeedConsent: profile.dataRights.thirdPartyGuardsNeedConsent,
    },
    crisis: {
      incidents: inPeriod.length,
      bySeverity: {
        critical: inPeriod.filter((i) => i.severity === 'critical').length,
        high: inPeriod.filter((i) => i.severity === 'high').length,
      },
      byReason: Object.fromEntries(
        ['crisis', 'scam', 'property-loss', 'operator'].map((r) => [
          r,
          inPeriod.filter((i) => i.reason === r).length,
        ]),
      ),
      byTier,
      escalated: inPeriod.filter((i) => i.escalatedAt !== null).length,
      claimed: figures.claimed,
      humanAnswered: inPeriod.filter((i) => i.firstHumanMessageAt !== null).length,
      medianMinutes: {
        toClaim: minutesOf(figures.medianMs.toClaim),
        toFirstHumanMessage: minutesOf(figures.medianMs.toFirstHumanMessage),
        toContactNotification: minutesOf(figures.medianMs.toContactNotification),
      },
      firstHumanAnswer: totals.firstHumanAnswer,
      outcomes: figures.outcomes,
      helpLinesShown,
      notificationFailures: totals.notificationFailures,
    },
    userScale: {
      registeredUsers: totals.registeredUsers,
      newUsers: totals.newUsers,
      monthlyActiveUsers: totals.monthlyActiveUsers,
      peakDailyActiveUsers: totals.peakDailyActiveUsers,
      thresholds: stats.thresholds,
      reached: {
        registeredUsers: totals.registeredUsers >= stats.thresholds.registeredUsers,
        monthlyActiveUsers: stats.days.some(
          (d) => d.monthlyActiveUsers >= stats.thresholds.monthlyActiveUsers,
        ),
      },
      triggers: stats.triggers.map(({ requirement: _, ...t }) => t),
    },
    usage: {
      turns: totals.turns,
      usageMinutes: totals.usageMinutes,
      minutesPerActiveDay: activeDays > 0 ? Math.round((totals.usageMinutes / activeDays) * 10) / 10 : null,
      reminders: totals.reminders,
      exits: totals.exits,
      ageStructure: stats.ageStructure,
    },
    minorsAndElderly: {
      minorModeEnabled: profile.minors.enabled,
      suspectedMinorsEnabled: profile.suspectedMinors.enabled,
      incidents: {
        minors: inPeriod.filter((i) => isMinorBand(i.ageBand)).length,
        elderly: inPeriod.filter((i) => i.ageBand === 'elderly').length,
      },
      appeals: {
        filed: periodAppeals.length,
        upheld: periodAppeals.filter((a) => a.status === 'upheld').length,
        rejected: periodAppeals.filter((a) => a.status === 'rejected').length,
        open: periodAppeals.filter((a) => a.status === 'open').length,
      },
      events: eventsOf(minorsAndElderlyRequirements),
    },
    complaints,
    rectification: {
      openItems: openItems.length,
      overdueItems: openItems.filter((i) => i.dueOn !== null && i.dueOn < period.to).length,
      events: eventsOf(rectificationRequirements),
    },
    filing,
    checklist,
    series: stats.days.map((d) => ({
      day: d.day,
      registeredUsers: d.registeredUsers,
      monthlyActiveUsers: d.monthlyActiveUsers,
      dailyActiveUsers: d.dailyActiveUsers,
      incidents: d.incidents.critical + d.incidents.high,
      firstHumanAnswers: d.firstHumanAnswer.count,
      firstHumanAnswerMeanSeconds: d.firstHumanAnswer.meanSeconds,
    })),
  };
}

const onOff = (on: boolean): LocalizedText => (on ? { zh: '已启用', en: 'on' } : { zh: '未启用', en: 'off' });
const both = (zh: string, en: string): LocalizedText => ({ zh, en });

/** The safeguards the profile and the config put in force, each with its requirement. */
export function safeguardsOf(profile: Profile, deployment: DeploymentFacts): Safeguard[] {
  const d = profile.disclosure;
  const r = profile.usageReminder;
  const c = profile.crisis;
  const m = profile.minors;
  const limits = `${m.dailyLimitMinutes['under-14']}/${m.dailyLimitMinutes['14-15']}/${m.dailyLimitMinutes['16-17']}`;
  const guards = deployment.guardModels;
  const n = deployment.notify;
  return [
    {
      requirement: 'DISC-1',
      title: both('显著提示对方为人工智能', 'Prominent notice that the other side is an AI'),
      enforced: d.atSessionStart,
      detail: both(
        `会话开始时提示；${d.repeatEveryMinutes === null ? '不重复' : `每 ${d.repeatEveryMinutes} 分钟重复`}；适用于${d.appliesTo === 'all' ? '全部用户' : '未成年人'}`,
        `at session start; ${d.repeatEveryMinutes === null ? 'not repeated' : `repeated every ${d.repeatEveryMinutes} min`}; for ${d.appliesTo === 'all' ? 'every user' : 'minors'}`,
      ),
    },
    {
      requirement: 'DISC-4',
      title: both(
        '每条 AI 回复带显式标识和内容编号',
        'Every AI reply carries a visible label and a content ID',
      ),
      enforced: true,
      detail: both(
        '网关对每条回复加注，不可关闭',
        'added by the gateway to every reply; cannot be switched off',
      ),
    },
    {
      requirement: profile.usageReminder?.requirement ?? 'TIME-1',
      title: both('连续使用时长提醒', 'Reminder after continuous use'),
      enforced: r !== null,
      detail:
        r === null
          ? both('本配置未设置', 'not set in this profile')
          : both(
              `每 ${r.everyMinutes} 分钟${r.repeat ? '（重复）' : '（一次）'}；适用于${r.appliesTo === 'all' ? '全部用户' : '未成年人'}`,
              `every ${r.everyMinutes} min${r.repeat ? ' (repeated)' : ' (once)'}; for ${r.appliesTo === 'all' ? 'every user' : 'minors'}`,
            ),
    },
    {
      requirement: 'EXIT-2',
      title: both('一键退出与退出词', 'One-tap exit and exit words'),
      enforced: true,
      detail: both(
        `退出按钮接口；退出词 ${profile.exit.keywords.zh.length} 个中文、${profile.exit.keywords.en.length} 个英文`,
        `exit button API; ${profile.exit.keywords.zh.length} Chinese and ${profile.exit.keywords.en.length} English exit words`,
      ),
    },
    {
      requirement: 'RISK-3',
      title: both('危机求助热线', 'Crisis help lines'),
      enforced: c.hotlines.length > 0,
      detail: both(
        c.hotlines.map((h) => `${h.name.zh} ${h.number}`).join('；'),
        c.hotlines.map((h) => `${h.name.en} ${h.number}`).join('; '),
      ),
    },
    {
      requirement: 'RISK-4',
      title: both('明确自杀自残意图时人工接管', 'Human takeover on explicit suicide or self-harm intent'),
      enforced: c.humanTakeover,
      detail: both(
        `${c.humanTakeover ? '已启用' : '未启用'}；${c.claimWithinMinutes} 分钟内无人认领即升级值班名单`,
        `${c.humanTakeover ? 'on' : 'off'}; escalated to the on-call list when unclaimed for ${c.claimWithinMinutes} min`,
      ),
    },
    {
      requirement: 'RISK-5',
      title: both('通知监护人或紧急联系人', 'Alerting the guardian or emergency contact'),
      enforced: n.email || n.webhooks > 0,
      detail: both(
        `电子邮件：${n.email ? '已配置' : '未配置'}；Webhook ${n.webhooks} 个；值班联系人 ${n.onCallContacts} 个`,
        `e-mail: ${n.email ? 'configured' : 'not configured'}; ${n.webhooks} webhook(s); ${n.onCallContacts} on-call contact(s)`,
      ),
    },
    {
      requirement: 'RISK-6',
      title: both('事件冷却', 'Incident cooldown'),
      enforced: true,
      detail: both(
        `无人处理 ${c.cooldownMinutes} 分钟后关闭`,
        `closed after ${c.cooldownMinutes} min without a step`,
      ),
    },
    {
      requirement: 'CONTENT-1',
      title: both('违法不良内容检测（输入与输出）', 'Prohibited-content detection (input and output)'),
      enforced: true,
      detail: both(
        `检测器故障时：输入${profile.failModes.inputDetector === 'block' ? '拦截' : '放行'}、输出${profile.failModes.outputDetector === 'block' ? '拦截' : '放行'}；第二意见模型 ${guards} 个；部署词表 ${deployment.lexicons} 个`,
        `on detector failure: input ${profile.failModes.inputDetector}, output ${profile.failModes.outputDetector}; ${guards} second-opinion model(s); ${deployment.lexicons} deployment lexicon(s)`,
      ),
    },
    {
      requirement: 'MINOR-1',
      title: both('未成年人模式', 'Minor mode'),
      enforced: m.enabled,
      detail: m.enabled
        ? both(
            `每日时长（<14/14-15/16-17 岁）${limits} 分钟；休息时段 ${m.quietHours.from}–${m.quietHours.to}`,
            `daily minutes (<14/14-15/16-17) ${limits}; quiet hours ${m.quietHours.from}–${m.quietHours.to}`,
          )
        : both('本配置未启用', 'off in this profile'),
    },
    {
      requirement: 'MINOR-5',
      title: both('疑似未成年人识别', 'Suspected-minor detection'),
      enforced: profile.suspectedMinors.enabled,
      detail: onOff(profile.suspectedMinors.enabled),
    },
    {
      requirement: 'ELDER-3',
      title: both('不模拟老年用户的亲属', "No impersonation of an elderly user's relatives"),
      enforced: profile.elderly.refuseRelativeImpersonation,
      detail: both(
        `${profile.elderly.ageFrom} 岁起为老年用户`,
        `elderly from age ${profile.elderly.ageFrom}`,
      ),
    },
    {
      requirement: 'DATA-1',
      title: both('对话加密存储、按目的读取', 'Conversations encrypted at rest, read for a stated purpose'),
      enforced: true,
      detail: both('每个用户与角色一把数据密钥', 'one data key per user and character'),
    },
    {
      requirement: 'DATA-2',
      title: both('第三方模型须经同意', 'Third-party models only with consent'),
      enforced: profile.dataRights.thirdPartyGuardsNeedConsent,
      detail: onOff(profile.dataRights.thirdPartyGuardsNeedConsent),
    },
    {
      requirement: 'LOG-1',
      title: both('日志留存与防篡改', 'Log retention and tamper evidence'),
      enforced: true,
      detail: both(
        `审计日志保存 ${profile.retention.auditDays} 天，哈希链加签名检查点`,
        `audit log kept ${profile.retention.auditDays} days; hash chain with signed checkpoints`,
      ),
    },
  ];
}
