/**
 * Staff accounts and their console sessions (product brief, "People, roles and the API surface").
 * The gateway hashes passwords, checks one-time codes and issues session tokens; the store keeps the
 * results: password hashes, the TOTP secret (encrypted at rest), lockout counters and hashed session tokens.
 */
import type { AuditInput, StaffRole } from '../ports.js';

/** Roles that must finish every sign-in with a one-time code (TOTP). */
export const staffRolesRequiringTotp: readonly StaffRole[] = ['admin'];

/** Emails are compared case-insensitively: the store keeps and matches them in this form. */
export function normalizeStaffEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** A staff account as stored. */
export interface StaffRecord {
  readonly id: string;
  /** Normalized (trimmed, lower case); unique. */
  readonly email: string;
  readonly role: StaffRole;
  /** The password hash with its parameters (e.g. `scrypt$…`); never the password. */
  readonly passwordHash: string;
  /** Base32 TOTP secret, or null when no second factor is enrolled. Encrypted at rest. */
  readonly totpSecret: string | null;
  readonly disabled: boolean;
  /** Failed sign-ins since the last success or the last lock. */
  readonly failedLogins: number;
  /** Sign-ins are refused until this time; null when never locked. */
  readonly lockedUntil: number | null;
  readonly createdAt: number;
  readonly lastLoginAt: number | null;
}

/** What `addStaff` needs; the email is normalized by the store. */
export interface NewStaff {
  readonly id: string;
  readonly email: string;
  readonly role: StaffRole;
  readonly passwordHash: string;
  readonly totpSecret: string | null;
  readonly createdAt: number;
}

/** A console session. The cookie token itself is never stored, only its hash. */
export interface StaffSessionRecord {
  readonly id: string;
  readonly staffId: string;
  /** hex SHA-256 of the session token. */
  readonly tokenHash: string;
  readonly createdAt: number;
  /** Last request seen (sliding idle expiry); updated by `touchSession`. */
  readonly lastSeenAt: number;
  /**
   * Last heartbeat of the console's crisis queue, sent while it is open and visible (`recordHeartbeat`);
   * null before the first and after the queue closed (`endHeartbeat`). An operator counts as on duty only
   * while it is recent.
   */
  readonly heartbeatAt: number | null;
  readonly revokedAt: number | null;
}

/** The result of recording a failed sign-in. */
export interface LoginFailure {
  /** Failures counted so far (0 right after this failure locked the account). */
  readonly failedLogins: number;
  /** Set when this failure locked the account: the lock ends then. */
  readonly lockedUntil: number | null;
}

/** Staff accounts, sessions and the one-time-code replay guard, as the gateway stores them. */
export interface StaffStore {
  /**
   * Adds a staff member and appends `audit` in one transaction. A taken email (compared normalized) throws
   * `CgError('staff-exists')` and writes nothing; of concurrent adds with one email exactly one succeeds.
   */
  addStaff(staff: NewStaff, audit: readonly AuditInput[]): Promise<StaffRecord>;
  /** Every staff member, oldest first (ties by id). */
  listStaff(): Promise<StaffRecord[]>;
  getStaff(id: string): Promise<StaffRecord | undefined>;
  /** The staff member with this email (normalized before matching), or undefined. */
  findStaffByEmail(email: string): Promise<StaffRecord | undefined>;
  /**
   * Disables the account and revokes all its sessions, with `audit`, in one transaction. Disabling a
   * disabled account changes nothing and appends nothing. Unknown id: `CgError('not-found')`.
   */
  disableStaff(id: string, now: number, audit: readonly AuditInput[]): Promise<StaffRecord>;
  /**
   * Counts one failed sign-in atomically (concurrent failures are all counted). The failure that reaches
   * `maxAttempts` locks the account until `now + lockMs` and resets the count. `audit` is called inside
   * the transaction with the outcome; its events commit with the count. Unknown id: `CgError('not-found')`.
   */
  recordLoginFailure(
    id: string,
    policy: { readonly now: number; readonly maxAttempts: number; readonly lockMs: number },
    audit: (failure: LoginFailure) => readonly AuditInput[],
  ): Promise<LoginFailure>;
  /**
   * A successful sign-in: resets the failure count and the lock, sets `lastLoginAt` to the session's
   * `createdAt`, creates the session and appends `audit`, in one transaction. Returns undefined (writing
   * nothing) when the account is unknown, was disabled meanwhile, or is locked at `createdAt` (a lock set
   * by a concurrent failure is never lifted by a success).
   */
  recordLoginSuccess(
    session: {
      readonly id: string;
      readonly staffId: string;
      readonly tokenHash: string;
      readonly createdAt: number;
    },
    audit: readonly AuditInput[],
  ): Promise<StaffSessionRecord | undefined>;
  /**
   * The TOTP replay guard: records `step` (a 30-second time step) as used if it is later than every step
   * used before by this account, in one compare-and-set. True when recorded; false when this step or a later
   * one was used already (of concurrent calls with one step exactly one gets true), or the id is unknown.
   */
  useTotpStep(id: string, step: number): Promise<boolean>;
  /** The session with this token hash and its staff member, whatever their state (the caller checks). */
  findSessionByTokenHash(
    tokenHash: string,
  ): Promise<{ readonly session: StaffSessionRecord; readonly staff: StaffRecord } | undefined>;
  /** Moves `lastSeenAt` forward to `now` (never back) unless the session is revoked. Unknown id: no-op. */
  touchSession(id: string, now: number): Promise<void>;
  /** Moves `heartbeatAt` forward to `now` (never back) unless the session is revoked. Unknown id: no-op. */
  recordHeartbeat(id: string, now: number): Promise<void>;
  /** Clears `heartbeatAt`: the console closed its crisis queue, so the operator is not at it from now. Unknown id: no-op. */
  endHeartbeat(id: string): Promise<void>;
  /** Revokes the session once (a revoked session keeps its first time). Unknown id: no-op. */
  revokeSession(id: string, now: number): Promise<void>;
}
