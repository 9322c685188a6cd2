import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { ApiKeyRecord, Store } from '@companion-guard/core';
import type { Actor } from './staff-auth.js';

/** SHA-256 hex of an API key secret: what the store keeps. */
export function hashApiKey(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/**
 * Creates an API key for the companion app and audits it (`api-key-created`). The secret is returned once
 * and stored only as its hash.
 */
export async function createApiKey(
  store: Store,
  input: { label: string; now: number; by: Actor },
): Promise<{ key: ApiKeyRecord; secret: string }> {
  const secret = `cg_${randomBytes(24).toString('base64url')}`;
  const key: ApiKeyRecord = {
    id: randomUUID(),
    label: input.label,
    hash: hashApiKey(secret),
    createdAt: input.now,
    revokedAt: null,
  };
  await store.createApiKey(key, [
    { type: 'api-key-created', requirement: 'DATA-1', at: input.now, data: { keyId: key.id, by: input.by } },
  ]);
  return { key, secret };
}

/** Revokes an API key once (`api-key-revoked`); revoking it again returns the first revocation. */
export function revokeApiKey(store: Store, id: string, now: number, by: Actor): Promise<ApiKeyRecord> {
  return store.revokeApiKey(id, now, [
    { type: 'api-key-revoked', requirement: 'DATA-1', at: now, data: { keyId: id, by } },
  ]);
}
