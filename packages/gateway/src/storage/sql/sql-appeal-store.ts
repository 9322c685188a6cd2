import {
  type Appeal,
  type AppealDecision,
  type AppealKind,
  type AppealStatus,
  type AppealStore,
  type AuditInput,
  CgError,
} from '@companion-guard/core';
import type { Kysely, Selectable } from 'kysely';
import { decryptContent } from '../envelope-cipher.js';
import type { AppealsTable, Database } from './schema.js';
import { closeComplaintWithin } from './sql-complaint-store.js';
import type { SqlContext } from './sql-context.js';
import { changeMinorStateWithin, leaveChange } from './sql-minor-store.js';

/** What the sealed text is bound to: it cannot be moved to another appeal. */
export const appealBinding = (appealId: string): string => `appeal:${appealId}`;

const statuses: readonly string[] = ['open', 'upheld', 'rejected'];

/**
 * The SQL AppealStore: one row per appeal in `appeals`; `users.appeal_pending` flags a user whose decided
 * appeal's outcome waits to be shown. Every change locks the user's row first (PostgreSQL), the order the
 * minor store uses, so appeals and minor-mode changes of one user are serialized.
 */
export class SqlAppealStore implements AppealStore {
  readonly #ctx: SqlContext;

  constructor(ctx: SqlContext) {
    this.#ctx = ctx;
  }

  list(filter: { status?: AppealStatus; limit?: number } = {}): Promise<Appeal[]> {
    return this.#ctx.run('appeals.list', async () => {
      let query = this.#ctx.db.selectFrom('appeals').selectAll();
      if (filter.status) query = query.where('status', '=', filter.status);
      const rows = await query
        .orderBy('filedAt', 'desc')
        .orderBy('id')
        .limit(filter.limit ?? 100)
        .execute();
      return this.#toAppeals(rows);
    });
  }

  get(id: string): Promise<Appeal | undefined> {
    return this.#ctx.run('appeals.get', async () => {
      const row = await this.#ctx.db
        .selectFrom('appeals')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return row ? this.#toAppeal(row) : undefined;
    });
  }

  decide(
    id: string,
    decision: { outcome: AppealDecision; reason: string; staffId: string; now: number },
    audit: readonly AuditInput[] = [],
  ): Promise<Appeal> {
    const { outcome, reason, staffId, now } = decision;
    return this.#ctx.run('appeals.decide', async () => {
      const decidedRow = await this.#ctx.transaction(async (trx) => {
        const found = await trx
          .selectFrom('appeals')
          .select('userId')
          .where('id', '=', id)
          .executeTakeFirst();
        if (!found) throw new CgError('not-found', `No appeal ${id}.`);
        const decided = await decideAppealWithin(this.#ctx, trx, id, found.userId, decision);
        // COMPLAINT-1: the appeal is also a complaint (filed through `Store.complaints`): it closes with it.
        const closed = await closeComplaintWithin(this.#ctx, trx, id, {
          status: outcome === 'upheld' ? 'resolved' : 'rejected',
          reason,
          staffId,
          now,
        });
        await this.#ctx.appendAuditWithin(trx, [...decided.events, ...closed, ...audit]);
        return decided.row;
      });
      return this.#toAppeal(decidedRow);
    });
  }

  takeOutcomes(userId: string, now: number): Promise<Appeal[]> {
    return this.#ctx.run('appeals.takeOutcomes', async () => {
      const taken = await this.#ctx.transaction(async (trx) => {
        await changeMinorStateWithin(this.#ctx, trx, userId, () => null);
        const rows = await trx
          .selectFrom('appeals')
          .selectAll()
          .where('userId', '=', userId)
          .where('status', '!=', 'open')
          .where('outcomeShownAt', 'is', null)
          .orderBy('decidedAt')
          .execute();
        await trx.updateTable('users').set({ appealPending: 0 }).where('id', '=', userId).execute();
        if (rows.length === 0) return [];
        const ids = rows.map((r) => r.id);
        await trx.updateTable('appeals').set({ outcomeShownAt: now }).where('id', 'in', ids).execute();
        await this.#ctx.appendAuditWithin(
          trx,
          rows.map((r) => ({
            type: 'appeal-outcome-shown',
            requirement: 'MINOR-5',
            at: now,
            userId,
            data: { appealId: r.id, outcome: r.status },
          })),
        );
        return rows.map((r) => ({ ...r, outcomeShownAt: now }));
      });
      return this.#toAppeals(taken);
    });
  }

  async #toAppeal(row: Selectable<AppealsTable>): Promise<Appeal> {
    const [appeal] = await this.#toAppeals([row]);
    if (!appeal) throw new CgError('store-error', `Appeal ${row.id} could not be read.`);
    return appeal;
  }

  /**
   * Opens the sealed texts (outside any transaction: the keys are read through the pool); a text whose data
   * key a deletion destroyed reads as null.
   */
  async #toAppeals(rows: readonly Selectable<AppealsTable>[]): Promise<Appeal[]> {
    const keyIds = new Set(rows.flatMap((r) => (r.keyId && r.sealed ? [r.keyId] : [])));
    const keys = keyIds.size > 0 ? await this.#ctx.dataKeysById(keyIds) : new Map();
    return rows.map((row) => {
      const key = row.keyId ? keys.get(row.keyId) : undefined;
      const text = key && row.sealed ? decryptContent(key.key, appealBinding(row.id), row.sealed) : null;
      return toAppeal(row, text);
    });
  }
}

function toAppeal(row: Selectable<AppealsTable>, text: string | null): Appeal {
  return {
    id: row.id,
    userId: row.userId,
    kind: 'minor-mode',
    status: statuses.includes(row.status) ? (row.status as AppealStatus) : 'open',
    text,
    filedAt: row.filedAt,
    decidedAt: row.decidedAt,
    decidedBy: row.decidedBy,
    reason: row.reason,
    outcomeShownAt: row.outcomeShownAt,
  };
}

/**
 * Inside the caller's transaction: files the MINOR-5 appeal (the user's row locked first), or returns the
 * user's open one (`created: false`, nothing written). `appeal-filed` and `audit` are appended when created.
 */
export async function fileAppealWithin(
  ctx: SqlContext,
  trx: Kysely<Database>,
  appeal: {
    id: string;
    userId: string;
    kind: AppealKind;
    sealed: Uint8Array | null;
    keyId: string | null;
    now: number;
  },
  audit: readonly AuditInput[],
): Promise<{ row: Selectable<AppealsTable>; created: boolean }> {
  const { id, userId, kind, sealed, keyId, now } = appeal;
  const { before } = await changeMinorStateWithin(ctx, trx, userId, () => null);
  if (before.mode !== 'on' || before.reason !== 'suspected') {
    throw new CgError('appeal-not-allowed');
  }
  const open = await trx
    .selectFrom('appeals')
    .selectAll()
    .where('userId', '=', userId)
    .where('status', '=', 'open')
    .executeTakeFirst();
  if (open) return { row: open, created: false };
  const row: AppealsTable = {
    id,
    userId,
    kind,
    status: 'open',
    sealed,
    keyId,
    filedAt: now,
    decidedAt: null,
    decidedBy: null,
    reason: null,
    outcomeShownAt: null,
  };
  await trx.insertInto('appeals').values(row).execute();
  await ctx.appendAuditWithin(trx, [
    {
      type: 'appeal-filed',
      requirement: 'MINOR-5',
      at: now,
      userId,
      data: { appealId: id, kind, withText: sealed !== null },
    },
    ...audit,
  ]);
  return { row, created: true };
}

/**
 * Inside the caller's transaction: decides the open appeal `id` of `userId` (the user's lock first, as
 * every minor-mode change takes it, then the appeal row). Upheld: minor mode ends and the score goes back
 * to 0. Flags the user's row for the outcome. Returns the decided row and the events to append
 * (`appeal-decided`, then `minor-mode-leave` when the mode ended). `appeal-decided` when decided already.
 */
export async function decideAppealWithin(
  ctx: SqlContext,
  trx: Kysely<Database>,
  id: string,
  userId: string,
  decision: { outcome: AppealDecision; reason: string; staffId: string; now: number },
): Promise<{ row: Selectable<AppealsTable>; events: AuditInput[] }> {
  const { outcome, reason, staffId, now } = decision;
  const { change } = await changeMinorStateWithin(ctx, trx, userId, (before) => {
    if (outcome !== 'upheld') return null;
    const left = leaveChange(before, 'appeal', now);
    const after = { ...(left?.after ?? before), suspicion: 0, updatedAt: now };
    return { after, event: left?.event ?? null };
  });
  const row = await trx.selectFrom('appeals').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  if (row.status !== 'open') throw new CgError('appeal-decided');
  const decided = { status: outcome, decidedAt: now, decidedBy: staffId, reason };
  await trx.updateTable('appeals').set(decided).where('id', '=', id).execute();
  await trx.updateTable('users').set({ appealPending: 1 }).where('id', '=', userId).execute();
  const event: AuditInput = {
    type: 'appeal-decided',
    requirement: 'MINOR-5',
    at: now,
    userId,
    data: { appealId: id, outcome, staffId },
  };
  return { row: { ...row, ...decided }, events: [event, ...(change?.event ? [change.event] : [])] };
}
