/**
 * The compliance dashboard's and reports panel's wire shapes (ASSESS-1, ASSESS-2, ASSESS-4, GOV-1): the
 * body of `GET /api/stats`, the filing record and the checklist, read defensively (numbers default to 0,
 * unknown values are kept as the gateway spelled them).
 */
import { invalidResponse, isRecord, readCount, readNonNegative, readText, readTime } from './wire-read.js';

export const ageBands = ['unknown', 'under-14', '14-15', '16-17', 'adult', 'elderly'] as const;
export type AgeBand = (typeof ageBands)[number];

/** One day of `GET /api/stats`, the parts the dashboard draws. */
export interface StatsDayView {
  readonly day: string;
  readonly registeredUsers: number;
  readonly dailyActiveUsers: number;
  readonly monthlyActiveUsers: number;
  readonly usageMinutes: number;
  readonly incidents: number;
  readonly firstHumanAnswers: number;
  readonly firstHumanMeanSeconds: number | null;
}

export interface TriggerView {
  readonly key: string;
  readonly kind: string;
  readonly day: string;
  readonly value: number | null;
  readonly subject: string | null;
}

export interface StatsView {
  readonly from: string;
  readonly to: string;
  readonly timeZone: string;
  readonly days: readonly StatsDayView[];
  readonly totals: {
    readonly registeredUsers: number;
    readonly newUsers: number;
    readonly monthlyActiveUsers: number;
    readonly peakDailyActiveUsers: number;
    readonly turns: number;
    readonly usageMinutes: number;
    readonly incidentsCritical: number;
    readonly incidentsHigh: number;
    readonly escalated: number;
    readonly firstHumanAnswers: number;
    readonly firstHumanMeanSeconds: number | null;
    readonly firstHumanWithin5m: number;
  };
  readonly registeredByBand: Readonly<Record<AgeBand, number>>;
  readonly activeByBand: Readonly<Record<AgeBand, number>>;
  readonly thresholds: { readonly registeredUsers: number; readonly monthlyActiveUsers: number };
  readonly triggers: readonly TriggerView[];
}

const record = (value: unknown): Record<string, unknown> => (isRecord(value) ? value : {});

function bands(value: unknown): Record<AgeBand, number> {
  const r = record(value);
  return Object.fromEntries(ageBands.map((b) => [b, readCount(r[b])])) as Record<AgeBand, number>;
}

/** The body of `GET /api/stats` as the dashboard uses it. */
export function parseStats(answer: unknown): StatsView {
  if (!isRecord(answer) || !Array.isArray(answer.days) || typeof answer.from !== 'string') {
    throw invalidResponse('The statistics could not be read.');
  }
  const totals = record(answer.totals);
  const incidents = record(totals.incidents);
  const human = record(totals.firstHumanAnswer);
  const thresholds = record(answer.thresholds);
  const ages = record(answer.ageStructure);
  return {
    from: answer.from,
    to: typeof answer.to === 'string' ? answer.to : answer.from,
    timeZone: typeof answer.timeZone === 'string' ? answer.timeZone : '',
    days: answer.days.filter(isRecord).map((d) => {
      const i = record(d.incidents);
      const h = record(d.firstHumanAnswer);
      return {
        day: typeof d.day === 'string' ? d.day : '',
        registeredUsers: readCount(d.registeredUsers),
        dailyActiveUsers: readCount(d.dailyActiveUsers),
        monthlyActiveUsers: readCount(d.monthlyActiveUsers),
        usageMinutes: readCount(d.usageMinutes),
        incidents: readCount(i.critical) + readCount(i.high),
        firstHumanAnswers: readCount(h.count),
        firstHumanMeanSeconds: readNonNegative(h.meanSeconds),
      };
    }),
    totals: {
      registeredUsers: readCount(totals.registeredUsers),
      newUsers: readCount(totals.newUsers),
      monthlyActiveUsers: readCount(totals.monthlyActiveUsers),
      peakDailyActiveUsers: readCount(totals.peakDailyActiveUsers),
      turns: readCount(totals.turns),
      usageMinutes: readCount(totals.usageMinutes),
      incidentsCritical: readCount(incidents.critical),
      incidentsHigh: readCount(incidents.high),
      escalated: readCount(incidents.escalated),
      firstHumanAnswers: readCount(human.count),
      firstHumanMeanSeconds: readNonNegative(human.meanSeconds),
      firstHumanWithin5m: readCount(record(human.within)['5m']),
    },
    registeredByBand: bands(ages.registered),
    activeByBand: bands(ages.active),
    thresholds: {
      registeredUsers: readCount(thresholds.registeredUsers) || 1_000_000,
      monthlyActiveUsers: readCount(thresholds.monthlyActiveUsers) || 100_000,
    },
    triggers: (Array.isArray(answer.triggers) ? answer.triggers : []).filter(isRecord).map((t) => ({
      key: typeof t.key === 'string' ? t.key : '',
      kind: typeof t.kind === 'string' ? t.kind : '',
      day: typeof t.day === 'string' ? t.day : '',
      value: readNonNegative(t.value),
      subject: readText(t.subject),
    })),
  };
}

export const assessmentStatuses = [
  'not-started',
  'in-progress',
  'submitted',
  'accepted',
  'rectifying',
] as const;
export type AssessmentStatus = (typeof assessmentStatuses)[number];

/** ASSESS-4: the filing record (staff words only). Days are `YYYY-MM-DD`. */
export interface Filing {
  readonly filingNumber: string | null;
  readonly assessmentStatus: AssessmentStatus;
  readonly submittedOn: string | null;
  readonly lastReviewOn: string | null;
  readonly nextReviewOn: string | null;
  readonly note: string | null;
  readonly updatedAt: number | null;
}

export type FilingInput = Omit<Filing, 'updatedAt'>;

export const checklistAreas = [
  'algorithm-review',
  'ethics-review',
  'content-review',
  'data-security',
  'pi-protection',
  'anti-fraud',
  'contingency-plan',
  'other',
] as const;
export type ChecklistArea = (typeof checklistAreas)[number];

/** GOV-1: one self-inspection item, with its owner and dates. */
export interface ChecklistEntry {
  readonly id: string;
  readonly area: ChecklistArea | (string & {});
  readonly title: string;
  readonly owner: string | null;
  readonly dueOn: string | null;
  readonly doneOn: string | null;
  readonly note: string | null;
}

/** The body of `GET` and `PUT /api/filing`. */
export function parseFiling(answer: unknown): Filing {
  if (!isRecord(answer)) throw invalidResponse('The filing record could not be read.');
  return {
    filingNumber: readText(answer.filingNumber),
    assessmentStatus: assessmentStatuses.find((s) => s === answer.assessmentStatus) ?? 'not-started',
    submittedOn: readText(answer.submittedOn),
    lastReviewOn: readText(answer.lastReviewOn),
    nextReviewOn: readText(answer.nextReviewOn),
    note: readText(answer.note),
    updatedAt: readTime(answer.updatedAt),
  };
}

/** The body of `GET /api/checklist`: `{ data: [item…] }`. */
export function parseChecklist(answer: unknown): ChecklistEntry[] {
  if (!isRecord(answer) || !Array.isArray(answer.data))
    throw invalidResponse('The checklist could not be read.');
  return answer.data.filter(isRecord).flatMap((item) =>
    typeof item.id === 'string' && typeof item.title === 'string'
      ? [
          {
            id: item.id,
            area: typeof item.area === 'string' ? item.area : 'other',
            title: item.title,
            owner: readText(item.owner),
            dueOn: readText(item.dueOn),
            doneOn: readText(item.doneOn),
            note: readText(item.note),
          },
        ]
      : [],
  );
}
