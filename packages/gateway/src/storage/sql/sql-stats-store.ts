import {
  type AgeBand,
  type AgeBandCounts,
  type AssessmentStatus,
  type AssessmentTrigger,
  type AssessmentTriggerKind,
  type AuditInput,
  ageBands,
  allTimeDay,
  CgError,
  type ChecklistArea,
  type ChecklistInput,
  type ChecklistItem,
  type FilingPatch,
  type FilingRecord,
  type StatsCounters,
  type StatsStore,
  statsCounter,
} from '@companion-guard/core';
import { sql } from 'kysely';
import type { AssessmentFilingTable, ChecklistItemsTable } from './schema.js';
import type { SqlContext } from './sql-context.js';

const emptyFiling: FilingRecord = {
  filingNumber: null,
  assessmentStatus: 'not-started',
  submittedOn: null,
  lastReviewOn: null,
  nextReviewOn: null,
  note: null,
  updatedAt: null,
  updatedBy: null,
};

/**
 * The SQL StatsStore (ASSESS-1/2/4, GOV-1). The counters are written by the other stores through
 * `SqlContext.addCounters`; this reads them (one grouped query) and keeps the triggers, the filing record
 * and the checklist, each change with its audit events in one transaction.
 */
export class SqlStatsStore implements StatsStore {
  readonly #ctx: SqlContext;

  constructor(ctx: SqlContext) {
    this.#ctx = ctx;
  }

  counters(to: string): Promise<StatsCounters> {
    return this.#ctx.run('stats.counters', async () => {
      const rows = await this.#ctx.db
        .selectFrom('statsCounters')
        .select(['day', 'name', sql<number | string>`sum(value)`.as('total')])
        .where('day', '<=', to)
        .groupBy(['day', 'name'])
        .execute();
      const days = new Map<string, Map<string, number>>();
      for (const row of rows) {
        const day = days.get(row.day) ?? new Map<string, number>();
        days.set(row.day, day);
        day.set(row.name, Number(row.total));
      }
      const all = days.get(allTimeDay);
      days.delete(allTimeDay);
      const registeredByAgeBand = Object.fromEntries(
        ageBands.map((b: AgeBand) => [b, all?.get(statsCounter.registeredBand(b)) ?? 0]),
      ) as AgeBandCounts;
      return { days, registeredByAgeBand };
    });
  }

  recordTrigger(trigger: AssessmentTrigger, audit: readonly AuditInput[]): Promise<boolean> {
    return this.#ctx.run('stats.recordTrigger', () =>
      this.#ctx.transaction(async (trx) => {
        const inserted = await trx
          .insertInto('assessmentTriggers')
          .values({ ...trigger })
          .onConflict((oc) => oc.column('key').doNothing())
          .returning('key')
          .executeTakeFirst();
        if (!inserted) return false;
        await this.#ctx.appendAuditWithin(trx, audit);
        return true;
      }),
    );
  }

  listTriggers(): Promise<AssessmentTrigger[]> {
    return this.#ctx.run('stats.listTriggers', async () => {
      const rows = await this.#ctx.db
        .selectFrom('assessmentTriggers')
        .selectAll()
        .orderBy('firedAt')
        .orderBy('key')
        .execute();
      return rows.map((r) => ({ ...r, kind: r.kind as AssessmentTriggerKind }));
    });
  }

  markTriggerNotified(key: string, at: number | null): Promise<boolean> {
    return this.#ctx.run('stats.markTriggerNotified', async () => {
      let update = this.#ctx.db
        .updateTable('assessmentTriggers')
        .set({ notifiedAt: at })
        .where('key', '=', key);
      if (at !== null) update = update.where('notifiedAt', 'is', null);
      const result = await update.executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    });
  }

  getFiling(): Promise<FilingRecord> {
    return this.#ctx.run('stats.getFiling', async () => {
      const row = await this.#ctx.db
        .selectFrom('assessmentFiling')
        .selectAll()
        .where('id', '=', 1)
        .executeTakeFirst();
      return row ? toFiling(row) : emptyFiling;
    });
  }

  saveFiling(
    patch: FilingPatch,
    by: { staffId: string; now: number },
    audit: readonly AuditInput[],
  ): Promise<FilingRecord> {
    return this.#ctx.run('stats.saveFiling', () =>
      this.#ctx.transaction(async (trx) => {
        const row = await trx
          .selectFrom('assessmentFiling')
          .selectAll()
          .where('id', '=', 1)
          .executeTakeFirst();
        const current = row ? toFiling(row) : emptyFiling;
        const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
        const next: AssessmentFilingTable = {
          id: 1,
          filingNumber: current.filingNumber,
          assessmentStatus: current.assessmentStatus,
          submittedOn: current.submittedOn,
          lastReviewOn: current.lastReviewOn,
          nextReviewOn: current.nextReviewOn,
          note: current.note,
          ...defined,
          updatedAt: by.now,
          updatedBy: by.staffId,
        };
        const { id: _id, ...set } = next;
        await trx
          .insertInto('assessmentFiling')
          .values(next)
          .onConflict((oc) => oc.column('id').doUpdateSet(set))
          .execute();
        await this.#ctx.appendAuditWithin(trx, audit);
        return toFiling(next);
      }),
    );
  }

  listChecklist(): Promise<ChecklistItem[]> {
    return this.#ctx.run('stats.listChecklist', async () => {
      const rows = await this.#ctx.db.selectFrom('checklistItems').selectAll().execute();
      return rows
        .map(toItem)
        .sort(
          (a, b) =>
            a.area.localeCompare(b.area) ||
            (a.dueOn ?? '9999').localeCompare(b.dueOn ?? '9999') ||
            a.id.localeCompare(b.id),
        );
    });
  }

  saveChecklistItem(
    item: ChecklistInput,
    by: { staffId: string; now: number },
    audit: readonly AuditInput[],
  ): Promise<ChecklistItem> {
    return this.#ctx.run('stats.saveChecklistItem', () =>
      this.#ctx.transaction(async (trx) => {
        const row: ChecklistItemsTable = { ...item, updatedAt: by.now, updatedBy: by.staffId };
        const { id: _id, ...set } = row;
        await trx
          .insertInto('checklistItems')
          .values(row)
          .onConflict((oc) => oc.column('id').doUpdateSet(set))
          .execute();
        await this.#ctx.appendAuditWithin(trx, audit);
        return toItem(row);
      }),
    );
  }

  deleteChecklistItem(id: string, audit: readonly AuditInput[]): Promise<void> {
    return this.#ctx.run('stats.deleteChecklistItem', () =>
      this.#ctx.transaction(async (trx) => {
        const deleted = await trx.deleteFrom('checklistItems').where('id', '=', id).executeTakeFirst();
        if (Number(deleted.numDeletedRows) === 0) throw new CgError('not-found', `No checklist item ${id}.`);
        await this.#ctx.appendAuditWithin(trx, audit);
      }),
    );
  }
}

function toFiling(row: AssessmentFilingTable): FilingRecord {
  return {
    filingNumber: row.filingNumber,
    assessmentStatus: row.assessmentStatus as AssessmentStatus,
    submittedOn: row.submittedOn,
    lastReviewOn: row.lastReviewOn,
    nextReviewOn: row.nextReviewOn,
    note: row.note,
    updatedAt: row.updatedAt,
    updatedBy: row.updatedBy,
  };
}

function toItem(row: ChecklistItemsTable): ChecklistItem {
  return { ...row, area: row.area as ChecklistArea };
}
