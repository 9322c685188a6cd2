import type { LiveEvents, Store } from '@companion-guard/core';
import type { Logger } from '../../logger.js';
import { shareEvent } from '../events/share-event.js';
import { hashApiKey } from './api-keys.js';
import type { Authenticator } from './authorization.js';
import type { GuardianAuth } from './guardian-auth.js';
import type { StaffAuth } from './staff-auth.js';

/**
 * How long key lookups are cached. A key created or revoked on any instance clears every instance's cache at
 * once (the `api-keys-changed` live event); the expiry covers an event that is lost.
 */
const cacheMs = 2000;
const keysChannel = 'api-keys';

/**
 * How callers authenticate. API keys come from the store: on a non-loopback address a key is always
 * required, also after the last key is revoked; on loopback, only once a key exists. Staff sessions come
 * from `staff`.
 */
export function createAuthenticator(options: {
  store: Store;
  staff: StaffAuth;
  /** Guardian sign-in; without it no guardian session is valid. */
  guardians?: GuardianAuth | undefined;
  loopbackOnly: boolean;
  events: LiveEvents;
  logger: Logger;
}): Authenticator {
  const { store, staff, guardians, loopbackOnly, events, logger } = options;
  let cached: { at: number; keyless: boolean } | null = null;
  const known = new Map<string, { at: number; keyId: string }>();
  // Advanced by every change: a lookup in flight when a change is reported does not store what it read.
  let generation = 0;
  const forget = () => {
    generation++;
    cached = null;
    known.clear();
  };
  events.subscribe(keysChannel, forget);
  return {
    async keylessApp() {
      if (!loopbackOnly) return false;
      const now = Date.now();
      if (cached && now - cached.at <= cacheMs) return cached.keyless;
      const since = generation;
      const keyless = !(await store.listApiKeys()).some((k) => k.revokedAt === null);
      if (since === generation) {
        cached = { at: now, keyless };
        known.clear();
      }
      return keyless;
    },
    async verifyApiKey(token) {
      const hash = hashApiKey(token);
      const seen = known.get(hash);
      if (seen !== undefined && Date.now() - seen.at < cacheMs) return { keyId: seen.keyId };
      const since = generation;
      const key = await store.findApiKeyByHash(hash);
      if (!key || key.revokedAt !== null) return undefined;
      if (since === generation) known.set(hash, { at: Date.now(), keyId: key.id });
      return { keyId: key.id };
    },
    verifyStaffSession: (token) => staff.verifySession(token),
    verifyGuardianSession: async (token) => guardians?.verifySession(token),
    apiKeysChanged() {
      forget();
      void shareEvent(events, logger, 'API key change', keysChannel, { type: 'api-keys-changed' });
    },
  };
}
