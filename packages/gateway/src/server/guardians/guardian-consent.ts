import { randomBytes, randomUUID } from 'node:crypto';
import {
  CgError,
  type Clock,
  type ConsentRequestOutcome,
  type Contact,
  type GuardianAddress,
  guardianAddressesOf,
  type MinorState,
  type Profile,
  type Store,
  type UserRecord,
} from '@companion-guard/core';
import type { Logger } from '../../logger.js';
import type { GuardianPrincipal } from '../auth/authorization.js';
import type { GuardianMessenger, GuardianSettings } from '../auth/guardian-auth.js';
import { consentRequestMessage } from './guardian-texts.js';

/**
 * The guardian's consent (MINOR-2): the request sent to the guardian (a link), the confirmation by link
 * or in the console, and its revocation. Recorded in `store.minors` with time, method and the profile's
 * consent policy version.
 */
export interface GuardianConsentService {
  /**
   * What `request` would do now for `user`, without asking (the chat's `consent-required` text says it).
   * Reads the profile and the time of the last request; writes nothing.
   */
  outlook(user: UserRecord, now: number): Promise<ConsentRequestOutcome>;
  /**
   * Sends the guardian of `userId` a consent link (audited `guardian-consent-requested`), at most once per
   * `consentResendHours` per user across instances and `codesPerHour` per guardian (consent requests have
   * their own quota and never touch sign-in codes); `force` (the app's explicit re-send) skips the former.
   * Resolves once the channel accepted the message.
   */
  request(userId: string, now: number, options?: { force?: boolean }): Promise<ConsentRequestOutcome>;
  /** Confirms by the link's token (`<code id>.<secret>`); `invalid-code` when wrong, used or expired. */
  confirmByLink(token: string): Promise<{ user: UserRecord; state: MinorState }>;
  /** Confirms in the console by a guardian signed in with a code sent to their contact. */
  confirmInConsole(guardian: GuardianPrincipal, userId: string): Promise<MinorState>;
  revoke(guardian: GuardianPrincipal, userId: string): Promise<MinorState>;
  /** The minor `userId` if it is linked to this guardian; `not-found` otherwise (no hint it exists). */
  linkedMinor(guardian: GuardianPrincipal, userId: string): Promise<UserRecord>;
}

export function createGuardianConsent(options: {
  store: Store;
  clock: Clock;
  profile: Profile;
  messenger: GuardianMessenger | null;
  settings: GuardianSettings;
  /** The console's base URL the link points at (e.g. `https://cg.example.com`). */
  linkBase: () => string;
  logger: Logger;
}): GuardianConsentService {
  const { store, clock, profile, messenger, settings, logger } = options;
  const policyVersion = () => profile.minors.consentPolicyVersion;
  const resendMs = settings.consentResendHours * 3_600_000;

  async function linkedMinor(guardian: GuardianPrincipal, userId: string): Promise<UserRecord> {
    const minors = await store.guardians.linkedMinors(guardian.guardianId);
    const minor = minors.find((m) => m.id === userId);
    if (!minor) throw new CgError('not-found', 'No such minor is linked to you. 没有与您关联的该未成年人。');
    return minor;
  }

  /** The registered guardian's address a message can reach (e-mail first), or why there is none. */
  async function addressOf(
    user: UserRecord,
  ): Promise<
    { address: GuardianAddress; guardian: Contact; profileUpdatedAt: number | null } | ConsentRequestOutcome
  > {
    const profileRecord = await store.profiles.getProfile(user.externalId);
    const guardian = profileRecord?.guardian;
    if (!profileRecord || !guardian) return 'no-guardian';
    const addresses = guardianAddressesOf(guardian);
    if (addresses.length === 0) return 'no-guardian';
    const address = ['email', 'phone']
      .flatMap((channel) => addresses.filter((a) => a.channel === channel))
      .find((a) => messenger?.channels.has(a.channel));
    if (!address) return 'no-channel';
    return { address, guardian, profileUpdatedAt: profileRecord.profileUpdatedAt };
  }

  return {
    linkedMinor,

    async outlook(user, now) {
      const found = await addressOf(user);
      if (typeof found === 'string') return found;
      const last = await store.guardians.lastConsentRequestAt(user.id);
      return last !== null && now - last < resendMs ? 'rate-limited' : 'sent';
    },

    async request(userId, now, requestOptions = {}) {
      const user = await store.getUser(userId);
      if (!user) return 'no-guardian';
      const found = await addressOf(user);
      if (typeof found === 'string' || !messenger) return typeof found === 'string' ? found : 'no-channel';
      const { address, guardian } = found;
      // Minors registered before migration 0007 were never indexed: link them now, or the link fails.
      await store.guardians.linkGuardian(userId, guardian, found.profileUpdatedAt);
      const guardianId = store.guardians.guardianIdOf(address);
      const id = randomUUID();
      const secret = randomBytes(32).toString('base64url');
      const issued = await store.guardians.issueCode(
        {
          id,
          guardianId,
          purpose: 'consent',
          userId,
          secret,
          createdAt: now,
          expiresAt: now + settings.consentLinkHours * 3_600_000,
        },
        {
          windowMs: 3_600_000,
          max: settings.codesPerHour,
          ...(requestOptions.force ? {} : { userGapMs: resendMs }),
        },
        [
          {
            type: 'guardian-consent-requested',
            requirement: 'MINOR-2',
            at: now,
            userId,
            data: { guardianId, channel: address.channel, policyVersion: policyVersion() },
          },
        ],
      );
      if (!issued) return 'rate-limited';
      const base = options.linkBase().replace(/\/$/, '');
      try {
        await messenger(
          address,
          consentRequestMessage({
            user: user.externalId,
            link: `${base}/guardian?consent=${id}.${secret}`,
            consoleUrl: `${base}/guardian`,
            linkHours: settings.consentLinkHours,
          }),
        );
      } catch (error) {
        // Undelivered: the code goes, so it neither works nor makes the next turn say "asked recently".
        await store.guardians.withdrawCode(id, [
          {
            type: 'guardian-consent-request-failed',
            requirement: 'MINOR-2',
            at: clock.now(),
            userId,
            data: { guardianId, channel: address.channel },
          },
        ]);
        throw error;
      }
      logger.info('guardian consent requested', { userId, channel: address.channel });
      return 'sent';
    },

    async confirmByLink(token) {
      const [id, secret] = token.split('.');
      if (!id || !secret) throw new CgError('invalid-code');
      const now = clock.now();
      const result = await store.guardians.redeemCode(
        { id },
        { secret, now, maxAttempts: settings.codeAttempts },
        () => [],
      );
      if (!result.ok || result.purpose !== 'consent' || result.userId === null)
        throw new CgError('invalid-code');
      // The contact may have changed since the link was sent: only the guardian registered now may consent.
      const linked = await store.guardians.linkedMinors(result.guardianId);
      const user = linked.find((m) => m.id === result.userId);
      if (!user) throw new CgError('invalid-code');
      const state = await store.minors.recordConsent(
        user.id,
        { at: now, method: 'link', policyVersion: policyVersion() },
        [
          {
            type: 'guardian-consent-confirmed',
            requirement: 'MINOR-2',
            at: now,
            userId: user.id,
            data: { guardianId: result.guardianId, method: 'link' },
          },
        ],
      );
      return { user, state };
    },

    async confirmInConsole(guardian, userId) {
      const minor = await linkedMinor(guardian, userId);
      const now = clock.now();
      const method = guardian.channel === 'email' ? 'email-code' : 'sms-code';
      return store.minors.recordConsent(minor.id, { at: now, method, policyVersion: policyVersion() }, [
        {
          type: 'guardian-consent-confirmed',
          requirement: 'MINOR-2',
          at: now,
          userId: minor.id,
          data: { guardianId: guardian.guardianId, method },
        },
      ]);
    },

    async revoke(guardian, userId) {
      const minor = await linkedMinor(guardian, userId);
      const now = clock.now();
      return store.minors.revokeConsent(minor.id, now, [
        {
          type: 'guardian-action',
          requirement: 'MINOR-4',
          at: now,
          userId: minor.id,
          data: { guardianId: guardian.guardianId, action: 'consent-revoke' },
        },
      ]);
    },
  };
}
