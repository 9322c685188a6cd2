/**
 * Appeals against minor mode entered on suspicion (MINOR-5): filed by the user through the app, decided by
 * compliance staff. The user's own words are sealed under the user's data key; nothing else holds text.
 */
import type { AuditInput } from '../ports.js';

/** What an appeal is against. Only minor mode entered on suspicion can be appealed. */
export type AppealKind = 'minor-mode';

export type AppealStatus = 'open' | 'upheld' | 'rejected';

/** A staff decision on an open appeal. */
export type AppealDecision = 'upheld' | 'rejected';

export interface Appeal {
  readonly id: string;
  readonly userId: string;
  readonly kind: AppealKind;
  readonly status: AppealStatus;
  /** The user's words, or null when none were given (or their data key was destroyed by a deletion). */
  readonly text: string | null;
  readonly filedAt: number;
  readonly decidedAt: number | null;
  /** Staff id of the decider, or null while open. */
  readonly decidedBy: string | null;
  /** The decider's reason (staff words, never the user's), or null while open. */
  readonly reason: string | null;
  /** When the user was shown the outcome (a `minor-mode` directive), or null. */
  readonly outcomeShownAt: number | null;
}

/**
 * The appeals store (`Store.appeals`). An appeal is filed as a complaint of kind `appeal` with ref
 * `minor-mode` (`ComplaintStore.file`, COMPLAINT-1), which writes the appeal in the same commit. Changes of one user are serialized with the user's minor-mode changes
 * (the user's row is locked on PostgreSQL; SQLite has one writer) and commit with their audit events in one
 * transaction: the store's own event first, then the caller's `audit`.
 */
export interface AppealStore {
  /** Appeals by filing time, newest first; only `status` ones when given. At most `limit` (default 100). */
  list(filter?: { status?: AppealStatus; limit?: number }): Promise<Appeal[]>;

  /** One appeal, or undefined. */
  get(id: string): Promise<Appeal | undefined>;

  /**
   * Decides an open appeal (event `appeal-decided`, MINOR-5, with the outcome and the staff id). Upheld:
   * minor mode ends (`minor-mode-leave` with `by: appeal`) and the suspicion score goes back to 0, in the same
   * transaction, so the signals that raised it do not count again. Rejected: the mode stays. Either way the
   * user's row is flagged (`UserRecord.appealOutcomePending`) until `takeOutcome`. `not-found` for an unknown
   * id; `appeal-decided` when it was decided already (a concurrent decision loses).
   */
  decide(
    id: string,
    decision: { outcome: AppealDecision; reason: string; staffId: string; now: number },
    audit?: readonly AuditInput[],
  ): Promise<Appeal>;

  /**
   * The user's decided appeals whose outcome was not shown yet, marked shown at `now` (event
   * `appeal-outcome-shown`, MINOR-5, for each) and the user's flag cleared, in one transaction; oldest first;
   * empty (nothing written) when none. Two concurrent calls never both return the same appeal.
   */
  takeOutcomes(userId: string, now: number): Promise<Appeal[]>;
}
