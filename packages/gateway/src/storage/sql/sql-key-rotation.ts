import type { AuditInput } from '@companion-guard/core';
import { masterKeyCheck, wrapDataKey, wrapSecret } from '../envelope-cipher.js';
import { currentMasterKeyMeta, type SqlContext } from './sql-context.js';
import { indexKeysMeta, openIndexKeys, sealIndexKeys } from './sql-index-keys.js';
import { totpPurpose } from './sql-staff-store.js';

/** What a re-wrap pass did (DATA-1). */
export interface RewrapResult {
  /** Id of the master key every data key is now wrapped under. */
  readonly masterKeyId: string;
  /** Data keys re-wrapped by this run. */
  readonly dataKeys: number;
  /** Staff TOTP secrets and the store's index keys re-sealed by this run. */
  readonly secrets: number;
  /** Data keys no held master key opens (left as they are; they stay unreadable). */
  readonly unreadable: readonly string[];
}

/**
 * Re-wraps every data key and staff secret not yet under the current master key, and re-seals the index keys
 * (`sql-index-keys.ts`), while the gateway keeps serving (DATA-1). First records the current key in `store_meta` (so instances creating a key reload
 * theirs), then works in batches; every row is one compare-and-set UPDATE on its old wrapped bytes, so a
 * concurrent write or deletion (crypto-shredding) of the row wins and the row is simply looked at again.
 * Passes repeat until one finds nothing left. The data keys themselves never change: messages stay as
 * they are and every cached key stays valid. Appends `master-key-rotated` (DATA-1) with the counts.
 */
export async function rewrapUnderCurrentKey(
  ctx: SqlContext,
  options: { now: number; batchSize?: number; onProgress?: (rewrapped: number) => void },
): Promise<RewrapResult> {
  const current = ctx.currentMasterKeyId;
  const batchSize = Math.max(1, options.batchSize ?? 200);
  for (const [name, value] of [
    [currentMasterKeyMeta, current],
    ['master_key_check', masterKeyCheck(ctx.masterKey)],
  ] as const) {
    await ctx.db
      .insertInto('storeMeta')
      .values({ name, value })
      .onConflict((oc) => oc.column('name').doUpdateSet({ value }))
      .execute();
  }
  let dataKeys = 0;
  const unreadable = new Set<string>();
  for (;;) {
    let seenThisPass = 0;
    let after = '';
    for (;;) {
      const rows = await ctx.db
        .selectFrom('userKeys')
        .select(['id', 'userId', 'wrappedKey', 'masterKeyId'])
        .where('id', '>', after)
        .where((eb) => eb.or([eb('masterKeyId', 'is', null), eb('masterKeyId', '!=', current)]))
        .orderBy('id')
        .limit(batchSize)
        .execute();
      for (const row of rows) {
        after = row.id;
        if (unreadable.has(row.id)) continue;
        seenThisPass += 1;
        let key: Buffer;
        try {
          key = await ctx.unwrapUserKey(row);
        } catch {
          unreadable.add(row.id);
          continue;
        }
        const result = await ctx.db
          .updateTable('userKeys')
          .set({ wrappedKey: wrapDataKey(ctx.masterKey, row.userId, row.id, key), masterKeyId: current })
          .where('id', '=', row.id)
          .where('wrappedKey', '=', row.wrappedKey)
          .executeTakeFirst();
        if (Number(result.numUpdatedRows) === 1) {
          dataKeys += 1;
          options.onProgress?.(dataKeys);
        }
      }
      if (rows.length < batchSize) break;
    }
    if (seenThisPass === 0) break;
  }
  const secrets = (await resealStaffSecrets(ctx)) + (await resealIndexKeys(ctx));
  const audit: AuditInput = {
    type: 'master-key-rotated',
    requirement: 'DATA-1',
    at: options.now,
    data: { masterKeyId: current, dataKeys, secrets, unreadable: unreadable.size },
  };
  await ctx.transaction((trx) => ctx.appendAuditWithin(trx, [audit]));
  return { masterKeyId: current, dataKeys, secrets, unreadable: [...unreadable] };
}

async function resealStaffSecrets(ctx: SqlContext): Promise<number> {
  const rows = await ctx.db
    .selectFrom('staff')
    .select(['id', 'totpSeed'])
    .where('totpSeed', 'is not', null)
    .execute();
  let resealed = 0;
  for (const row of rows) {
    if (row.totpSeed === null) continue;
    const secret = ctx.unwrapSecretWithAnyKey(totpPurpose, row.id, row.totpSeed);
    const result = await ctx.db
      .updateTable('staff')
      .set({ totpSeed: wrapSecret(ctx.masterKey, totpPurpose, row.id, secret) })
      .where('id', '=', row.id)
      .where('totpSeed', '=', row.totpSeed)
      .executeTakeFirst();
    resealed += Number(result.numUpdatedRows);
  }
  return resealed;
}

/** The index keys themselves never change (every blind index and dedupe hash stays valid); only their seal. */
async function resealIndexKeys(ctx: SqlContext): Promise<number> {
  const row = await ctx.db
    .selectFrom('storeMeta')
    .select('value')
    .where('name', '=', indexKeysMeta)
    .executeTakeFirst();
  if (!row) return 0;
  const keys = openIndexKeys(ctx.masterKeys, row.value);
  const result = await ctx.db
    .updateTable('storeMeta')
    .set({ value: sealIndexKeys(ctx.masterKey, keys) })
    .where('name', '=', indexKeysMeta)
    .where('value', '=', row.value)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
