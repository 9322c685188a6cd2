/**
 * Usage statistics, assessment triggers, the filing record and the self-inspection checklist
 * (ASSESS-1, ASSESS-2, ASSESS-4, GOV-1).
 *
 * The figures are aggregates kept as data arrives, never recounted from raw rows: the store adds to small
 * per-day counters inside the transactions that already write (a user's creation, a turn's commit, an
 * incident's change, a notification's final failure). Days are calendar days in the deployment's time zone
 * (profile `session.defaultTimeZone`), as `YYYY-MM-DD`. Nothing here names a user or holds any text a user
 * wrote: numbers only.
 *
 * Monthly actives (30-day distinct users) stay exact without a snapshot: each user row keeps the last day
 * the user was active. On a user's first turn of day D (previous active day P, or none) the store adds 1 to
 * `active[D]`; to `mauIn[D]` when P is none or older than the window; to `mauOut[D + window]` (the day the
 * user would leave the window); and, when P is inside the window, takes back the `mauOut[P + window]` added
 * on P. So MAU(D) = Σ_{d ≤ D} (mauIn[d] − mauOut[d]); a day's counters never change once the day is past.
 * Later turns of the same day only add to the turn and usage counters.
 */

import type { IncidentReason } from '../incident/incident.js';
import type { AgeBand, AuditInput } from '../ports.js';

/** What a user's turn adds to the figures (passed with `Store.commitTurn`). */
export interface TurnActivity {
  readonly userId: string;
  /**
   * The user's last active day as the caller saw it (`UserRecord.lastActiveDay`, possibly cached). When it is
   * the turn's day the store writes nothing but the turn counters; otherwise it checks the row itself.
   */
  readonly lastActiveDay: string | null;
  /** The user's age band at this turn (for the age structure). */
  readonly ageBand: AgeBand;
  /** Time since the user's previous message counted as use: 0 after an idle gap or for a new session. */
  readonly usedMs: number;
}

/** Incidents of one day by severity (`critical`: a life at risk; `high`: property at risk) and by reason. */
export interface IncidentCounts {
  readonly critical: number;
  readonly high: number;
  readonly byReason: Readonly<Record<IncidentReason, number>>;
  /** Incidents escalated because nobody claimed them in time (RISK-5). */
  readonly escalated: number;
}

/** Time from an incident's opening to the first human message (RISK-4). */
export interface FirstHumanAnswer {
  /** Incidents whose first human message fell in the period. */
  readonly count: number;
  /** Mean in seconds, or null without data. */
  readonly meanSeconds: number | null;
  /** How many answered within 1, 5, 15 and 60 minutes (cumulative), and later. */
  readonly within: {
    readonly '1m': number;
    readonly '5m': number;
    readonly '15m': number;
    readonly '60m': number;
  };
  readonly later: number;
}

/** Counts by age band (`unknown` … `elderly`). */
export type AgeBandCounts = Readonly<Record<AgeBand, number>>;

/** The figures of one day. */
export interface StatsDay {
  readonly day: string;
  /** Users registered by the end of the day (all time). */
  readonly registeredUsers: number;
  /** Users first seen that day. */
  readonly newUsers: number;
  /** Distinct users with a turn that day. */
  readonly dailyActiveUsers: number;
  /** Distinct users with a turn in the window (30 days by default) ending that day. */
  readonly monthlyActiveUsers: number;
  readonly turns: number;
  /** Minutes of use (time between a user's messages, idle gaps excluded). */
  readonly usageMinutes: number;
  /** Daily actives by their age band at their first turn of the day. */
  readonly activeByAgeBand: AgeBandCounts;
  readonly incidents: IncidentCounts;
  readonly firstHumanAnswer: FirstHumanAnswer;
  /** Usage reminders shown (`reminder-shown` events committed with turns). */
  readonly reminders: number;
  /** Exits (`session-exit` events: the exit button or an exit word). */
  readonly exits: number;
  /** Notifications that failed for good (every attempt used). */
  readonly notificationFailures: number;
}

/** Assessment triggers (ASSESS-1). `launch`: a character or function launched. */
export type AssessmentTriggerKind = 'registered-users' | 'monthly-active-users' | 'launch';

/** A trigger as recorded: once per `key` across instances. */
export interface AssessmentTrigger {
  /** `registered-users`, `monthly-active-users`, or `launch:character:<id>` / `launch:function:<name>`. */
  readonly key: string;
  readonly kind: AssessmentTriggerKind;
  readonly firedAt: number;
  /** Deployment-local day it fired. */
  readonly day: string;
  /** The figure that crossed (users), or null for a launch. */
  readonly value: number | null;
  readonly threshold: number | null;
  /** What launched (`character:<id>`, `function:<name>`), or null. */
  readonly subject: string | null;
  /** When the compliance contact was told (null: not yet, or no channel could take it). */
  readonly notifiedAt: number | null;
}

/** ASSESS-4: the assessment and filing status of the service. */
export type AssessmentStatus = 'not-started' | 'in-progress' | 'submitted' | 'accepted' | 'rectifying';

export const assessmentStatuses = [
  'not-started',
  'in-progress',
  'submitted',
  'accepted',
  'rectifying',
] as const satisfies readonly AssessmentStatus[];

/** ASSESS-4: what app stores and the algorithm filing need. Staff words only; no user data. */
export interface FilingRecord {
  /** Algorithm filing number (e.g. 网信算备…), or null. */
  readonly filingNumber: string | null;
  readonly assessmentStatus: AssessmentStatus;
  /** Day the last assessment report was submitted (`YYYY-MM-DD`), or null. */
  readonly submittedOn: string | null;
  /** Day of the last annual review, or null. */
  readonly lastReviewOn: string | null;
  /** Day the next review is due, or null. */
  readonly nextReviewOn: string | null;
  readonly note: string | null;
  /** Null until first saved. */
  readonly updatedAt: number | null;
  readonly updatedBy: string | null;
}

export type FilingPatch = Partial<Omit<FilingRecord, 'updatedAt' | 'updatedBy'>>;

/** GOV-1: the management systems the self-inspection covers. */
export type ChecklistArea =
  | 'algorithm-review'
  | 'ethics-review'
  | 'content-review'
  | 'data-security'
  | 'pi-protection'
  | 'anti-fraud'
  | 'contingency-plan'
  | 'other';

export const checklistAreas = [
  'algorithm-review',
  'ethics-review',
  'content-review',
  'data-security',
  'pi-protection',
  'anti-fraud',
  'contingency-plan',
  'other',
] as const satisfies readonly ChecklistArea[];

/** GOV-1: one item of the self-inspection checklist. */
export interface ChecklistItem {
  readonly id: string;
  readonly area: ChecklistArea;
  /** What is checked (staff words). */
  readonly title: string;
  /** Who answers for it (a name or role, staff words). */
  readonly owner: string | null;
  readonly dueOn: string | null;
  /** Day it was done, or null while open. */
  readonly doneOn: string | null;
  readonly note: string | null;
  readonly updatedAt: number;
  readonly updatedBy: string | null;
}

export type ChecklistInput = Omit<ChecklistItem, 'updatedAt' | 'updatedBy'>;

/** Raw per-day sums as the store reads them; `statsSeries` (core) turns them into `StatsDay`s. */
export interface StatsCounters {
  /** Counter name → value, per day (days without counters are absent). Names: see `statsCounter`. */
  readonly days: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** Users by the age band of their latest first turn of a day (`unknown` until then). */
  readonly registeredByAgeBand: AgeBandCounts;
}

/**
 * The stats store (`Store.stats`). The counters themselves are written by the other stores' transactions
 * (`ensureUser`, `commitTurn` with `activity`, incident changes, notification failures); this interface reads
 * them and keeps the triggers, the filing record and the checklist.
 */
export interface StatsStore {
  /**
   * Every counter of every day up to `to` (inclusive; the cumulative figures need the days before `from`).
   * A few hundred rows per year: read in one query.
   */
  counters(to: string): Promise<StatsCounters>;

  /**
   * Records a trigger once per `key` across instances, with `audit` (ASSESS-1) in the same transaction.
   * Returns true when this call recorded it; false (nothing written) when it was recorded already.
   */
  recordTrigger(trigger: AssessmentTrigger, audit: readonly AuditInput[]): Promise<boolean>;
  /** Triggers recorded, oldest first. */
  listTriggers(): Promise<AssessmentTrigger[]>;
  /**
   * Claims the notice of a trigger: sets `notifiedAt` when it is null and returns true (one caller across
   * instances wins); `at: null` clears it again (the send failed: a later check retries).
   */
  markTriggerNotified(key: string, at: number | null): Promise<boolean>;

  /** The filing record (all nulls and `not-started` until first saved). */
  getFiling(): Promise<FilingRecord>;
  /** Applies `patch` (absent fields stay, null clears) and appends `audit` in one transaction. */
  saveFiling(
    patch: FilingPatch,
    by: { staffId: string; now: number },
    audit: readonly AuditInput[],
  ): Promise<FilingRecord>;

  /** Checklist items ordered by area, then due day, then id. */
  listChecklist(): Promise<ChecklistItem[]>;
  /** Inserts or replaces an item by id and appends `audit`, in one transaction. */
  saveChecklistItem(
    item: ChecklistInput,
    by: { staffId: string; now: number },
    audit: readonly AuditInput[],
  ): Promise<ChecklistItem>;
  /** Deletes an item with `audit`; `not-found` when there is none. */
  deleteChecklistItem(id: string, audit: readonly AuditInput[]): Promise<void>;
}
