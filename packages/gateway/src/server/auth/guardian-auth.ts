import { createHash, createHmac, randomBytes, randomInt, randomUUID } from 'node:crypto';
import {
  CgError,
  type Clock,
  type GuardianAddress,
  type GuardianCodeResult,
  type GuardianSessionRecord,
  normalizeGuardianAddress,
  type Store,
} from '@companion-guard/core';
import type { Logger } from '../../logger.js';
import type { GuardianMessage } from '../guardians/guardian-texts.js';
import { signInCodeMessage } from '../guardians/guardian-texts.js';
import { RateLimitedError, type RateLimits } from '../limits/rate-limits.js';
import type { GuardianPrincipal } from './authorization.js';

/** Code and session lifetimes and limits (config `guardians.*`). */
export interface GuardianSettings {
  /** A sign-in code works this long. */
  readonly codeMinutes: number;
  /** Wrong tries that spend a code. */
  readonly codeAttempts: number;
  /** Codes of one purpose sent to one contact per hour, at most. */
  readonly codesPerHour: number;
  /** A consent link works this long. */
  readonly consentLinkHours: number;
  /** A minor's guardian is asked for consent at most once in this many hours unless the app re-sends. */
  readonly consentResendHours: number;
  readonly sessionIdleMinutes: number;
  readonly sessionMaxHours: number;
}

export const defaultGuardianSettings: GuardianSettings = {
  codeMinutes: 10,
  codeAttempts: 5,
  codesPerHour: 5,
  consentLinkHours: 72,
  consentResendHours: 6,
  sessionIdleMinutes: 30,
  sessionMaxHours: 12,
};

/**
 * Delivers a message to a guardian's address: e-mail through the notifier's SMTP sender, a phone through
 * its SMS interface. Resolves once the channel accepted it; throws when it did not or none is configured.
 * `channels` are the ones configured.
 */
export interface GuardianMessenger {
  (address: GuardianAddress, message: GuardianMessage): Promise<void>;
  readonly channels: ReadonlySet<GuardianAddress['channel']>;
}

/** Guardian sign-in by one-time code, sessions and sign-out (MINOR-4). */
export interface GuardianAuth {
  /**
   * Sends a sign-in code to `contact` if it is a registered guardian's address and its hourly limit is not
   * reached. Answers the same, in about the same time, whatever the contact (no account enumeration):
   * the lookup and the delivery run after it returns. `delivered` settles once that work is done (tests).
   * Requests past the contact's limit in the shared limits (`codesPerHour`, counted across instances) are
   * dropped without a lookup; an unregistered contact costs reads only. (No limit per client address: behind
   * a proxy every caller shares one, and such a limit would let anyone pause every guardian's codes.)
   */
  requestCode(contact: string): Promise<{ readonly delivered: Promise<void> }>;
  /**
   * Signs in with a code; `invalid-code` for a wrong, expired, spent or unknown one, `rate-limited` past the
   * contact's sign-in attempts per hour (whatever the code).
   */
  login(contact: string, code: string): Promise<{ token: string; principal: GuardianPrincipal }>;
  /** The principal of a live session token; moves the idle expiry forward. */
  verifySession(token: string): Promise<GuardianPrincipal | undefined>;
  logout(principal: GuardianPrincipal): Promise<void>;
}

const tokenPattern = /^[A-Za-z0-9_-]{43}$/;
const touchIntervalMs = 60_000;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const csrfTokenOf = (token: string) =>
  createHmac('sha256', token).update('cg-guardian-csrf-v1').digest('base64url');
/** Six digits, uniformly drawn. */
const newCode = () => String(randomInt(0, 1_000_000)).padStart(6, '0');

/** Creates guardian sign-in over the store's guardian index, the clock and a messenger. */
export function createGuardianAuth(options: {
  store: Store;
  clock: Clock;
  settings: GuardianSettings;
  messenger: GuardianMessenger | null;
  logger: Logger;
  /** Sign-in attempts (config `limits.guardianSignInsPerHour`) and code requests per contact across instances. */
  limits: Pick<RateLimits, 'admitGuardianSignIn' | 'admitGuardianCode'>;
}): GuardianAuth {
  const { store, clock, settings, messenger, logger, limits } = options;
  const guardians = store.guardians;
  const idleMs = settings.sessionIdleMinutes * 60_000;
  const maxMs = settings.sessionMaxHours * 3_600_000;

  const principalOf = (
    session: GuardianSessionRecord,
    token: string,
    lastSeen: number,
  ): GuardianPrincipal => ({
    kind: 'guardian',
    guardianId: session.guardianId,
    channel: session.channel,
    sessionId: session.id,
    csrfToken: csrfTokenOf(token),
    expiresAt: Math.min(lastSeen + idleMs, session.createdAt + maxMs),
  });

  async function sendSignInCode(address: GuardianAddress): Promise<void> {
    const now = clock.now();
    const guardianId = guardians.guardianIdOf(address);
    const minors = await guardians.linkedMinors(guardianId);
    if (minors.length === 0 || !messenger) return;
    const code = newCode();
    const issued = await guardians.issueCode(
      {
        id: randomUUID(),
        guardianId,
        purpose: 'login',
        userId: null,
        secret: code,
        createdAt: now,
        expiresAt: now + settings.codeMinutes * 60_000,
      },
      { windowMs: 3_600_000, max: settings.codesPerHour },
      [
        {
          type: 'guardian-code-sent',
          requirement: 'MINOR-4',
          at: now,
          data: { guardianId, channel: address.channel, purpose: 'login' },
        },
      ],
    );
    if (!issued) {
      logger.warn('guardian sign-in code not sent: hourly limit reached', { channel: address.channel });
      return;
    }
    await messenger(address, signInCodeMessage(code, settings.codeMinutes));
  }

  return {
    async requestCode(contact) {
      const address = normalizeGuardianAddress(contact);
      if (!address)
        throw new CgError(
          'invalid-request',
          'Give an e-mail address or a phone number. 请填写邮箱或手机号。',
        );
      // Past the limit the answer is the same (202): a refusal would be the only thing the caller sees.
      try {
        await limits.admitGuardianCode(guardians.guardianIdOf(address), settings.codesPerHour);
      } catch (error) {
        if (error instanceof RateLimitedError) return { delivered: Promise.resolve() };
        throw error;
      }
      const delivered = sendSignInCode(address).catch((error: unknown) => {
        logger.error('sending a guardian sign-in code failed', {
          channel: address.channel,
          error: String(error),
        });
      });
      return { delivered };
    },

    async login(contact, code) {
      const address = normalizeGuardianAddress(contact);
      if (!address || !/^\d{6}$/.test(code.trim())) throw new CgError('invalid-code');
      const now = clock.now();
      const guardianId = guardians.guardianIdOf(address);
      // Past the limit nothing is tried, right code or wrong: guessing stays slow however many codes are live.
      await limits.admitGuardianSignIn(guardianId);
      const result: GuardianCodeResult = await guardians.redeemCode(
        { guardianId, purpose: 'login' },
        { secret: code.trim(), now, maxAttempts: settings.codeAttempts },
        // Every failure appends the same event, for unknown contacts too: a registered contact with a live
        // code costs the same work as any other, so timing does not tell which contacts are guardians.
        (r) =>
          r.ok
            ? []
            : [{ type: 'guardian-login-failed', requirement: 'MINOR-4', at: now, data: { guardianId } }],
      );
      if (!result.ok) throw new CgError('invalid-code');
      const token = randomBytes(32).toString('base64url');
      const session = await guardians.createSession(
        { id: randomUUID(), guardianId, channel: address.channel, tokenHash: sha256(token), createdAt: now },
        [
          {
            type: 'guardian-login',
            requirement: 'MINOR-4',
            at: now,
            data: { guardianId, channel: address.channel },
          },
        ],
      );
      return { token, principal: principalOf(session, token, now) };
    },

    async verifySession(token) {
      if (!tokenPattern.test(token)) return undefined;
      const session = await guardians.findSessionByTokenHash(sha256(token));
      if (!session || session.revokedAt !== null) return undefined;
      const now = clock.now();
      if (now >= session.createdAt + maxMs || now >= session.lastSeenAt + idleMs) return undefined;
      let lastSeen = session.lastSeenAt;
      if (now - lastSeen >= touchIntervalMs) {
        await guardians.touchSession(session.id, now);
        lastSeen = now;
      }
      return principalOf(session, token, lastSeen);
    },

    async logout(principal) {
      const now = clock.now();
      await guardians.revokeSession(principal.sessionId, now, [
        {
          type: 'guardian-logout',
          requirement: 'MINOR-4',
          at: now,
          data: { guardianId: principal.guardianId },
        },
      ]);
    },
  };
}
