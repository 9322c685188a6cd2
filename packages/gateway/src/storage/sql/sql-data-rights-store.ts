import { randomUUID } from 'node:crypto';
import {
  CgError,
  type ConsentChange,
  type ConsentGiver,
  type ConsentKind,
  type ConsentRecord,
  consentAudit,
  consentKinds,
  type DataRightsStore,
  type DeletionFacts,
  type DeletionReceipt,
  type HistoryDeletion,
  type HistoryMessage,
} from '@companion-guard/core';
import type { Kysely, Selectable } from 'kysely';
import { decryptContent, encryptContent } from '../envelope-cipher.js';
import type { ConsentsTable, Database, UserKeysTable } from './schema.js';
import { appealBinding } from './sql-appeal-store.js';
import { complaintBinding, complaintReplyBinding } from './sql-complaint-store.js';
import type { SqlContext } from './sql-context.js';
import { factsBinding } from './sql-notification-store.js';
import { contactBinding } from './sql-profile-store.js';
import { decryptMessages } from './sql-store.js';

/** Consents, history copies and deletions of the SQL store (DATA-2..7, MINOR-6). */
/**
 * After a full deletion destroyed the user's keys: what outlives the history moves under a fresh user-wide
 * key — contacts, notification facts, appeal and complaint texts and replies (no conversation text: contact details, incident facts
 * the outbox and the incident record still need, the user's own words to compliance staff) —, and the operators' hand-back notes, which are conversation
 * text, are erased (the time line keeps the step, its time and actor). No-op when the user had no
 * user-wide key (nothing was ever sealed under it).
 */
async function reSealUserWideRecords(
  ctx: SqlContext,
  trx: Kysely<Database>,
  userId: string,
  destroyed: readonly Selectable<UserKeysTable>[],
  at: number,
): Promise<void> {
  if (!destroyed.some((k) => k.characterId === '')) return;
  const opened = new Map<string, Buffer>();
  const oldKey = async (keyId: string): Promise<Buffer> => {
    const row = destroyed.find((k) => k.id === keyId);
    if (!row) throw new CgError('store-error', `A record of user ${userId} names an unknown data key.`);
    const key = opened.get(keyId) ?? (await ctx.unwrapUserKey(row));
    opened.set(keyId, key);
    return key;
  };
  const fresh = await ctx.newDataKey(trx, userId, '', at);
  const reSeal = async (binding: string, sealed: Uint8Array, keyId: string) =>
    encryptContent(fresh.key, binding, decryptContent(await oldKey(keyId), binding, sealed));
  const contacts = await trx.selectFrom('userContacts').selectAll().where('userId', '=', userId).execute();
  for (const c of contacts) {
    await trx
      .updateTable('userContacts')
      .set({ sealed: await reSeal(contactBinding(userId, c.kind), c.sealed, c.keyId), keyId: fresh.keyId })
      .where('userId', '=', userId)
      .where('kind', '=', c.kind)
      .execute();
  }
  const notifications = await trx
    .selectFrom('notifications')
    .select(['id', 'sealed', 'keyId'])
    .where('userId', '=', userId)
    .execute();
  for (const n of notifications) {
    await trx
      .updateTable('notifications')
      .set({ sealed: await reSeal(factsBinding(n.id), n.sealed, n.keyId), keyId: fresh.keyId })
      .where('id', '=', n.id)
      .execute();
  }
  const appeals = await trx
    .selectFrom('appeals')
    .select(['id', 'sealed', 'keyId'])
    .where('userId', '=', userId)
    .where('sealed', 'is not', null)
    .execute();
  for (const a of appeals) {
    if (!a.sealed || !a.keyId) continue;
    // A text sealed under a key an earlier deletion destroyed is unreadable already: it never blocks this one.
    const readable = destroyed.some((k) => k.id === a.keyId);
    await trx
      .updateTable('appeals')
      .set(
        readable
          ? { sealed: await reSeal(appealBinding(a.id), a.sealed, a.keyId), keyId: fresh.keyId }
          : { sealed: null, keyId: null },
      )
      .where('id', '=', a.id)
      .execute();
  }
  // COMPLAINT-1: the user's complaints and the staff replies, as the appeals above.
  const complaints = await trx
    .selectFrom('complaints')
    .select(['id', 'kind', 'ref', 'sealed', 'keyId'])
    .where('userId', '=', userId)
    .where('sealed', 'is not', null)
    .execute();
  for (const c of complaints) {
    if (!c.sealed || !c.keyId) continue;
    const readable = destroyed.some((k) => k.id === c.keyId);
    await trx
      .updateTable('complaints')
      .set(
        readable
          ? { sealed: await reSeal(complaintBinding(c), c.sealed, c.keyId), keyId: fresh.keyId }
          : { sealed: null, keyId: null },
      )
      .where('id', '=', c.id)
      .execute();
  }
  const replies = await trx
    .selectFrom('complaintReplies')
    .select(['id', 'sealed', 'keyId'])
    .where('userId', '=', userId)
    .where('sealed', 'is not', null)
    .execute();
  for (const r of replies) {
    if (!r.sealed || !r.keyId) continue;
    const readable = destroyed.some((k) => k.id === r.keyId);
    await trx
      .updateTable('complaintReplies')
      .set(
        readable
          ? { sealed: await reSeal(complaintReplyBinding(r.id), r.sealed, r.keyId), keyId: fresh.keyId }
          : { sealed: null, keyId: null },
      )
      .where('id', '=', r.id)
      .execute();
  }
  await trx
    .updateTable('incidentEvents')
    .set({ sealed: null, keyId: null })
    .where('incidentId', 'in', trx.selectFrom('incidents').select('id').where('userId', '=', userId))
    .where('sealed', 'is not', null)
    .execute();
}

export class SqlDataRightsStore implements DataRightsStore {
  readonly #ctx: SqlContext;

  constructor(ctx: SqlContext) {
    this.#ctx = ctx;
  }

  recordConsents(change: ConsentChange): Promise<ConsentRecord[]> {
    return this.#ctx.run('recordConsents', async () => {
      const records: ConsentRecord[] = consentKinds.flatMap((kind) => {
        const granted = change.changes[kind];
        if (granted === undefined) return [];
        return [
          {
            id: randomUUID(),
            userId: change.userId,
            kind,
            granted,
            textVersion: change.textVersion,
            givenBy: change.givenBy,
            method: change.method,
            at: change.at,
          },
        ];
      });
      if (records.length === 0) return [];
      await this.#ctx.transaction(async (trx) => {
        await trx
          .insertInto('consents')
          .values(records.map((r) => ({ ...r, granted: r.granted ? 1 : 0 })))
          .execute();
        await this.#ctx.appendAuditWithin(trx, consentAudit(records));
      });
      return records;
    });
  }

  listConsents(userId: string): Promise<ConsentRecord[]> {
    return this.#ctx.run('listConsents', async () => {
      const rows = await this.#ctx.db
        .selectFrom('consents')
        .selectAll()
        .where('userId', '=', userId)
        .orderBy('seq')
        .execute();
      return rows.map(toConsent);
    });
  }

  usersWithConsent(kind: ConsentKind): Promise<string[]> {
    return this.#ctx.run('usersWithConsent', async () => {
      const rows = await this.#ctx.db
        .selectFrom('consents')
        .select('userId')
        .distinct()
        .where('kind', '=', kind)
        .orderBy('userId')
        .execute();
      return rows.map((r) => r.userId);
    });
  }

  listUserIds(before: number): Promise<string[]> {
    return this.#ctx.run('listUserIds', async () => {
      const rows = await this.#ctx.db
        .selectFrom('users')
        .select('id')
        .where('createdAt', '<', before)
        .orderBy('id')
        .execute();
      return rows.map((r) => r.id);
    });
  }

  listHistory(
    userId: string,
    options: { characterId?: string; from?: number; to?: number } = {},
  ): Promise<HistoryMessage[]> {
    return this.#ctx.run('listHistory', async () => {
      let query = this.#ctx.db
        .selectFrom('messages')
        .innerJoin('sessions', 'sessions.id', 'messages.sessionId')
        .selectAll('messages')
        .select('sessions.characterId')
        .where('messages.userId', '=', userId);
      if (options.characterId !== undefined)
        query = query.where('sessions.characterId', '=', options.characterId);
      if (options.from !== undefined) query = query.where('messages.createdAt', '>=', options.from);
      if (options.to !== undefined) query = query.where('messages.createdAt', '<', options.to);
      const rows = await query.orderBy('messages.seq').execute();
      const messages = await decryptMessages(this.#ctx, rows);
      return messages.map((m, i) => ({
        id: m.id,
        sessionId: m.sessionId,
        characterId: rows[i]?.characterId ?? '',
        role: m.role,
        author: m.author,
        content: m.content,
        contentId: m.contentId,
        status: m.status,
        createdAt: m.createdAt,
      }));
    });
  }

  deleteHistory(request: HistoryDeletion): Promise<DeletionReceipt> {
    const { userId, characterId, at } = request;
    const ctx = this.#ctx;
    return ctx.run('deleteHistory', async () => {
      const destroyed: { keyId: string; userId: string; characterId: string }[] = [];
      const receipt = await ctx.transaction(async (trx) => {
        // Sessions first (the lock order of a turn: session, then keys): their new version makes every
        // instance drop the history it cached for them, and a turn racing this deletion retry.
        let sessions = trx
          .updateTable('sessions')
          .set((eb) => ({ version: eb('version', '+', 1) }))
          .where('userId', '=', userId);
        if (characterId !== null) sessions = sessions.where('characterId', '=', characterId);
        await sessions.execute();
        // A full deletion destroys every key of the user, the user-wide one too (it sealed the messages
        // before migration 0008, contacts, notification facts and hand-back notes); one character's, that
        // character's key only.
        let keys = trx.selectFrom('userKeys').selectAll().where('userId', '=', userId);
        keys =
          characterId === null
            ? keys
            : keys.where('characterId', '=', characterId).where('characterId', '!=', '');
        const keyRows = await keys.execute();
        const keyIds = keyRows.map((k) => k.id);
        // Keys before the rows they sealed: on PostgreSQL this waits for the writers of user-wide records
        // holding a share lock on them (so the statements below see their rows), and a turn that commits a
        // message under one of them from now on fails its foreign key check (migration 0011) and retries.
        if (keyIds.length > 0) await trx.deleteFrom('userKeys').where('id', 'in', keyIds).execute();
        if (characterId === null) await reSealUserWideRecords(ctx, trx, userId, keyRows, at);
        let messages = trx.deleteFrom('messages').where('userId', '=', userId);
        if (characterId !== null) {
          const sessions = trx
            .selectFrom('sessions')
            .select('id')
            .where('userId', '=', userId)
            .where('characterId', '=', characterId);
          messages = messages.where((eb) =>
            keyIds.length > 0
              ? eb.or([eb('sessionId', 'in', sessions), eb('keyId', 'in', keyIds)])
              : eb('sessionId', 'in', sessions),
          );
        }
        const removed = await messages.returning('keyId').execute();
        const retained = [...new Set(removed.map((r) => r.keyId))]
          .filter((id) => !keyIds.includes(id))
          .sort();
        const facts: DeletionFacts = {
          userId,
          characterId,
          at,
          messagesDeleted: removed.length,
          keysDestroyed: [...keyIds].sort(),
          keysRetained: retained,
        };
        const events = await ctx.appendAuditWithin(trx, request.audit(facts));
        const first = events[0];
        if (!first) throw new CgError('internal', 'A history deletion must append its audit event.');
        const signed = request.receipt(facts, { seq: first.seq, hash: first.hash });
        await trx
          .insertInto('deletionReceipts')
          .values({ id: signed.id, userId, characterId, at, receipt: JSON.stringify(signed) })
          .execute();
        for (const k of keyRows) destroyed.push({ keyId: k.id, userId, characterId: k.characterId });
        return signed;
      });
      ctx.forgetKeys(destroyed);
      return receipt;
    });
  }

  listReceipts(options: { userId?: string; from?: number; to?: number } = {}): Promise<DeletionReceipt[]> {
    return this.#ctx.run('listReceipts', async () => {
      let query = this.#ctx.db.selectFrom('deletionReceipts').select('receipt');
      if (options.userId !== undefined) query = query.where('userId', '=', options.userId);
      if (options.from !== undefined) query = query.where('at', '>=', options.from);
      if (options.to !== undefined) query = query.where('at', '<', options.to);
      const rows = await query.orderBy('at').orderBy('id').execute();
      return rows.map((r) => JSON.parse(r.receipt) as DeletionReceipt);
    });
  }
}

function toConsent(row: Selectable<ConsentsTable>): ConsentRecord {
  return {
    id: row.id,
    userId: row.userId,
    kind: row.kind as ConsentKind,
    granted: row.granted === 1,
    textVersion: row.textVersion,
    givenBy: row.givenBy as ConsentGiver,
    method: row.method,
    at: Number(row.at),
  };
}
