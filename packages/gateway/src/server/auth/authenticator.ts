import type { Store } from '@companion-guard/core';
import { hashApiKey } from './api-keys.js';
import type { Authenticator } from './authorization.js';
import type { GuardianAuth } from './guardian-auth.js';
import type { StaffAuth } from './staff-auth.js';

/** How long key lookups are cached. Changes made in this process clear the cache at once. */
const cacheMs = 2000;

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
}): Authenticator {
  const { store, staff, guardians, loopbackOnly } = options;
  let cached: { at: number; keyless: boolean } | null = null;
  const known = new Map<string, { at: number; keyId: string }>();
  return {
    async keylessApp() {
      if (!loopbackOnly) return false;
      const now = Date.now();
      if (!cached || now - cached.at > cacheMs) {
        const keys = await store.listApiKeys();
        cached = { at: now, keyless: !keys.some((k) => k.revokedAt === null) };
        known.clear();
      }
      return cached.keyless;
    },
    async verifyApiKey(token) {
      const hash = hashApiKey(token);
      const seen = known.get(hash);
      if (seen !== undefined && Date.now() - seen.at < cacheMs) return { keyId: seen.keyId };
      const key = await store.findApiKeyByHash(hash);
      if (!key || key.revokedAt !== null) return undefined;
      known.set(hash, { at: Date.now(), keyId: key.id });
      return { keyId: key.id };
    },
    verifyStaffSession: (token) => staff.verifySession(token),
    verifyGuardianSession: async (token) => guardians?.verifySession(token),
    apiKeysChanged() {
      cached = null;
      known.clear();
    },
  };
}
