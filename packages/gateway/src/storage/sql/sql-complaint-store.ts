import {
  type AuditInput,
  CgError,
  type Complaint,
  type ComplaintFilter,
  type ComplaintKind,
  type ComplaintReply,
  type ComplaintStatus,
  type ComplaintStore,
  type ComplaintSummary,
  complaintKinds,
  complaintStatuses,
  minorModeRef,
} from '@companion-guard/core';
import { type Kysely, type Selectable, sql } from 'kysely';
import { decryptContent, encryptContent } from '../envelope-cipher.js';
import type { ComplaintRepliesTable, ComplaintsTable, Database } from './schema.js';
import { appealBinding, decideAppealWithin, fileAppealWithin } from './sql-appeal-store.js';
import type { SqlContext } from './sql-context.js';

/**
 * What a complaint's sealed text is bound to. A minor-mode appeal shares its sealed text with the MINOR-5
 * appeal row of the same id, so it keeps the appeal's binding.
 */
export const complaintBinding = (c: { id: string; kind: string; ref: string | null }): string =>
  c.kind === 'appeal' && c.ref === minorModeRef ? appealBinding(c.id) : `complaint:${c.id}`;

/** What a reply's sealed text is bound to. */
export const complaintReplyBinding = (replyId: string): string => `complaint-reply:${replyId}`;

const closed = (status: string) => status === 'resolved' || status === 'rejected';
const isMinorAppeal = (c: { kind: string; ref: string | null }) =>
  c.kind === 'appeal' && c.ref === minorModeRef;

/** Locks the user's row (PostgreSQL): every complaint write of a user takes it first, as appeals do. */
async function lockUser(ctx: SqlContext, trx: Kysely<Database>, userId: string): Promise<void> {
  const select = trx.selectFrom('users').select('id').where('id', '=', userId);
  const user = await (ctx.dialect === 'postgres' ? select.forUpdate() : select).executeTakeFirst();
  if (!user) throw new CgError('not-found', `No user ${userId}.`);
}

/** The complaint `id`, read after its user's lock (so it cannot change until commit). */
async function lockedComplaint(
  ctx: SqlContext,
  trx: Kysely<Database>,
  id: string,
): Promise<Selectable<ComplaintsTable>> {
  const found = await trx.selectFrom('complaints').select('userId').where('id', '=', id).executeTakeFirst();
  if (!found) throw new CgError('not-found', `No complaint ${id}.`);
  await lockUser(ctx, trx, found.userId);
  return trx.selectFrom('complaints').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

const statusEvent = (
  row: Selectable<ComplaintsTable>,
  to: ComplaintStatus,
  staffId: string,
  now: number,
  reason: string | null,
): AuditInput => ({
  type: 'complaint-status',
  requirement: 'COMPLAINT-1',
  at: now,
  userId: row.userId,
  data: { complaintId: row.id, kind: row.kind, from: row.status, to, staffId, withReason: reason !== null },
});

/**
 * Inside the caller's transaction, with the user's row locked: closes the complaint of a MINOR-5 appeal
 * decided through `AppealStore.decide`. Returns the event to append; none when there is no such complaint
 * or it is closed already.
 */
export async function closeComplaintWithin(
  _ctx: SqlContext,
  trx: Kysely<Database>,
  id: string,
  change: { status: 'resolved' | 'rejected'; reason: string; staffId: string; now: number },
): Promise<AuditInput[]> {
  const row = await trx.selectFrom('complaints').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row || closed(row.status)) return [];
  const { status, reason, staffId, now } = change;
  await trx
    .updateTable('complaints')
    .set({
      status,
      reason,
      closedAt: now,
      closedBy: staffId,
      acknowledgedAt: row.acknowledgedAt ?? now,
    })
    .where('id', '=', id)
    .execute();
  return [statusEvent(row, status, staffId, now, reason)];
}

/**
 * The SQL ComplaintStore: `complaints` (one row each, the user's words sealed) and `complaint_replies`;
 * `users.complaint_reply_pending` flags a user with a reply to show. A minor-mode appeal is also a row of
 * `appeals` (same id, same sealed text), filed and decided in the same transaction.
 */
export class SqlComplaintStore implements ComplaintStore {
  readonly #ctx: SqlContext;

  constructor(ctx: SqlContext) {
    this.#ctx = ctx;
  }

  file(
    complaint: {
      id: string;
      userId: string;
      kind: ComplaintKind;
      ref: string | null;
      text: string | null;
      now: number;
      acknowledgeBy: number;
      resolveBy: number;
    },
    audit: readonly AuditInput[] = [],
  ): Promise<{ complaint: Complaint; created: boolean }> {
    const { id, userId, kind, ref, text, now } = complaint;
    const ctx = this.#ctx;
    return ctx.run('complaints.file', async () => {
      const filed = await ctx.transactionWithLiveKeys(
        async () => {
          const key = text === null ? null : await ctx.dataKeyForUser(userId, now);
          const sealed =
            key && text !== null ? encryptContent(key.key, complaintBinding(complaint), text) : null;
          return { sealed: { sealed, keyId: key?.keyId ?? null }, keyIds: new Set(key ? [key.keyId] : []) };
        },
        async (trx, { sealed, keyId }) => {
          const row: ComplaintsTable = {
            id,
            userId,
            kind,
            ref,
            status: 'open',
            sealed,
            keyId,
            filedAt: now,
            acknowledgeBy: complaint.acknowledgeBy,
            resolveBy: complaint.resolveBy,
            acknowledgedAt: null,
            assignee: null,
            closedAt: null,
            closedBy: null,
            reason: null,
          };
          const events: AuditInput[] = [
            {
              type: 'complaint-filed',
              requirement: 'COMPLAINT-1',
              at: now,
              userId,
              data: { complaintId: id, kind, ref, withText: text !== null },
            },
            ...audit,
          ];
          if (isMinorAppeal(complaint)) {
            // MINOR-5: the appeal row of the same id, with its checks; the user's open appeal comes back.
            const appeal = await fileAppealWithin(
              ctx,
              trx,
              { id, userId, kind: 'minor-mode', sealed, keyId, now },
              events,
            );
            if (!appeal.created) {
              // Every appeal is a complaint of the same id (migration 0012 brought the older ones over).
              const open = await trx
                .selectFrom('complaints')
                .selectAll()
                .where('id', '=', appeal.row.id)
                .executeTakeFirstOrThrow();
              return { row: open, created: false };
            }
          } else {
            await lockUser(ctx, trx, userId);
            await ctx.appendAuditWithin(trx, events);
          }
          await trx.insertInto('complaints').values(row).execute();
          return { row, created: true };
        },
      );
      const [opened] = filed.created ? [toComplaint(filed.row, text, [])] : await this.#read([filed.row]);
      if (!opened) throw new CgError('store-error', `Complaint ${id} could not be read.`);
      return { complaint: opened, created: filed.created };
    });
  }

  list(filter: ComplaintFilter = {}): Promise<Complaint[]> {
    return this.#ctx.run('complaints.list', async () => {
      let query = this.#ctx.db.selectFrom('complaints').selectAll();
      if (filter.status) query = query.where('status', '=', filter.status);
      if (filter.userId) query = query.where('userId', '=', filter.userId);
      if (filter.assignee !== undefined) {
        query =
          filter.assignee === null
            ? query.where('assignee', 'is', null)
            : query.where('assignee', '=', filter.assignee);
      }
      const at = filter.overdueAt;
      if (at !== undefined) {
        query = query
          .where('status', 'in', ['open', 'in-progress'])
          .where((eb) =>
            eb.or([
              eb('resolveBy', '<', at),
              eb.and([eb('acknowledgedAt', 'is', null), eb('acknowledgeBy', '<', at)]),
            ]),
          );
      }
      const rows = await query
        .orderBy('filedAt', 'desc')
        .orderBy('id')
        .limit(filter.limit ?? 100)
        .execute();
      return this.#read(rows);
    });
  }

  get(id: string): Promise<Complaint | undefined> {
    return this.#ctx.run('complaints.get', async () => {
      const row = await this.#ctx.db
        .selectFrom('complaints')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return row ? (await this.#read([row]))[0] : undefined;
    });
  }

  assign(
    id: string,
    change: { assignee: string; staffId: string; now: number },
    audit: readonly AuditInput[] = [],
  ): Promise<Complaint> {
    const { assignee, staffId, now } = change;
    return this.#change('complaints.assign', async (trx) => {
      const row = await lockedComplaint(this.#ctx, trx, id);
      if (closed(row.status)) throw new CgError('complaint-closed');
      const set = { assignee, acknowledgedAt: row.acknowledgedAt ?? now };
      await trx.updateTable('complaints').set(set).where('id', '=', id).execute();
      await this.#ctx.appendAuditWithin(trx, [
        {
          type: 'complaint-assigned',
          requirement: 'COMPLAINT-1',
          at: now,
          userId: row.userId,
          data: { complaintId: id, kind: row.kind, assignee, staffId },
        },
        ...audit,
      ]);
      return { ...row, ...set };
    });
  }

  setStatus(
    id: string,
    change: { status: Exclude<ComplaintStatus, 'open'>; reason: string | null; staffId: string; now: number },
    audit: readonly AuditInput[] = [],
  ): Promise<Complaint> {
    const { status, staffId, now } = change;
    const reason = change.reason?.trim() || null;
    return this.#change('complaints.setStatus', async (trx) => {
      const row = await lockedComplaint(this.#ctx, trx, id);
      if (closed(row.status)) throw new CgError('complaint-closed');
      if (status === 'in-progress' && row.status !== 'open') {
        throw new CgError('invalid-request', 'status: the complaint is in progress already.');
      }
      const closing = closed(status);
      if (closing && reason === null) {
        throw new CgError('invalid-request', 'reason: closing a complaint needs a reason.');
      }
      const events: AuditInput[] = [statusEvent(row, status, staffId, now, reason)];
      if (closing && reason !== null && isMinorAppeal(row)) {
        const appeal = await trx
          .selectFrom('appeals')
          .select('status')
          .where('id', '=', id)
          .executeTakeFirst();
        if (appeal?.status === 'open') {
          // MINOR-5: resolving the appeal upholds it (minor mode ends), rejecting rejects it.
          const outcome = status === 'resolved' ? 'upheld' : 'rejected';
          const decided = await decideAppealWithin(this.#ctx, trx, id, row.userId, {
            outcome,
            reason,
            staffId,
            now,
          });
          events.push(...decided.events);
        }
      }
      const set = {
        status,
        acknowledgedAt: row.acknowledgedAt ?? now,
        ...(closing ? { closedAt: now, closedBy: staffId, reason } : {}),
      };
      await trx.updateTable('complaints').set(set).where('id', '=', id).execute();
      await this.#ctx.appendAuditWithin(trx, [...events, ...audit]);
      return { ...row, ...set };
    });
  }

  reply(
    id: string,
    reply: { id: string; text: string; staffId: string; now: number },
    audit: readonly AuditInput[] = [],
  ): Promise<Complaint> {
    const ctx = this.#ctx;
    const { staffId, now, text } = reply;
    return ctx.run('complaints.reply', async () => {
      const owner = await ctx.db
        .selectFrom('complaints')
        .select('userId')
        .where('id', '=', id)
        .executeTakeFirst();
      if (!owner) throw new CgError('not-found', `No complaint ${id}.`);
      const { userId } = owner;
      const row = await ctx.transactionWithLiveKeys(
        async () => {
          const key = await ctx.dataKeyForUser(userId, now);
          const sealed = encryptContent(key.key, complaintReplyBinding(reply.id), text);
          return { sealed: { sealed, keyId: key.keyId }, keyIds: new Set([key.keyId]) };
        },
        async (trx, { sealed, keyId }) => {
          const found = await lockedComplaint(ctx, trx, id);
          await trx
            .insertInto('complaintReplies')
            .values({ id: reply.id, complaintId: id, userId, staffId, sealed, keyId, at: now, shownAt: null })
            .execute();
          const set = { acknowledgedAt: found.acknowledgedAt ?? now };
          await trx.updateTable('complaints').set(set).where('id', '=', id).execute();
          await trx.updateTable('users').set({ complaintReplyPending: 1 }).where('id', '=', userId).execute();
          await ctx.appendAuditWithin(trx, [
            {
              type: 'complaint-replied',
              requirement: 'COMPLAINT-1',
              at: now,
              userId,
              data: { complaintId: id, kind: found.kind, replyId: reply.id, staffId },
            },
            ...audit,
          ]);
          return { ...found, ...set };
        },
      );
      const [read] = await this.#read([row]);
      if (!read) throw new CgError('store-error', `Complaint ${id} could not be read.`);
      return read;
    });
  }

  takeReplies(userId: string, now: number): Promise<Array<{ complaint: Complaint; reply: ComplaintReply }>> {
    const ctx = this.#ctx;
    return ctx.run('complaints.takeReplies', async () => {
      const taken = await ctx.transaction(async (trx) => {
        await lockUser(ctx, trx, userId);
        const rows = await trx
          .selectFrom('complaintReplies')
          .select(['id', 'complaintId'])
          .where('userId', '=', userId)
          .where('shownAt', 'is', null)
          .orderBy('at')
          .orderBy('id')
          .execute();
        await trx.updateTable('users').set({ complaintReplyPending: 0 }).where('id', '=', userId).execute();
        if (rows.length === 0) return [];
        const ids = rows.map((r) => r.id);
        await trx.updateTable('complaintReplies').set({ shownAt: now }).where('id', 'in', ids).execute();
        const complaints = await trx
          .selectFrom('complaints')
          .selectAll()
          .where('id', 'in', [...new Set(rows.map((r) => r.complaintId))])
          .execute();
        await ctx.appendAuditWithin(
          trx,
          rows.map((r) => ({
            type: 'complaint-reply-shown',
            requirement: 'COMPLAINT-1',
            at: now,
            userId,
            data: { complaintId: r.complaintId, replyId: r.id },
          })),
        );
        return { rows, complaints };
      });
      if (!('rows' in taken)) return [];
      const read = new Map((await this.#read(taken.complaints)).map((c) => [c.id, c]));
      return taken.rows.flatMap((r) => {
        const complaint = read.get(r.complaintId);
        const reply = complaint?.replies.find((x) => x.id === r.id);
        return complaint && reply ? [{ complaint, reply }] : [];
      });
    });
  }

  ownsContent(userId: string, contentId: string): Promise<boolean> {
    return this.#ctx.run('complaints.ownsContent', async () => {
      const row = await this.#ctx.db
        .selectFrom('messages')
        .select('id')
        .where('userId', '=', userId)
        .where('contentId', '=', contentId)
        .executeTakeFirst();
      return row !== undefined;
    });
  }

  summary(period: { from: number; to: number; now: number }): Promise<ComplaintSummary> {
    const { from, to, now } = period;
    return this.#ctx.run('complaints.summary', async () => {
      const window = this.#ctx.db
        .selectFrom('complaints')
        .where('filedAt', '>=', from)
        .where('filedAt', '<', to);
      const counts = await window
        .select((eb) => [
          'kind',
          eb.fn.countAll<number | string>().as('received'),
          sql<
            number | string
          >`sum(case when closed_at is not null and closed_at <= ${now} then 1 else 0 end)`.as('resolved'),
          sql<
            number | string
          >`sum(case when closed_at is not null and closed_at <= ${now} and closed_at <= resolve_by then 1 else 0 end)`.as(
            'onTime',
          ),
          sql<
            number | string
          >`sum(case when (closed_at is null or closed_at > ${now}) and resolve_by < ${now} then 1 else 0 end)`.as(
            'overdue',
          ),
        ])
        .groupBy('kind')
        .execute();
      // The median needs the durations themselves: complaints are few.
      const durations = (
        await window
          .select(sql<number | string>`closed_at - filed_at`.as('took'))
          .where('closedAt', 'is not', null)
          .where('closedAt', '<=', now)
          .orderBy(sql`closed_at - filed_at`)
          .execute()
      ).map((r) => Number(r.took));
      const byKind: Record<ComplaintKind, number> = { complaint: 0, report: 0, appeal: 0 };
      let received = 0;
      let resolved = 0;
      let resolvedOnTime = 0;
      let overdueOpen = 0;
      for (const row of counts) {
        if ((complaintKinds as readonly string[]).includes(row.kind)) {
          byKind[row.kind as ComplaintKind] = Number(row.received);
        }
        received += Number(row.received);
        resolved += Number(row.resolved ?? 0);
        resolvedOnTime += Number(row.onTime ?? 0);
        overdueOpen += Number(row.overdue ?? 0);
      }
      return {
        received,
        byKind,
        resolved,
        resolvedOnTime,
        overdueOpen,
        medianResolveHours: median(durations),
      };
    });
  }

  /** One transaction of a change to an existing complaint; the result is read back with its replies. */
  #change(
    op: string,
    work: (trx: Kysely<Database>) => Promise<Selectable<ComplaintsTable>>,
  ): Promise<Complaint> {
    return this.#ctx.run(op, async () => {
      const row = await this.#ctx.transaction(work);
      const [read] = await this.#read([row]);
      if (!read) throw new CgError('store-error', `Complaint ${row.id} could not be read.`);
      return read;
    });
  }

  /**
   * The complaints with their replies, texts opened (outside any transaction: the keys are read through the
   * pool); a text whose data key a deletion destroyed reads as null.
   */
  async #read(rows: readonly Selectable<ComplaintsTable>[]): Promise<Complaint[]> {
    if (rows.length === 0) return [];
    const replies = await this.#ctx.db
      .selectFrom('complaintReplies')
      .selectAll()
      .where(
        'complaintId',
        'in',
        rows.map((r) => r.id),
      )
      .orderBy('at')
      .orderBy('id')
      .execute();
    const keyIds = new Set([...rows, ...replies].flatMap((r) => (r.keyId && r.sealed ? [r.keyId] : [])));
    const keys = keyIds.size > 0 ? await this.#ctx.dataKeysById(keyIds) : new Map();
    const open = (sealed: Uint8Array | null, keyId: string | null, binding: string) => {
      const key = keyId ? keys.get(keyId) : undefined;
      return key && sealed ? decryptContent(key.key, binding, sealed) : null;
    };
    return rows.map((row) =>
      toComplaint(
        row,
        open(row.sealed, row.keyId, complaintBinding(row)),
        replies
          .filter((r) => r.complaintId === row.id)
          .map((r) => toReply(r, open(r.sealed, r.keyId, complaintReplyBinding(r.id)))),
      ),
    );
  }
}

function median(sorted: readonly number[]): number | null {
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  const ms = sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return Math.round((ms / 3_600_000) * 10) / 10;
}

function toReply(row: Selectable<ComplaintRepliesTable>, text: string | null): ComplaintReply {
  return {
    id: row.id,
    complaintId: row.complaintId,
    staffId: row.staffId,
    text,
    at: Number(row.at),
    shownAt: row.shownAt === null ? null : Number(row.shownAt),
  };
}

function toComplaint(
  row: Selectable<ComplaintsTable>,
  text: string | null,
  replies: readonly ComplaintReply[],
): Complaint {
  const num = (v: number | null) => (v === null ? null : Number(v));
  return {
    id: row.id,
    userId: row.userId,
    kind: (complaintKinds as readonly string[]).includes(row.kind)
      ? (row.kind as ComplaintKind)
      : 'complaint',
    ref: row.ref,
    status: (complaintStatuses as readonly string[]).includes(row.status)
      ? (row.status as ComplaintStatus)
      : 'open',
    text,
    filedAt: Number(row.filedAt),
    acknowledgeBy: Number(row.acknowledgeBy),
    resolveBy: Number(row.resolveBy),
    acknowledgedAt: num(row.acknowledgedAt),
    assignee: row.assignee,
    closedAt: num(row.closedAt),
    closedBy: row.closedBy,
    reason: row.reason,
    replies,
  };
}
