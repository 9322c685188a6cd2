import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import {
  type AuditInput,
  CgError,
  type Clock,
  type StaffRecord,
  type StaffRole,
  type Store,
  staffRolesRequiringTotp,
} from '@companion-guard/core';
import { z } from 'zod';
import type { StaffPrincipal } from './authorization.js';
import { assertPasswordPolicy, hashPassword, verifyPassword } from './passwords.js';
import { generateTotpSecret, matchTotp, totpUri } from './totp.js';

/** Lockout, session lifetimes and the on-duty window (config `staff.*`). */
export interface StaffSettings {
  /** Consecutive failed sign-ins that lock an account. */
  readonly lockoutAttempts: number;
  readonly lockoutMinutes: number;
  /** A session unused this long ends (sliding). */
  readonly sessionIdleMinutes: number;
  /** A session ends this long after sign-in, however busy. */
  readonly sessionMaxHours: number;
  /**
   * RISK-4: an operator counts as on duty (and as still with a user whose incident they hold) only while
   * their console's last heartbeat is this recent; the console beats every 25 s while the queue is visible.
   */
  readonly onDutyWindowSeconds: number;
}

export const defaultStaffSettings: StaffSettings = {
  lockoutAttempts: 5,
  lockoutMinutes: 15,
  sessionIdleMinutes: 30,
  sessionMaxHours: 12,
  onDutyWindowSeconds: 90,
};

/** A successful sign-in: the cookie token (shown to the browser only) and the session's principal. */
export interface StaffLogin {
  readonly token: string;
  readonly principal: StaffPrincipal;
}

/** Staff sign-in, session checks and sign-out, on the store and the injected clock. */
export interface StaffAuth {
  /**
   * Signs in. Throws `invalid-credentials` (unknown email, wrong password, disabled account — the same
   * for each, after the same password-hashing work), `account-locked`, `totp-required` (password right,
   * a one-time code needed) or `invalid-totp` (wrong, expired or replayed code).
   */
  login(credentials: { email: string; password: string; totp?: string | undefined }): Promise<StaffLogin>;
  /** The principal of a session token, if the session is live; moves its idle expiry forward unless `touch` is false. */
  verifySession(token: string, options?: { readonly touch?: boolean }): Promise<StaffPrincipal | undefined>;
  logout(principal: StaffPrincipal): Promise<void>;
}

/** Idle expiry moves at most this often, so a busy console does not write on every request. */
const touchIntervalMs = 60_000;
const tokenPattern = /^[A-Za-z0-9_-]{43}$/;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
/** The CSRF token is derived from the session token: nothing more to store, useless without the cookie. */
const csrfTokenOf = (token: string) => createHmac('sha256', token).update('cg-csrf-v1').digest('base64url');

let dummyHash: Promise<string> | undefined;
/** A hash to verify against for unknown emails, so that they cost the same time as known ones. */
function unknownAccountHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  return dummyHash;
}

const needsTotp = (staff: StaffRecord) =>
  staff.totpSecret !== null || staffRolesRequiringTotp.includes(staff.role);

/** Creates the staff sign-in service. */
export function createStaffAuth(options: { store: Store; clock: Clock; settings: StaffSettings }): StaffAuth {
  const { store, clock, settings } = options;
  const idleMs = settings.sessionIdleMinutes * 60_000;
  const maxMs = settings.sessionMaxHours * 3_600_000;

  const principalOf = (
    staff: StaffRecord,
    sessionId: string,
    token: string,
    expiresAt: number,
  ): StaffPrincipal => ({
    kind: 'staff',
    staffId: staff.id,
    email: staff.email,
    role: staff.role,
    sessionId,
    csrfToken: csrfTokenOf(token),
    expiresAt,
    totp: staff.totpSecret !== null,
  });

  async function refuse(
    staff: StaffRecord,
    reason: 'password' | 'totp' | 'totp-replay',
    now: number,
  ): Promise<never> {
    const failure = await store.staff.recordLoginFailure(
      staff.id,
      { now, maxAttempts: settings.lockoutAttempts, lockMs: settings.lockoutMinutes * 60_000 },
      (f) => {
        const audit: AuditInput[] = [
          { type: 'staff-login-failed', requirement: 'DATA-1', at: now, data: { staffId: staff.id, reason } },
        ];
        if (f.lockedUntil !== null) {
          audit.push({
            type: 'staff-locked',
            requirement: 'DATA-1',
            at: now,
            data: { staffId: staff.id, until: f.lockedUntil },
          });
        }
        return audit;
      },
    );
    if (failure.lockedUntil !== null) throw new CgError('account-locked');
    throw new CgError(reason === 'password' ? 'invalid-credentials' : 'invalid-totp');
  }

  return {
    async login({ email, password, totp }) {
      const now = clock.now();
      const staff = await store.staff.findStaffByEmail(email);
      if (!staff) {
        await verifyPassword(password, await unknownAccountHash());
        throw new CgError('invalid-credentials');
      }
      // The password is hashed before the lock is looked at, so a locked account answers no faster.
      const passwordRight = await verifyPassword(password, staff.passwordHash);
      if (staff.lockedUntil !== null && now < staff.lockedUntil) throw new CgError('account-locked');
      if (staff.disabled) {
        await store.appendAudit([
          {
            type: 'staff-login-failed',
            requirement: 'DATA-1',
            at: now,
            data: { staffId: staff.id, reason: 'disabled' },
          },
        ]);
        throw new CgError('invalid-credentials');
      }
      if (!passwordRight) return refuse(staff, 'password', now);
      if (needsTotp(staff)) {
        if (staff.totpSecret === null) {
          throw new CgError(
            'totp-required',
            'This account needs a second factor but has none enrolled; an administrator must re-create it.',
          );
        }
        if (!totp) throw new CgError('totp-required');
        const step = matchTotp(staff.totpSecret, totp, now);
        if (step === undefined) return refuse(staff, 'totp', now);
        if (!(await store.staff.useTotpStep(staff.id, step))) return refuse(staff, 'totp-replay', now);
      }
      const token = randomBytes(32).toString('base64url');
      const session = await store.staff.recordLoginSuccess(
        { id: randomUUID(), staffId: staff.id, tokenHash: sha256(token), createdAt: now },
        [
          {
            type: 'staff-login',
            requirement: 'DATA-1',
            at: now,
            data: { staffId: staff.id, role: staff.role },
          },
        ],
      );
      if (!session) {
        // Disabled or locked meanwhile (a concurrent wrong guess may have locked it).
        const now2 = await store.staff.findStaffByEmail(email);
        throw new CgError(
          now2?.lockedUntil != null && now < now2.lockedUntil ? 'account-locked' : 'invalid-credentials',
        );
      }
      return { token, principal: principalOf(staff, session.id, token, Math.min(now + idleMs, now + maxMs)) };
    },

    async verifySession(token, options = {}) {
      if (!tokenPattern.test(token)) return undefined;
      const found = await store.staff.findSessionByTokenHash(sha256(token));
      if (!found) return undefined;
      const { session, staff } = found;
      const now = clock.now();
      const absoluteEnd = session.createdAt + maxMs;
      if (session.revokedAt !== null || staff.disabled) return undefined;
      if (now >= absoluteEnd || now >= session.lastSeenAt + idleMs) return undefined;
      let lastSeen = session.lastSeenAt;
      // Only the person's own requests keep the session alive (and them on duty), not an open live stream.
      if (options.touch !== false && now - lastSeen >= touchIntervalMs) {
        await store.staff.touchSession(session.id, now);
        lastSeen = now;
      }
      return principalOf(staff, session.id, token, Math.min(lastSeen + idleMs, absoluteEnd));
    },

    async logout(principal) {
      await store.staff.revokeSession(principal.sessionId, clock.now());
    },
  };
}

/** Who performs an account change: a staff id, or `cli` for the command line. */
export type Actor = string;

/**
 * Adds a staff account: checks the password policy, hashes the password, and enrols TOTP for admins (and
 * for others when `totp` is set). The otpauth URI is returned once and stored nowhere. `staff-exists` for a
 * taken email.
 */
export async function addStaffAccount(
  store: Store,
  input: {
    email: string;
    role: StaffRole;
    password: string;
    totp?: boolean | undefined;
    now: number;
    by: Actor;
  },
): Promise<{ staff: StaffRecord; totpUri: string | null }> {
  if (!z.email().max(320).safeParse(input.email.trim()).success) {
    throw new CgError(
      'invalid-request',
      `Not an email address: ${input.email.slice(0, 100)}. 不是有效的邮箱地址。`,
    );
  }
  assertPasswordPolicy(input.password);
  const id = randomUUID();
  const secret = input.totp || staffRolesRequiringTotp.includes(input.role) ? generateTotpSecret() : null;
  const audit: AuditInput[] = [
    {
      type: 'staff-added',
      requirement: 'DATA-1',
      at: input.now,
      data: { staffId: id, role: input.role, totp: secret !== null, by: input.by },
    },
  ];
  const staff = await store.staff.addStaff(
    {
      id,
      email: input.email,
      role: input.role,
      passwordHash: await hashPassword(input.password),
      totpSecret: secret,
      createdAt: input.now,
    },
    audit,
  );
  return { staff, totpUri: secret === null ? null : totpUri(staff.email, secret) };
}

/** Disables an account and ends its sessions (audited once). Unknown id: `not-found`. */
export function disableStaffAccount(store: Store, id: string, now: number, by: Actor): Promise<StaffRecord> {
  return store.staff.disableStaff(id, now, [
    { type: 'staff-disabled', requirement: 'DATA-1', at: now, data: { staffId: id, by } },
  ]);
}
