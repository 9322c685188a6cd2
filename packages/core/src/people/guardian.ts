/**
 * Guardians (MINOR-2, MINOR-4): the contact an app registered as a minor's `guardian` signs in with a
 * one-time code sent to that contact and sees the minors linked to it. The store finds minors by a keyed
 * blind index of the normalized contact (contacts themselves are encrypted per user), keeps one-time codes
 * and session tokens only as hashes, and never the contact in the clear.
 */
import type { IncidentReason, IncidentSeverity, IncidentState } from '../incident/incident.js';
import type { AuditInput, UserRecord } from '../ports.js';
import type { Contact } from './user-profile.js';

/** Where a guardian is reached: an e-mail address or a phone number. */
export interface GuardianAddress {
  readonly channel: 'email' | 'phone';
  /** Normalized: a lower-case address, or `+` and digits. */
  readonly value: string;
}

const emailPattern = /^[^\s@]{1,64}@[^\s@]{1,255}$/;

/**
 * The address a sign-in form's text names, normalized as the index keeps it, or undefined when it is
 * neither an e-mail address nor a phone number (7–15 digits, separators ignored).
 *
 * @example
 * normalizeGuardianAddress(' Mum@Example.COM ') // { channel: 'email', value: 'mum@example.com' }
 * normalizeGuardianAddress('+86 138-0013-8000') // { channel: 'phone', value: '+8613800138000' }
 */
export function normalizeGuardianAddress(text: string): GuardianAddress | undefined {
  const trimmed = text.trim();
  if (trimmed.includes('@')) {
    const value = trimmed.toLowerCase();
    return emailPattern.test(value) ? { channel: 'email', value } : undefined;
  }
  if (!/^\+?[\d\s().-]+$/.test(trimmed)) return undefined;
  const digits = trimmed.replace(/\D/g, '');
  if (digits.length < 7 || digits.length > 15) return undefined;
  return { channel: 'phone', value: `${trimmed.startsWith('+') ? '+' : ''}${digits}` };
}

/** Every address of a registered guardian contact (its e-mail and its phone), normalized. */
export function guardianAddressesOf(contact: Contact): GuardianAddress[] {
  const addresses: GuardianAddress[] = [];
  for (const text of [contact.email, contact.phone]) {
    const address = text === null ? undefined : normalizeGuardianAddress(text);
    if (address) addresses.push(address);
  }
  return addresses;
}

/** What a one-time code is for: signing in, or confirming a minor's consent by link (MINOR-2). */
export type GuardianCodePurpose = 'login' | 'consent';

/** A one-time code to store. `secret` is hashed (keyed) by the store and never kept. */
export interface NewGuardianCode {
  readonly id: string;
  /** The guardian (see `GuardianStore.guardianIdOf`). */
  readonly guardianId: string;
  readonly purpose: GuardianCodePurpose;
  /** The minor a consent code is for; null for sign-in codes. */
  readonly userId: string | null;
  readonly secret: string;
  readonly createdAt: number;
  readonly expiresAt: number;
}

/** Which code a redemption names: the guardian's latest of a purpose, or one code by id (a link). */
export type GuardianCodeSelector =
  | { readonly guardianId: string; readonly purpose: GuardianCodePurpose }
  | { readonly id: string };

/**
 * The outcome of trying a code. Not ok: wrong (`guardianId` of the code tried), or no live code at all —
 * expired, used, attempts spent (`guardianId` null).
 */
export type GuardianCodeResult =
  | {
      readonly ok: true;
      readonly guardianId: string;
      readonly userId: string | null;
      readonly purpose: GuardianCodePurpose;
    }
  | { readonly ok: false; readonly guardianId: string | null };

/** A guardian's console session; the cookie token itself is never stored, only its hash. */
export interface GuardianSessionRecord {
  readonly id: string;
  readonly guardianId: string;
  /** The channel the guardian proved at sign-in (how a consent given in the console was confirmed). */
  readonly channel: GuardianAddress['channel'];
  readonly tokenHash: string;
  readonly createdAt: number;
  readonly lastSeenAt: number;
  readonly revokedAt: number | null;
}

/** A risk event of a minor as a guardian sees it: an incident's facts, never any text. */
export interface GuardianRiskEvent {
  readonly incidentId: string;
  readonly userId: string;
  readonly openedAt: number;
  readonly reason: IncidentReason;
  readonly severity: IncidentSeverity;
  readonly state: IncidentState;
}

/** Guardians' identity, one-time codes and sessions, as the gateway stores them. */
export interface GuardianStore {
  /**
   * The guardian id of an address: a keyed hash (HMAC under the store's index key, which is independent of
   * the master key and survives its rotation) of the normalized address. The same address always gives the
   * same id; without the key it reveals nothing.
   */
  guardianIdOf(address: GuardianAddress): string;
  /**
   * Users whose registered guardian contact has an address with this guardian id, oldest first. The index
   * is written with the profile (`UserProfileStore.updateProfile`), in the same transaction.
   */
  linkedMinors(guardianId: string): Promise<UserRecord[]>;
  /**
   * Writes the index rows of `guardian` for `userId` when they are missing (profiles registered before
   * migration 0007 were indexed only when their guardian changed), unless the profile changed since it was
   * read (`profileUpdatedAt` differs). Idempotent; nothing is written when the rows are there.
   */
  linkGuardian(userId: string, guardian: Contact, profileUpdatedAt: number | null): Promise<void>;
  /** When a consent code (MINOR-2) was last issued for `userId`, by any instance; null if never. */
  lastConsentRequestAt(userId: string): Promise<number | null>;
  /** Incidents of these users opened at or after `since`, newest first, at most `limit`. */
  riskEvents(
    userIds: readonly string[],
    options: { readonly since: number; readonly limit: number },
  ): Promise<GuardianRiskEvent[]>;
  /**
   * Stores a code, unless `rate.max` codes of this guardian and purpose were created in the
   * `rate.windowMs` before `code.createdAt`, or a code of this purpose for `code.userId` in the
   * `rate.userGapMs` before it (then false, nothing written). Earlier unused codes of the same guardian,
   * purpose and user stop working. Appends `audit` with the code, in one transaction.
   */
  issueCode(
    code: NewGuardianCode,
    rate: { readonly windowMs: number; readonly max: number; readonly userGapMs?: number },
    audit: readonly AuditInput[],
  ): Promise<boolean>;
  /**
   * Withdraws a code whose message could not be delivered: deletes it (it no longer works nor counts towards
   * any limit) and appends `audit`, in one transaction. An unknown id writes only `audit`.
   */
  withdrawCode(id: string, audit: readonly AuditInput[]): Promise<void>;
  /**
   * Tries `secret` against the selected live code (unused, unexpired, fewer than `maxAttempts` tries) in
   * one transaction: a match marks it used (concurrent redemptions: exactly one wins); a miss counts an
   * attempt. `audit(result)` is appended with the outcome.
   */
  redeemCode(
    selector: GuardianCodeSelector,
    attempt: { readonly secret: string; readonly now: number; readonly maxAttempts: number },
    audit: (result: GuardianCodeResult) => readonly AuditInput[],
  ): Promise<GuardianCodeResult>;
  /** Creates a session and appends `audit` in one transaction. */
  createSession(
    session: Omit<GuardianSessionRecord, 'lastSeenAt' | 'revokedAt'>,
    audit: readonly AuditInput[],
  ): Promise<GuardianSessionRecord>;
  /** The session with this token hash, whatever its state (the caller checks expiry). */
  findSessionByTokenHash(tokenHash: string): Promise<GuardianSessionRecord | undefined>;
  /** Moves `lastSeenAt` forward to `now` (never back) unless revoked. Unknown id: no-op. */
  touchSession(id: string, now: number): Promise<void>;
  /** Revokes the session once, with `audit`. Unknown or revoked: no-op, nothing appended. */
  revokeSession(id: string, now: number, audit: readonly AuditInput[]): Promise<void>;
}
