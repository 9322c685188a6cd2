/**
 * The minor mode's stored facts (MINOR-1, MINOR-2, MINOR-4, MINOR-5): per user, never any conversation text.
 */
import type { AuditInput } from '../ports.js';

/** Why minor mode is on: the registered age, signals (MINOR-5), or the guardian keeping it on. */
export type MinorModeReason = 'declared' | 'suspected' | 'guardian';

/** Who or what ended minor mode: the guardian, an upheld appeal (MINOR-5), or the age reaching 18. */
export type MinorModeExit = 'guardian' | 'appeal' | 'age';

/** A daily window in the user's time zone, `HH:MM` to `HH:MM`; `from` after `to` crosses midnight. */
export interface QuietHours {
  readonly from: string;
  readonly to: string;
}

/**
 * What the guardian set (MINOR-4). `null` limits and quiet hours mean the profile's defaults; a guardian's
 * own values are kept within the profile's bounds (`checkGuardianControls`). Guardians never read the
 * minor's conversations: there is no transcript control.
 */
export interface GuardianControls {
  /** Minutes of use per local day; null = the profile's default for the user's age band. */
  readonly dailyLimitMinutes: number | null;
  /** null = the profile's quiet hours. */
  readonly quietHours: QuietHours | null;
  /** Character ids the minor may not use (MINOR-3). */
  readonly blockedCharacters: readonly string[];
  /** Whether the minor may spend (recharge, buy); checked by `POST /v1/spending/check`. */
  readonly spending: boolean;
}

/** The controls of a user the guardian never touched. */
export const defaultGuardianControls: GuardianControls = {
  dailyLimitMinutes: null,
  quietHours: null,
  blockedCharacters: [],
  spending: false,
};

/** How the guardian confirmed consent (MINOR-2). */
export type ConsentMethod = 'email-code' | 'sms-code' | 'link';

/** The guardian's consent to the service (MINOR-2): when, how, to which policy text; revocation. */
export interface GuardianConsent {
  readonly at: number;
  readonly method: ConsentMethod;
  /** Version of the policy text the guardian agreed to. */
  readonly policyVersion: string;
  /** When the guardian revoked it, or null while it holds. */
  readonly revokedAt: number | null;
}

/** The minor-mode facts of one user. A user never seen by the minor store has `emptyMinorState`. */
export interface MinorState {
  readonly userId: string;
  readonly mode: 'off' | 'on';
  /** Why the mode is on; null while off. */
  readonly reason: MinorModeReason | null;
  /** When the mode last turned on, or null while off. */
  readonly since: number | null;
  /**
   * For `declared`: the local calendar day (`YYYY-MM-DD`) on which the age registered when the mode was
   * entered reaches 18; the mode ends on that day (MINOR-1: only the age reaching 18 naturally ends it, a
   * later registration of an adult age does not). null for the other reasons and while off.
   */
  readonly endsOn: string | null;
  /** The suspected-minor score (MINOR-5), raised by signals; 0 for a user never suspected. */
  readonly suspicion: number;
  readonly controls: GuardianControls;
  /** The guardian's latest consent (kept with `revokedAt` once revoked), or null. */
  readonly consent: GuardianConsent | null;
  /** Time of the last change, or null for a user never stored. */
  readonly updatedAt: number | null;
}

/** The state of a user the minor store has nothing about. */
export function emptyMinorState(userId: string): MinorState {
  return {
    userId,
    mode: 'off',
    reason: null,
    since: null,
    endsOn: null,
    suspicion: 0,
    controls: defaultGuardianControls,
    consent: null,
    updatedAt: null,
  };
}

/** Use on one local day (MINOR-1, MINOR-4's usage summary): counted once per user across devices. */
export interface MinorUsageDay {
  /** `YYYY-MM-DD` in the user's time zone. */
  readonly day: string;
  readonly usedMs: number;
  /** Ids of the characters used that day, in order of first use. */
  readonly characters: readonly string[];
}

/** What a chat turn of a user in minor mode needs, in one read. */
export interface MinorTurnView {
  readonly state: MinorState;
  /** Use on `day` so far (zero when none). */
  readonly today: MinorUsageDay;
  /** Time of the user's last counted turn, or null. */
  readonly lastUsageAt: number | null;
}

/** A turn's use to record. */
export interface MinorUsageInput {
  readonly userId: string;
  readonly at: number;
  /** The local day `at` falls on (`YYYY-MM-DD`): the gap before the turn counts on this day. */
  readonly day: string;
  readonly characterId: string;
  /** A gap between turns counts as use only when shorter than this (the profile's idle gap). */
  readonly maxGapMs: number;
}

/** The guardian-settable part of the controls; absent keys are unchanged. */
export type GuardianControlsPatch = Partial<GuardianControls>;

/**
 * The minor-mode store (`Store.minors`). Every change of one user is serialized with the others of that
 * user (PostgreSQL locks the user's row; SQLite has one writer) and commits with its audit events in one
 * transaction: the store appends its own event (named with each method) and then the caller's `audit`
 * events. A change that changes nothing appends nothing (the caller's events neither) and returns the
 * state as it is. Unknown users: `CgError('not-found')`.
 */
export interface MinorStore {
  /** The user's state; `emptyMinorState` when nothing is stored. */
  getState(userId: string): Promise<MinorState>;

  /** State, the day's use and the last counted turn in one read (the chat hot path). */
  turnView(userId: string, day: string): Promise<MinorTurnView>;

  /**
   * Turns minor mode on with `reason` (event `minor-mode-enter`, MINOR-1; MINOR-5 for `suspected`,
   * MINOR-4 for `guardian`). When it is on already, the reason and `endsOn` change only toward holding
   * longer: `guardian` replaces the others (and clears `endsOn`); a later `endsOn` for `declared` replaces
   * an earlier one. `endsOn` is ignored for reasons other than `declared`. `suspicion`, when given, is stored
   * in the same commit (the score that crossed the threshold, MINOR-5).
   */
  enter(
    userId: string,
    change: { reason: MinorModeReason; endsOn?: string | null; now: number; suspicion?: number },
    audit?: readonly AuditInput[],
  ): Promise<MinorState>;

  /** Turns minor mode off (event `minor-mode-leave`, MINOR-1, with `by`). Off already: nothing written. */
  leave(
    userId: string,
    change: { by: MinorModeExit; now: number },
    audit?: readonly AuditInput[],
  ): Promise<MinorState>;

  /**
   * Applies the guardian's controls (event `minor-controls-updated`, MINOR-4, naming the fields changed,
   * never the character ids). Validate with `checkGuardianControls` first: the store stores what it gets.
   */
  updateControls(
    userId: string,
    patch: GuardianControlsPatch,
    now: number,
    audit?: readonly AuditInput[],
  ): Promise<MinorState>;

  /** Records the guardian's consent (event `guardian-consent-recorded`, MINOR-2); replaces an earlier one. */
  recordConsent(
    userId: string,
    consent: { at: number; method: ConsentMethod; policyVersion: string },
    audit?: readonly AuditInput[],
  ): Promise<MinorState>;

  /** Revokes the current consent (event `guardian-consent-revoked`, MINOR-2). None or revoked: no change. */
  revokeConsent(userId: string, now: number, audit?: readonly AuditInput[]): Promise<MinorState>;

  /**
   * Sets the suspected-minor score (MINOR-5). Appends no event of its own (the score moves often); the
   * caller's `audit` events commit with it.
   */
  setSuspicion(
    userId: string,
    suspicion: number,
    now: number,
    audit?: readonly AuditInput[],
  ): Promise<MinorState>;

  /**
   * Counts a turn's use: the gap since the user's last counted turn, when it is positive and shorter than
   * `maxGapMs`, is added to `day`, and `characterId` is added to the day's characters. Turns of one user
   * from several devices are serialized: a turn no later than the last counted one adds no time, so time
   * is counted once however many devices chat at once. No audit event. Returns the day after the turn.
   */
  recordUsage(usage: MinorUsageInput): Promise<MinorUsageDay>;

  /** The user's use on the days from `fromDay` to `toDay` (inclusive), oldest first; days without use absent. */
  usage(userId: string, fromDay: string, toDay: string): Promise<MinorUsageDay[]>;
}
