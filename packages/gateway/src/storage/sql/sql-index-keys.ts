import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { CgError } from '@companion-guard/core';
import { type Kysely, sql } from 'kysely';
import { unwrapSecret, wrapSecret } from '../envelope-cipher.js';
import type { Database } from './schema.js';

/**
 * The keys of the store's keyed hashes: lookups that must give the same answer for ever, so they are not
 * derived from the master key (a rotation would change every hash). Created once per database, kept sealed
 * under the master key in `store_meta` and re-sealed by the rotation like staff secrets.
 */
export interface IndexKeys {
  /** The guardians' blind index and one-time code hashes (MINOR-4). */
  readonly guardian: Buffer;
  /** The target hash in notification idempotency keys (RISK-5 dedupe). */
  readonly notifyTarget: Buffer;
}

/** `store_meta` row holding the sealed index keys. */
export const indexKeysMeta = 'index_keys';
const purpose = 'index-keys';
const owner = 'store';

const encode = (keys: IndexKeys) =>
  JSON.stringify({
    guardian: keys.guardian.toString('base64'),
    notifyTarget: keys.notifyTarget.toString('base64'),
  });

/** Seals `keys` under `masterKey` as the `store_meta` value. */
export const sealIndexKeys = (masterKey: Uint8Array, keys: IndexKeys): string =>
  wrapSecret(masterKey, purpose, owner, encode(keys)).toString('base64');

/** Opens the `store_meta` value with whichever of `masterKeys` sealed it. */
export function openIndexKeys(masterKeys: readonly Uint8Array[], value: string): IndexKeys {
  for (const key of masterKeys) {
    let plain: string;
    try {
      plain = unwrapSecret(key, purpose, owner, Buffer.from(value, 'base64'));
    } catch {
      continue;
    }
    const parsed = JSON.parse(plain) as { guardian: string; notifyTarget: string };
    return {
      guardian: Buffer.from(parsed.guardian, 'base64'),
      notifyTarget: Buffer.from(parsed.notifyTarget, 'base64'),
    };
  }
  throw new CgError('invalid-config', 'No master key held opens the store index keys (retired too early?).');
}

/**
 * The database's index keys, created on first open: random for a new database; for one that already holds
 * guardian links, codes or notifications, the keys those rows were hashed with before migration-proof keys
 * existed (derived from the master key then current), so they keep matching. Concurrent first opens agree
 * on one value (insert if absent, then read).
 */
export async function loadIndexKeys(
  db: Kysely<Database>,
  masterKeys: readonly [Uint8Array, ...Uint8Array[]],
): Promise<IndexKeys> {
  const read = () =>
    db.selectFrom('storeMeta').select('value').where('name', '=', indexKeysMeta).executeTakeFirst();
  let row = await read();
  if (!row) {
    const [current] = masterKeys;
    const hashed = await Promise.all(
      (['guardianLinks', 'guardianCodes', 'notifications'] as const).map((table) =>
        db.selectFrom(table).select(sql<number>`1`.as('one')).limit(1).executeTakeFirst(),
      ),
    );
    const legacy = hashed.some((r) => r !== undefined);
    const keys: IndexKeys = legacy
      ? {
          guardian: Buffer.from(hkdfSync('sha256', current, '', 'cg-guardian-index-v1', 32)),
          notifyTarget: createHmac('sha256', current).update('cg:notify-target:v1').digest(),
        }
      : { guardian: randomBytes(32), notifyTarget: randomBytes(32) };
    await db
      .insertInto('storeMeta')
      .values({ name: indexKeysMeta, value: sealIndexKeys(current, keys) })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    row = await read();
    if (!row) throw new CgError('store-error', 'The store index keys vanished after insert.');
  }
  return openIndexKeys(masterKeys, row.value);
}
