/**
 * California SB 243 (§22603, ASSESS-5): the operator's yearly report to the Office of Suicide Prevention —
 * how many crisis-service referral notifications were issued in the calendar year, and the protocols in
 * place to detect, remove and respond to suicidal ideation and to keep the chatbot from engaging with it.
 * Counts and the profile's protocols only: no user id, no text, no personal data of any kind.
 */
import {
  CgError,
  type LocalizedText,
  type Profile,
  type RequirementId,
  type Store,
} from '@companion-guard/core';
import { type Block, blocksToHtml, blocksToMarkdown } from './render-report.js';
import { reportPeriod } from './report-period.js';

/** The profile the annual report belongs to. */
export const annualReportProfile = 'us-ca-sb243';

export interface AnnualReport {
  readonly type: 'companion-guard/ca-annual-report';
  readonly requirement: 'ASSESS-5';
  readonly year: number;
  readonly period: { readonly from: string; readonly to: string; readonly timeZone: string };
  readonly profile: string;
  readonly generatedAt: string;
  /** Crisis-service referral notifications issued (help lines shown: `crisis-resources` directives). */
  readonly crisisReferrals: number;
  /** Crisis incidents opened (explicit suicide or self-harm signals, or an operator's judgement). */
  readonly crisisIncidents: number;
  /**
   * The first audit record the count could see, when it is later than the year's start (records before it
   * were purged by retention or did not exist yet); null when the whole year was visible.
   */
  readonly recordsFrom: string | null;
  readonly protocols: readonly { readonly requirement: RequirementId; readonly text: LocalizedText }[];
}

const both = (zh: string, en: string): LocalizedText => ({ zh, en });

/** The protocols the profile puts in force (SB 243 §22603 (b)(2)–(3)). */
function protocolsOf(profile: Profile): AnnualReport['protocols'] {
  const c = profile.crisis;
  return [
    {
      requirement: 'RISK-1',
      text: both(
        '每条用户消息都经过危机检测（分级的自杀和自残检测器，处理成语、否定、虚构和替他人担忧的情形），其准确度用公开的标注数据集测量（docs/eval.md）。',
        'Every user message runs through crisis detection (a tiered suicide and self-harm detector that handles idioms, negation, fiction and concern for others), measured on public labelled datasets (docs/eval.md).',
      ),
    },
    {
      requirement: 'RISK-3',
      text: both(
        `检测到自杀或自残意图时，回复中给出危机求助热线：${c.hotlines.map((h) => `${h.name.zh} ${h.number}`).join('；')}。`,
        `On suicidal or self-harm intent the reply refers the user to crisis services: ${c.hotlines.map((h) => `${h.name.en} ${h.number}`).join('; ')}.`,
      ),
    },
    {
      requirement: 'CONTENT-2',
      text: both(
        '模型输出在送达用户前经过检查，鼓励、美化或暗示自杀自残的内容被拦截并替换，从不存储；出现明确意图时不调用模型，改为固定的危机回复。',
        'Model output is checked before it reaches the user: anything encouraging, glamorising or hinting at suicide or self-harm is withheld and replaced, never stored; on explicit intent the model is not called and a fixed crisis reply is sent.',
      ),
    },
    {
      requirement: 'RISK-4',
      text: c.humanTakeover
        ? both(
            `明确意图会开启事件并由人工接管对话；${c.claimWithinMinutes} 分钟内无人认领即升级至值班名单。`,
            `Explicit intent opens an incident and a person takes over the conversation; an incident unclaimed for ${c.claimWithinMinutes} minutes escalates to the on-call list.`,
          )
        : both(
            `明确意图会开启事件，交由安全人员处理；${c.claimWithinMinutes} 分钟内无人认领即升级至值班名单。`,
            `Explicit intent opens an incident for safety staff; an incident unclaimed for ${c.claimWithinMinutes} minutes escalates to the on-call list.`,
          ),
    },
    {
      requirement: 'DISC-6',
      text: both(
        '会话开始时告知用户对方是人工智能；对已知未成年用户定期重复提示并提醒休息。',
        'Users are told at the start that they are talking to an AI; known minors are reminded again periodically and prompted to take breaks.',
      ),
    },
  ];
}

/**
 * Builds the annual report of `year` (the profile's time zone). Refused (`invalid-request`) unless the
 * deployment runs the `us-ca-sb243` profile.
 */
export async function buildAnnualReport(
  store: Store,
  profile: Profile,
  year: number,
  now: number,
): Promise<AnnualReport> {
  if (profile.id !== annualReportProfile) {
    throw new CgError(
      'invalid-request',
      `The annual report to the Office of Suicide Prevention is for the ${annualReportProfile} profile; this deployment runs ${profile.id}.`,
    );
  }
  if (!Number.isInteger(year) || year < 2000 || year > 9999) {
    throw new CgError('invalid-request', '--year must be a year like 2026.');
  }
  const period = reportPeriod(`${year}-01-01`, `${year}-12-31`, profile.session.defaultTimeZone);
  let crisisReferrals = 0;
  const page = 5000;
  for (let after = 0; ; ) {
    const events = await store.listAudit({
      requirements: ['RISK-2', 'RISK-3'],
      from: period.start,
      to: period.end,
      afterSeq: after,
      limit: page,
    });
    for (const e of events) {
      if (e.type === 'directive-shown' && e.data?.directive === 'crisis-resources') crisisReferrals += 1;
    }
    if (events.length < page) break;
    after = events[events.length - 1]?.seq ?? after;
  }
  const [first] = await store.listAudit({ limit: 1 });
  const incidents = await store.incidents.listIncidents('all');
  return {
    type: 'companion-guard/ca-annual-report',
    requirement: 'ASSESS-5',
    year,
    period: { from: period.from, to: period.to, timeZone: period.timeZone },
    profile: profile.id,
    generatedAt: new Date(now).toISOString(),
    crisisReferrals,
    crisisIncidents: incidents.filter(
      (i) => i.reason === 'crisis' && i.openedAt >= period.start && i.openedAt < period.end,
    ).length,
    recordsFrom: first && first.at > period.start ? new Date(first.at).toISOString() : null,
    protocols: protocolsOf(profile),
  };
}

function annualBlocks(r: AnnualReport): Block[] {
  return [
    {
      kind: 'title',
      text: both(
        `加州 SB 243 年度报告 ${r.year}（致自杀预防办公室）`,
        `California SB 243 annual report ${r.year} (Office of Suicide Prevention)`,
      ),
    },
    {
      kind: 'facts',
      rows: [
        [both('报告年度', 'Year'), `${r.period.from} – ${r.period.to} (${r.period.timeZone})`],
        [
          both('危机服务转介通知次数', 'Crisis service referral notifications issued'),
          String(r.crisisReferrals),
        ],
        [both('危机事件数', 'Crisis incidents opened'), String(r.crisisIncidents)],
        [both('记录起始', 'Records available from'), r.recordsFrom ?? `${r.period.from} (全年 / whole year)`],
        [both('生成时间', 'Generated at'), r.generatedAt],
      ],
    },
    {
      kind: 'para',
      text: both(
        '本报告只含计数和在用的规程，不含任何用户标识或个人信息。',
        'This report holds counts and the protocols in force only: no user identifier and no personal information.',
      ),
    },
    { kind: 'heading', id: 'protocols', text: both('在用规程', 'Protocols in force') },
    {
      kind: 'table',
      head: [both('要求', 'Requirement'), both('规程', 'Protocol')],
      rows: r.protocols.map((p) => [p.requirement, `${p.text.en} / ${p.text.zh}`]),
    },
  ];
}

export function renderAnnualMarkdown(r: AnnualReport): string {
  return blocksToMarkdown(annualBlocks(r));
}

export function renderAnnualHtml(r: AnnualReport): string {
  return blocksToHtml(
    annualBlocks(r),
    `SB 243 annual report ${r.year}`,
    `companion-guard · ${r.type} · ${r.generatedAt}`,
  );
}
