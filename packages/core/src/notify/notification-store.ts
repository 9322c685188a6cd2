import type { AuditInput } from '../ports.js';
import type { RequirementId } from '../types.js';

/** What a notification announces. */
export type NotificationKind = 'incident-opened' | 'incident-escalated';

/**
 * Who a notification is for: the user's guardian or emergency contact (RISK-5, ELDER-2), `contact` (an app's
 * webhook that reaches whoever the app has on file for the user), or the on-call operators (RISK-4).
 */
export type NotificationAudience = 'guardian' | 'emergency-contact' | 'contact' | 'on-call';

export type NotificationChannel = 'webhook' | 'email' | 'sms';

/**
 * `pending`: waiting for its due time. `sending`: claimed by one instance until its lease runs out.
 * `sent`: the channel accepted it. `failed`: given up (a permanent error, or `maxAttempts` reached).
 */
export type NotificationState = 'pending' | 'sending' | 'sent' | 'failed';

/**
 * What a delivery needs besides the row's ids: personal data and incident facts, sealed at rest under the
 * user's data key. Never conversation text.
 */
export interface NotificationFacts {
  /** An e-mail address, a phone number, or a webhook URL. */
  readonly target: string;
  /** The contact's name; null for on-call and webhook rows. */
  readonly contactName: string | null;
  /** The app's id for the user. */
  readonly externalUserId: string;
  readonly severity: 'critical' | 'high';
  readonly reason: 'crisis' | 'scam' | 'property-loss' | 'operator';
  readonly openedAt: number;
}

/** A notification to queue: one per (incident, kind, audience, channel, target). */
export interface NewNotification {
  readonly id: string;
  readonly incidentId: string;
  /** The user the incident is about; the facts are sealed under this user's data key. */
  readonly userId: string;
  readonly kind: NotificationKind;
  readonly audience: NotificationAudience;
  readonly channel: NotificationChannel;
  /** The obligation the notification serves, named in its audit events. */
  readonly requirement: RequirementId;
  readonly facts: NotificationFacts;
  readonly createdAt: number;
}

/** One try at sending a notification. `errorCode` is a short code (never a secret, a target or text). */
export interface NotificationAttempt {
  readonly attempt: number;
  readonly at: number;
  readonly outcome: 'sent' | 'retry' | 'failed';
  readonly errorCode: string | null;
}

export interface NotificationRecord extends NewNotification {
  /**
   * `<incidentId>:<kind>:<channel>:<hash>`, the hash keyed by the store's secret over the audience and the
   * target, so the target is never readable from it. Unique: queuing the same notification twice adds nothing.
   */
  readonly idempotencyKey: string;
  readonly state: NotificationState;
  /** Attempts started so far (claims), including one in flight. */
  readonly attempts: number;
  /** `pending`: when it is due; `sending`: when the lease runs out. */
  readonly dueAt: number;
  readonly updatedAt: number;
}

/** A notification claimed for one attempt: its record and the attempt number this claim owns. */
export interface ClaimedNotification extends NotificationRecord {
  readonly attempt: number;
}

/** The outcome of a claimed attempt, as `recordAttempt` stores it. */
export interface NotificationAttemptResult extends NotificationAttempt {
  readonly notificationId: string;
  /** For `retry`: when the next attempt is due. */
  readonly nextAttemptAt?: number;
}

/**
 * The durable outbox of notifications (RISK-4, RISK-5, ELDER-2). Targets and contact names are sealed at
 * rest under the user's data key, so shredding the user's key shreds them too (DATA-4).
 */
export interface NotificationStore {
  /**
   * Queues notifications, due at their `createdAt`, and appends the events `audit(queued)` returns for the
   * ones actually added, in one transaction. A notification whose idempotency key is already taken is
   * skipped (by this call or any earlier one, on any instance), so repeating a call adds nothing.
   * Returns the notifications added.
   */
  enqueue(
    notifications: readonly NewNotification[],
    audit: (queued: readonly NotificationRecord[]) => readonly AuditInput[],
  ): Promise<NotificationRecord[]>;

  /**
   * Claims up to `limit` notifications due at `now` (pending ones whose time has come, and `sending` ones
   * whose lease ran out, as after a crash), oldest due first: each becomes `sending` with a lease until
   * `now + leaseMs` and one more attempt. Each claim is a compare-and-set, so of several instances claiming
   * at once exactly one gets any given notification.
   */
  claimDue(
    now: number,
    options: { readonly limit: number; readonly leaseMs: number },
  ): Promise<ClaimedNotification[]>;

  /**
   * Records the outcome of a claimed attempt and appends `audit`, in one transaction: `sent` and `failed`
   * are final, `retry` makes it pending again until `nextAttemptAt`. The attempt and its events are always
   * written (it happened); the state changes only while the claim is still this attempt's (the lease did
   * not run out and nobody claimed it since). Returns whether the state changed.
   */
  recordAttempt(result: NotificationAttemptResult, audit: readonly AuditInput[]): Promise<boolean>;

  /** The notifications of an incident with their attempts, oldest first; facts decrypted. */
  listForIncident(
    incidentId: string,
  ): Promise<(NotificationRecord & { readonly history: NotificationAttempt[] })[]>;
}
