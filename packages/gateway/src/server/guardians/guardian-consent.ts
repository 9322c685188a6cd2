import { randomBytes, randomUUID } from 'node:crypto';
import {
  CgError,
  type Clock,
  type GuardianAddress,
  guardianAddressesOf,
  type MinorState,
  type Profile,
  type Store,
  type UserRecord,
} from '@companion-guard/core';
import type { Logger } from '../../logger.js';
import type { GuardianPrincipal } from '../auth/authorization.js';
import type { GuardianAuth, GuardianMessenger, GuardianSettings } from '../auth/guardian-auth.js';
import { consentRequestMessage } from './guardian-texts.js';

/** What a consent request did. */
export type ConsentRequestOutcome = 'sent' | 'no-guardian' | 'no-channel' | 'rate-limited';

/**
 * The guardian's consent (MINOR-2): the request sent to the guardian (a link and a sign-in code), the
 * confirmation by link or in the console, and its revocation. Recorded in `store.minors` with time,
 * method and the profile's consent policy version.
 */
export interface GuardianConsentService {
  /**
   * Sends the guardian of `userId` a consent link and a sign-in code (audited `guardian-consent-requested`).
   * The same user is asked at most once per `resendAfterMs` by this instance (a chat turn may call it on
   * every turn); `force` (the app's explicit re-send) skips that, not the store's hourly code limit.
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

/** How often one instance re-asks the guardian of one user without being told to. */
const resendAfterMs = 10 * 60_000;

export function createGuardianConsent(options: {
  store: Store;
  clock: Clock;
  profile: Profile;
  auth: GuardianAuth;
  messenger: GuardianMessenger | null;
  settings: GuardianSettings;
  /** The console's base URL the link points at (e.g. `https://cg.example.com`). */
  linkBase: () => string;
  logger: Logger;
}): GuardianConsentService {
  const { store, clock, profile, auth, messenger, settings, logger } = options;
  const lastAsked = new Map<string, number>();
  const policyVersion = () => profile.minors.consentPolicyVersion;

  async function linkedMinor(guardian: GuardianPrincipal, userId: string): Promise<UserRecord> {
    const minors = await store.guardians.linkedMinors(guardian.guardianId);
    const minor = minors.find((m) => m.id === userId);
    if (!minor) throw new CgError('not-found', 'No such minor is linked to you. 没有与您关联的该未成年人。');
    return minor;
  }

  return {
    linkedMinor,

    async request(userId, now, requestOptions = {}) {
      const asked = lastAsked.get(userId);
      if (!requestOptions.force && asked !== undefined && now - asked < resendAfterMs) return 'rate-limited';
      lastAsked.set(userId, now);
      if (lastAsked.size > 10_000) lastAsked.delete(lastAsked.keys().next().value as string);
      const user = await store.getUser(userId);
      const guardian = user ? (await store.profiles.getProfile(user.externalId))?.guardian : null;
      if (!user || !guardian) return 'no-guardian';
      const addresses = guardianAddressesOf(guardian);
      const address: GuardianAddress | undefined =
        addresses.find((a) => a.channel === 'email') ?? addresses[0];
      if (!address || !messenger) return 'no-channel';
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
        { windowMs: 3_600_000, max: settings.codesPerHour },
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
      // A sign-in code too, so that the guardian can confirm in the console; none once the hour's are spent.
      const code = await auth.issueSignInCode(address, now, [
        {
          type: 'guardian-code-sent',
          requirement: 'MINOR-4',
          at: now,
          data: { guardianId, channel: address.channel, purpose: 'login' },
        },
      ]);
      const link = `${options.linkBase().replace(/\/$/, '')}/guardian?consent=${id}.${secret}`;
      await messenger(
        address,
        consentRequestMessage({
          user: user.externalId,
          link,
          code: code ?? '—',
          codeMinutes: settings.codeMinutes,
          linkHours: settings.consentLinkHours,
        }),
      );
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
