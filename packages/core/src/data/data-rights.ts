import { isMinorBand } from '../people/user-profile.js';
import type { AgeBand, AuditInput } from '../ports.js';

/** The separate consents a user gives (DATA-2, DATA-6): training use, provision to third parties, sensitive PI. */
export type ConsentKind = 'training' | 'third_party' | 'sensitive';
export const consentKinds: readonly ConsentKind[] = ['training', 'third_party', 'sensitive'];

/** Who gave or withdrew a consent: the user, or the guardian (the only one who counts for a minor). */
export type ConsentGiver = 'user' | 'guardian';

/**
 * One consent record: a grant or a revocation, never changed once written (the history is append-only).
 * The current state of a kind is its latest record.
 */
export interface ConsentRecord {
  readonly id: string;
  readonly userId: string;
  readonly kind: ConsentKind;
  /** true: given; false: refused or revoked. */
  readonly granted: boolean;
  /** Version of the consent text the giver saw. */
  readonly textVersion: string;
  readonly givenBy: ConsentGiver;
  /** How it was given: `api` (the app's `PUT /v1/users/{user}/consents`), `guardian-console`, … */
  readonly method: string;
  readonly at: number;
}

/** A change to record: one record per kind given; absent kinds stay as they are. */
export interface ConsentChange {
  readonly userId: string;
  readonly changes: Partial<Record<ConsentKind, boolean>>;
  readonly textVersion: string;
  readonly givenBy: ConsentGiver;
  readonly method: string;
  readonly at: number;
}

/**
 * Whether `kind` is currently given, from the user's consent history (any order). For a minor (`minor`:
 * see {@link consentsAsMinor}) only the guardian's records count: a minor's own grant is recorded but gives
 * nothing, and the guardian's latest record decides. For everyone else the latest record by anyone counts.
 * Returns the deciding record, or undefined when the consent is not held.
 *
 * @example
 * heldConsent([{ kind: 'training', granted: true, givenBy: 'user', … }], 'training', true) // → undefined
 */
export function heldConsent(
  history: readonly ConsentRecord[],
  kind: ConsentKind,
  minor: boolean,
): ConsentRecord | undefined {
  let latest: ConsentRecord | undefined;
  for (const record of history) {
    if (record.kind !== kind || (minor && record.givenBy !== 'guardian')) continue;
    if (!latest || record.at >= latest.at) latest = record;
  }
  return latest?.granted ? latest : undefined;
}

/**
 * Whether a user's consents are a minor's (only the guardian's count): every band under 18, and any user in
 * minor mode (suspected minors and guardian-kept users, whose band may read unknown or adult).
 */
export function consentsAsMinor(band: AgeBand, minorMode: boolean): boolean {
  return minorMode || isMinorBand(band);
}

/** The audit events of recorded consents (`consent-given` / `consent-revoked`, DATA-2 or DATA-6). */
export function consentAudit(records: readonly ConsentRecord[]): AuditInput[] {
  return records.map((r) => ({
    type: r.granted ? 'consent-given' : 'consent-revoked',
    requirement: r.kind === 'third_party' ? 'DATA-2' : 'DATA-6',
    at: r.at,
    userId: r.userId,
    data: { consentId: r.id, kind: r.kind, textVersion: r.textVersion, givenBy: r.givenBy, method: r.method },
  }));
}

/** What a history deletion removed (DATA-4, DATA-5), as the store reports it. No content, no contacts. */
export interface DeletionFacts {
  readonly userId: string;
  /** The character whose history was deleted, or null for all of the user's history. */
  readonly characterId: string | null;
  readonly at: number;
  readonly messagesDeleted: number;
  /** Data keys destroyed (crypto-shredded): the rows under them can never be read again, backups included. */
  readonly keysDestroyed: readonly string[];
  /**
   * User-wide keys (from before per-character keys) that sealed some deleted messages but also seal records
   * that stay (contacts): their rows were removed, the key kept.
   */
  readonly keysRetained: readonly string[];
}

/** Who asked for a deletion: the user through the app, or the minor's guardian (DATA-5). */
export type DeletionRequester = 'user' | 'guardian';

/** A signed deletion receipt (DATA-4): JSON, kept by the store and handed to the requester. */
export interface DeletionReceipt {
  readonly type: 'companion-guard/deletion-receipt';
  readonly version: 1;
  readonly id: string;
  readonly userId: string;
  /** The app's id of the user. */
  readonly externalUserId: string;
  readonly characterId: string | null;
  readonly requestedBy: DeletionRequester;
  /** ISO 8601. */
  readonly deletedAt: string;
  readonly messagesDeleted: number;
  readonly keysDestroyed: readonly string[];
  readonly keysRetained: readonly string[];
  /** seq and hash of the `history-deleted` audit event. */
  readonly audit: { readonly seq: number; readonly hash: string };
  /** Id of the Ed25519 key that signed (see `signingKeyId` of the gateway's signing key). */
  readonly signingKeyId: string;
  /** Base64 Ed25519 signature over the canonical JSON of every other field. */
  readonly signature: string;
}

/** A receipt before it is signed. */
export type UnsignedReceipt = Omit<DeletionReceipt, 'signature'>;

/** Canonical JSON (sorted keys, no spaces): the bytes a receipt's signature covers. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The bytes a receipt's signature covers: the canonical JSON of the receipt without `signature`. */
export function receiptSigningText(receipt: UnsignedReceipt | DeletionReceipt): string {
  const { signature: _, ...rest } = receipt as DeletionReceipt;
  return canonicalJson(rest);
}

/** A message of a user's history, decrypted, with the character it was exchanged with. */
export interface HistoryMessage {
  readonly id: string;
  readonly sessionId: string;
  readonly characterId: string;
  readonly role: 'user' | 'assistant' | 'system';
  readonly author: 'user' | 'ai' | 'human' | 'system';
  readonly content: string;
  readonly contentId: string;
  readonly status: string;
  readonly createdAt: number;
}

/** A deletion request the store carries out in one transaction. */
export interface HistoryDeletion {
  readonly userId: string;
  readonly characterId: string | null;
  readonly at: number;
  /** The audit events to append with the deletion (the `history-deleted` event first). */
  readonly audit: (facts: DeletionFacts) => readonly AuditInput[];
  /** Builds the signed receipt once the audit position is known; it is stored in the same transaction. */
  readonly receipt: (facts: DeletionFacts, audit: { seq: number; hash: string }) => DeletionReceipt;
}

/**
 * Data rights (DATA-2..7, MINOR-6): consents, the user's history for copies and training exports, and
 * deletion that destroys the data keys.
 */
export interface DataRightsStore {
  /**
   * Appends one consent record per changed kind and their audit events (`consentAudit`) in one
   * transaction. Records are never updated or deleted. Returns the records written (none when `changes` is
   * empty). Concurrent calls both append; the later `at` (then the later write) is the current state.
   */
  recordConsents(change: ConsentChange): Promise<ConsentRecord[]>;
  /** The user's consent history, oldest first; empty for an unknown user. */
  listConsents(userId: string): Promise<ConsentRecord[]>;
  /** Ids of users with at least one consent record of `kind` (training-export candidates), sorted. */
  usersWithConsent(kind: ConsentKind): Promise<string[]>;
  /** Ids of every user created before `before`, sorted (for the yearly minors' report, MINOR-6). */
  listUserIds(before: number): Promise<string[]>;

  /**
   * The user's messages (all characters, or one), oldest first, decrypted. Rows whose key was destroyed are
   * never returned (a deletion removes them with the key).
   */
  listHistory(userId: string, options?: { characterId?: string; from?: number; to?: number }): Promise<HistoryMessage[]>;

  /**
   * Deletes a user's history (all, or one character's) in one transaction: destroys the per-(user,
   * character) data keys, removes the message rows, appends `audit(facts)`, and stores the receipt built
   * by `receipt`. The affected sessions' versions advance (every instance drops the history it cached,
   * and a turn racing the deletion retries). A turn that sealed a message under a key destroyed meanwhile fails with
   * `session-conflict` and retries under a fresh key, so nothing is written under a destroyed key.
   */
  deleteHistory(request: HistoryDeletion): Promise<DeletionReceipt>;
  /** Stored receipts, oldest first (all users when `userId` is absent), optionally within `[from, to)`. */
  listReceipts(options?: { userId?: string; from?: number; to?: number }): Promise<DeletionReceipt[]>;
}
