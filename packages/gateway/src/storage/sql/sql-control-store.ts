import {
  type AuditInput,
  CgError,
  type NoticeScope,
  type PlannedNoticeScope,
  type ServiceControlStore,
  type ServiceNotice,
  type ServiceSwitch,
  type SwitchScope,
} from '@companion-guard/core';
import type { Selectable } from 'kysely';
import type { NoticesTable, SwitchesTable } from './schema.js';
import type { SqlContext } from './sql-context.js';

/**
 * The SQL ServiceControlStore: `notices` (NOTICE-1) and `switches` (ASSESS-3). Every change commits with its
 * audit event; at most one outage notice is open (a unique index on `open_outage`).
 */
export class SqlControlStore implements ServiceControlStore {
  readonly #ctx: SqlContext;

  constructor(ctx: SqlContext) {
    this.#ctx = ctx;
  }

  scheduleNotice(
    notice: {
      id: string;
      scope: PlannedNoticeScope;
      target: string;
      effectiveAt: number;
      reason: string | null;
      staffId: string;
      now: number;
    },
    audit: readonly AuditInput[] = [],
  ): Promise<ServiceNotice> {
    const { id, scope, target, effectiveAt, reason, staffId, now } = notice;
    return this.#ctx.run('controls.scheduleNotice', () =>
      this.#ctx.transaction(async (trx) => {
        const row: NoticesTable = {
          id,
          scope,
          target,
          effectiveAt,
          createdAt: now,
          createdBy: staffId,
          reason,
          cancelledAt: null,
          cancelledBy: null,
          openOutage: null,
        };
        await trx.insertInto('notices').values(row).execute();
        await this.#ctx.appendAuditWithin(trx, [
          {
            type: 'notice-scheduled',
            requirement: 'NOTICE-1',
            at: now,
            data: { noticeId: id, scope, target, effectiveAt: new Date(effectiveAt).toISOString(), staffId },
          },
          ...audit,
        ]);
        return toNotice(row);
      }),
    );
  }

  cancelNotice(id: string, by: { staffId: string; now: number }): Promise<ServiceNotice> {
    return this.#ctx.run('controls.cancelNotice', () =>
      this.#ctx.transaction(async (trx) => {
        const query = trx.selectFrom('notices').selectAll().where('id', '=', id);
        const row = await (this.#ctx.dialect === 'postgres' ? query.forUpdate() : query).executeTakeFirst();
        if (!row) throw new CgError('not-found', `No notice ${id}.`);
        if (row.cancelledAt !== null) throw new CgError('notice-cancelled');
        const change = { cancelledAt: by.now, cancelledBy: by.staffId, openOutage: null };
        await trx.updateTable('notices').set(change).where('id', '=', id).execute();
        const data = { noticeId: id, scope: row.scope, target: row.target, staffId: by.staffId };
        await this.#ctx.appendAuditWithin(trx, [
          row.scope === 'outage'
            ? { type: 'outage-notice-lifted', requirement: 'NOTICE-1', at: by.now, data }
            : { type: 'notice-cancelled', requirement: 'NOTICE-1', at: by.now, data },
        ]);
        return toNotice({ ...row, ...change });
      }),
    );
  }

  listNotices(filter: { open?: boolean; limit?: number } = {}): Promise<ServiceNotice[]> {
    return this.#ctx.run('controls.listNotices', async () => {
      let query = this.#ctx.db.selectFrom('notices').selectAll();
      if (filter.open) query = query.where('cancelledAt', 'is', null);
      const rows = await query
        .orderBy('createdAt', 'desc')
        .orderBy('id', 'desc')
        .limit(filter.limit ?? 200)
        .execute();
      return rows.map(toNotice);
    });
  }

  raiseOutage(outage: {
    id: string;
    failingSince: number;
    now: number;
  }): Promise<{ notice: ServiceNotice; created: boolean }> {
    const { id, failingSince, now } = outage;
    return this.#ctx.run('controls.raiseOutage', () =>
      this.#ctx.transaction(async (trx) => {
        const row: NoticesTable = {
          id,
          scope: 'outage',
          target: '',
          effectiveAt: failingSince,
          createdAt: now,
          createdBy: 'gateway',
          reason: null,
          cancelledAt: null,
          cancelledBy: null,
          openOutage: 1,
        };
        const inserted = await trx
          .insertInto('notices')
          .values(row)
          .onConflict((oc) => oc.column('openOutage').doNothing())
          .executeTakeFirst();
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) {
          const open = await trx
            .selectFrom('notices')
            .selectAll()
            .where('openOutage', '=', 1)
            .executeTakeFirstOrThrow();
          return { notice: toNotice(open), created: false };
        }
        await this.#ctx.appendAuditWithin(trx, [
          {
            type: 'outage-notice-raised',
            requirement: 'NOTICE-1',
            at: now,
            data: { noticeId: id, failingSince: new Date(failingSince).toISOString() },
          },
        ]);
        return { notice: toNotice(row), created: true };
      }),
    );
  }

  liftOutage(now: number): Promise<ServiceNotice | null> {
    return this.#ctx.run('controls.liftOutage', () =>
      this.#ctx.transaction(async (trx) => {
        const query = trx.selectFrom('notices').selectAll().where('openOutage', '=', 1);
        const row = await (this.#ctx.dialect === 'postgres' ? query.forUpdate() : query).executeTakeFirst();
        if (!row) return null;
        const change = { cancelledAt: now, cancelledBy: 'gateway', openOutage: null };
        await trx.updateTable('notices').set(change).where('id', '=', row.id).execute();
        await this.#ctx.appendAuditWithin(trx, [
          {
            type: 'outage-notice-lifted',
            requirement: 'NOTICE-1',
            at: now,
            data: { noticeId: row.id, scope: 'outage', target: '', staffId: 'gateway' },
          },
        ]);
        return toNotice({ ...row, ...change });
      }),
    );
  }

  setSwitch(change: {
    scope: SwitchScope;
    target: string;
    off: boolean;
    changeId: string;
    reason: string;
    staffId: string;
    now: number;
  }): Promise<ServiceSwitch> {
    const { scope, target, off, changeId, reason, staffId, now } = change;
    return this.#ctx.run('controls.setSwitch', () =>
      this.#ctx.transaction(async (trx) => {
        const query = trx
          .selectFrom('switches')
          .selectAll()
          .where('scope', '=', scope)
          .where('target', '=', target);
        const before = await (this.#ctx.dialect === 'postgres'
          ? query.forUpdate()
          : query
        ).executeTakeFirst();
        if ((before?.off === 1) === off) throw new CgError('switch-unchanged');
        const row: SwitchesTable = {
          scope,
          target,
          off: off ? 1 : 0,
          changeId,
          reason,
          changedBy: staffId,
          changedAt: now,
        };
        // Two first switch-offs racing: the loser's insert fails on the primary key (a store error, retried by
        // the caller), never two rows.
        if (before) {
          await trx
            .updateTable('switches')
            .set(row)
            .where('scope', '=', scope)
            .where('target', '=', target)
            .execute();
        } else {
          await trx.insertInto('switches').values(row).execute();
        }
        const data = { scope, target, changeId, reason, staffId };
        await this.#ctx.appendAuditWithin(trx, [
          off
            ? { type: 'switch-off', requirement: 'ASSESS-3', at: now, data }
            : { type: 'switch-on', requirement: 'ASSESS-3', at: now, data },
        ]);
        return toSwitch(row);
      }),
    );
  }

  listSwitches(): Promise<ServiceSwitch[]> {
    return this.#ctx.run('controls.listSwitches', async () => {
      const rows = await this.#ctx.db
        .selectFrom('switches')
        .selectAll()
        .orderBy('changedAt', 'desc')
        .orderBy('scope')
        .orderBy('target')
        .execute();
      return rows.map(toSwitch);
    });
  }
}

const noticeScopes: readonly string[] = ['character', 'function', 'service', 'outage'];
const switchScopes: readonly string[] = ['character', 'function', 'service'];

function toNotice(row: Selectable<NoticesTable>): ServiceNotice {
  if (!noticeScopes.includes(row.scope))
    throw new CgError('store-error', `Notice ${row.id} has a bad scope.`);
  return {
    id: row.id,
    scope: row.scope as NoticeScope,
    target: row.target,
    effectiveAt: Number(row.effectiveAt),
    createdAt: Number(row.createdAt),
    createdBy: row.createdBy,
    reason: row.reason,
    cancelledAt: row.cancelledAt === null ? null : Number(row.cancelledAt),
    cancelledBy: row.cancelledBy,
  };
}

function toSwitch(row: Selectable<SwitchesTable>): ServiceSwitch {
  if (!switchScopes.includes(row.scope)) throw new CgError('store-error', 'A switch has a bad scope.');
  return {
    scope: row.scope as SwitchScope,
    target: row.target,
    off: Number(row.off) === 1,
    changeId: row.changeId,
    reason: row.reason,
    changedBy: row.changedBy,
    changedAt: Number(row.changedAt),
  };
}
