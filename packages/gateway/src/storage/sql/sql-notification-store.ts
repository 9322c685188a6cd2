import { createHmac } from 'node:crypto';
import {
  type AuditInput,
  CgError,
  type ClaimedNotification,
  type NewNotification,
  type NotificationAttempt,
  type NotificationAttemptResult,
  type NotificationAudience,
  type NotificationChannel,
  type NotificationFacts,
  type NotificationKind,
  type NotificationRecord,
  type NotificationState,
  type NotificationStore,
  type RequirementId,
  statsCounter,
} from '@companion-guard/core';
import type { Insertable, Selectable } from 'kysely';
import { decryptContent, encryptContent } from '../envelope-cipher.js';
import type { NotificationsTable } from './schema.js';
import type { SqlContext } from './sql-context.js';

/** What sealed facts are bound to: their row, so they cannot be moved to another notification unnoticed. */
export const factsBinding = (id: string): string => `notification:${id}`;

/**
 * The SQL NotificationStore: one row per notification, facts sealed under the user's data key; claims are
 * compare-and-set updates on `attempts`, so instances sharing the database never claim the same attempt.
 */
export class SqlNotificationStore implements NotificationStore {
  readonly #ctx: SqlContext;
  constructor(ctx: SqlContext) {
    this.#ctx = ctx;
  }

  enqueue(
    notifications: readonly NewNotification[],
    audit: (queued: readonly NotificationRecord[]) => readonly AuditInput[],
  ): Promise<NotificationRecord[]> {
    return this.#ctx.run('enqueueNotifications', async () => {
      if (notifications.length === 0) return [];
      return this.#ctx.transactionWithLiveKeys(
        () => this.#sealFacts(notifications),
        async (trx, rows) => {
          const inserted = await trx
            .insertInto('notifications')
            .values(rows)
            .onConflict((oc) => oc.column('idempotencyKey').doNothing())
            .returning('id')
            .execute();
          const added = new Set(inserted.map((r) => r.id));
          const queued = rows
            .filter((row) => added.has(row.id))
            .map((row) => {
              const n = notifications.find((candidate) => candidate.id === row.id) as NewNotification;
              return toRecord(row as Selectable<NotificationsTable>, n.facts);
            });
          await this.#ctx.appendAuditWithin(trx, audit(queued));
          return queued;
        },
      );
    });
  }

  /** The rows of `notifications`, facts sealed under each user's user-wide key. */
  async #sealFacts(notifications: readonly NewNotification[]) {
    const rows: Insertable<NotificationsTable>[] = [];
    for (const n of notifications) {
      const { keyId, key } = await this.#ctx.dataKeyForUser(n.userId, n.createdAt);
      rows.push({
        id: n.id,
        idempotencyKey: this.#idempotencyKey(n),
        incidentId: n.incidentId,
        userId: n.userId,
        kind: n.kind,
        audience: n.audience,
        channel: n.channel,
        requirement: n.requirement,
        sealed: encryptContent(key, factsBinding(n.id), JSON.stringify(n.facts)),
        keyId,
        state: 'pending',
        attempts: 0,
        dueAt: n.createdAt,
        createdAt: n.createdAt,
        updatedAt: n.createdAt,
      });
    }
    return { sealed: rows, keyIds: new Set(rows.map((r) => r.keyId)) };
  }

  claimDue(now: number, options: { limit: number; leaseMs: number }): Promise<ClaimedNotification[]> {
    return this.#ctx.run('claimDueNotifications', async () => {
      const { db } = this.#ctx;
      const candidates = await db
        .selectFrom('notifications')
        .select(['id', 'attempts'])
        .where('state', 'in', ['pending', 'sending'])
        .where('dueAt', '<=', now)
        .orderBy('dueAt')
        .limit(Math.max(0, Math.floor(options.limit)))
        .execute();
      const claimed: Selectable<NotificationsTable>[] = [];
      for (const candidate of candidates) {
        const row = await db
          .updateTable('notifications')
          .set({
            state: 'sending',
            attempts: candidate.attempts + 1,
            dueAt: now + options.leaseMs,
            updatedAt: now,
          })
          .where('id', '=', candidate.id)
          .where('attempts', '=', candidate.attempts)
          .where('state', 'in', ['pending', 'sending'])
          .where('dueAt', '<=', now)
          .returningAll()
          .executeTakeFirst();
        if (row) claimed.push(row);
      }
      const facts = await this.#openFacts(claimed);
      return claimed.map((row, i) => ({
        ...toRecord(row, facts[i] as NotificationFacts),
        attempt: row.attempts,
      }));
    });
  }

  recordAttempt(result: NotificationAttemptResult, audit: readonly AuditInput[]): Promise<boolean> {
    return this.#ctx.run('recordNotificationAttempt', async () => {
      if (result.outcome === 'retry' && result.nextAttemptAt === undefined) {
        throw new CgError('internal', 'A retry needs the time of the next attempt.');
      }
      return this.#ctx.transaction(async (trx) => {
        await trx
          .insertInto('notificationAttempts')
          .values({
            notificationId: result.notificationId,
            attempt: result.attempt,
            at: result.at,
            outcome: result.outcome,
            errorCode: result.errorCode,
          })
          .execute();
        const state: NotificationState = result.outcome === 'retry' ? 'pending' : result.outcome;
        const updated = await trx
          .updateTable('notifications')
          .set({ state, dueAt: result.nextAttemptAt ?? result.at, updatedAt: result.at })
          .where('id', '=', result.notificationId)
          .where('attempts', '=', result.attempt)
          .where('state', '=', 'sending')
          .executeTakeFirst();
        await this.#ctx.appendAuditWithin(trx, audit);
        const done = Number(updated.numUpdatedRows) === 1;
        // ASSESS-2: a notification that failed for good is counted with its last attempt.
        if (done && result.outcome === 'failed') {
          await this.#ctx.addCounters(trx, [
            { day: this.#ctx.dayOf(result.at), name: statsCounter.notificationFailures, value: 1 },
          ]);
        }
        return done;
      });
    });
  }

  listForIncident(incidentId: string): Promise<(NotificationRecord & { history: NotificationAttempt[] })[]> {
    return this.#ctx.run('listNotifications', async () => {
      const { db } = this.#ctx;
      const rows = await db
        .selectFrom('notifications')
        .selectAll()
        .where('incidentId', '=', incidentId)
        .orderBy('createdAt')
        .orderBy('id')
        .execute();
      if (rows.length === 0) return [];
      const attempts = await db
        .selectFrom('notificationAttempts')
        .selectAll()
        .where(
          'notificationId',
          'in',
          rows.map((r) => r.id),
        )
        .orderBy('attempt')
        .execute();
      const facts = await this.#openFacts(rows);
      return rows.map((row, i) => ({
        ...toRecord(row, facts[i] as NotificationFacts),
        history: attempts
          .filter((a) => a.notificationId === row.id)
          .map((a) => ({
            attempt: a.attempt,
            at: a.at,
            outcome: a.outcome as NotificationAttempt['outcome'],
            errorCode: a.errorCode,
          })),
      }));
    });
  }

  #idempotencyKey(n: NewNotification): string {
    const hash = createHmac('sha256', this.#ctx.indexKeys.notifyTarget)
      .update(`${n.audience}\n${n.facts.target}`)
      .digest('hex')
      .slice(0, 32);
    return `${n.incidentId}:${n.kind}:${n.channel}:${hash}`;
  }

  async #openFacts(rows: readonly Selectable<NotificationsTable>[]): Promise<NotificationFacts[]> {
    const keys = await this.#ctx.dataKeysById(new Set(rows.map((r) => r.keyId)));
    return rows.map((row) => {
      const key = keys.get(row.keyId);
      if (!key || key.userId !== row.userId) {
        throw new CgError('store-error', `The data key of notification ${row.id} is missing (shredded?).`);
      }
      return JSON.parse(decryptContent(key.key, factsBinding(row.id), row.sealed)) as NotificationFacts;
    });
  }
}

function toRecord(row: Selectable<NotificationsTable>, facts: NotificationFacts): NotificationRecord {
  return {
    id: row.id,
    idempotencyKey: row.idempotencyKey,
    incidentId: row.incidentId,
    userId: row.userId,
    kind: row.kind as NotificationKind,
    audience: row.audience as NotificationAudience,
    channel: row.channel as NotificationChannel,
    requirement: row.requirement as RequirementId,
    facts,
    state: row.state as NotificationState,
    attempts: row.attempts,
    dueAt: row.dueAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
