import {
  type AgeBand,
  type AuditInput,
  CgError,
  firstHumanDeltas,
  type IncidentChange,
  type IncidentEvent,
  type IncidentOutcome,
  type IncidentReason,
  type IncidentSeverity,
  type IncidentSignal,
  type IncidentState,
  type IncidentStep,
  type IncidentStore,
  incidentOpenedDeltas,
  type MessageRecord,
  type NewIncident,
  openedIncident,
  type StaffPresence,
  type StaffRole,
  type StoredIncident,
  statsCounter,
} from '@companion-guard/core';
import type { ExpressionBuilder, Insertable, Kysely, Selectable } from 'kysely';
import { decryptContent, encryptContent } from '../envelope-cipher.js';
import type { Database, IncidentsTable } from './schema.js';
import type { SqlContext } from './sql-context.js';
import { decryptMessages, messageRow } from './sql-store.js';

/** What sealed incident text is bound to: its incident and step, so it cannot be moved unnoticed. */
const eventBinding = (incidentId: string, type: string, at: number) => `incident:${incidentId}:${type}:${at}`;

/** A staff session that is there now: not revoked, seen recently, not too old, its console beating (RISK-4). */
function present(eb: ExpressionBuilder<Database, 'staffSessions'>, live: StaffPresence) {
  return eb.and([
    eb('staffSessions.revokedAt', 'is', null),
    eb('staffSessions.lastSeenAt', '>', live.now - live.idleMs),
    eb('staffSessions.createdAt', '>', live.now - live.maxMs),
    eb('staffSessions.heartbeatAt', '>', live.now - live.heartbeatMs),
  ]);
}

/**
 * The SQL IncidentStore. Changes are compare-and-set on `version`; `active_user_id` (unique, null once
 * closed) keeps one active incident per user across instances. Operator text is sealed under the user's
 * data key, as messages are.
 */
export class SqlIncidentStore implements IncidentStore {
  readonly #ctx: SqlContext;

  constructor(ctx: SqlContext) {
    this.#ctx = ctx;
  }

  openIncident(
    incident: NewIncident & { readonly id: string },
    now: number,
    audit: (incident: StoredIncident) => readonly AuditInput[],
  ): Promise<{ incident: StoredIncident; opened: boolean }> {
    return this.#ctx.run('openIncident', async () => {
      const stored: StoredIncident = { ...openedIncident(incident, now), version: 1 };
      const opened = await this.#ctx.transaction(async (trx) => {
        const inserted = await trx
          .insertInto('incidents')
          .values(toRow(stored))
          .onConflict((oc) => oc.column('activeUserId').doNothing())
          .executeTakeFirst();
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return false;
        await this.#insertEvent(trx, stored.id, { type: 'opened', at: now, actor: null });
        await this.#ctx.appendAuditWithin(trx, audit(stored));
        // ASSESS-2: counted with the opening.
        await this.#ctx.addCounters(
          trx,
          incidentOpenedDeltas(this.#ctx.dayOf(now), stored.severity, stored.reason),
        );
        return true;
      });
      if (opened) return { incident: stored, opened };
      const active = await this.activeIncidentOfUser(incident.userId);
      if (!active) throw new CgError('store-error', 'An active incident vanished while another was opened.');
      return { incident: active, opened };
    });
  }

  getIncident(id: string): Promise<StoredIncident | undefined> {
    return this.#ctx.run('getIncident', async () => {
      const row = await this.#ctx.db
        .selectFrom('incidents')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return row && toIncident(row);
    });
  }

  activeIncidentOfUser(userId: string): Promise<StoredIncident | undefined> {
    return this.#ctx.run('activeIncidentOfUser', async () => {
      const row = await this.#ctx.first(
        this.#ctx.db,
        'activeIncidentOfUser',
        ['userId'],
        (s) => this.#ctx.db.selectFrom('incidents').selectAll().where('activeUserId', '=', s.userId),
        { userId },
      );
      return row && toIncident(row);
    });
  }

  listIncidents(filter: 'active' | 'closed' | 'all'): Promise<StoredIncident[]> {
    return this.#ctx.run('listIncidents', async () => {
      let query = this.#ctx.db.selectFrom('incidents').selectAll();
      if (filter === 'active') query = query.where('state', '!=', 'closed');
      if (filter === 'closed') query = query.where('state', '=', 'closed');
      const rows = await query.orderBy('openedAt', 'desc').orderBy('id').execute();
      return rows.map(toIncident);
    });
  }

  listIncidentEvents(id: string): Promise<IncidentEvent[]> {
    return this.#ctx.run('listIncidentEvents', async () => {
      const rows = await this.#ctx.db
        .selectFrom('incidentEvents')
        .select(['type', 'at', 'actor'])
        .where('incidentId', '=', id)
        .orderBy('seq')
        .execute();
      return rows.map((r) => ({ type: r.type as IncidentStep, at: r.at, actor: r.actor }));
    });
  }

  handbackInstruction(id: string): Promise<string | null> {
    return this.#ctx.run('handbackInstruction', async () => {
      const row = await this.#ctx.db
        .selectFrom('incidentEvents')
        .selectAll()
        .where('incidentId', '=', id)
        .where('type', '=', 'handback')
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (!row?.sealed || !row.keyId) return null;
      const key = (await this.#ctx.dataKeysById(new Set([row.keyId]))).get(row.keyId);
      if (!key) throw new CgError('store-error', `The data key of incident ${id} is missing (shredded?).`);
      return decryptContent(key.key, eventBinding(id, row.type, row.at), row.sealed);
    });
  }

  commitIncident(change: IncidentChange): Promise<StoredIncident> {
    return this.#ctx.run('commitIncident', async () => {
      const { incident, now } = change;
      // Sealed before the transaction, so the write lock is held only for the writes.
      const key = await this.#ctx.dataKeyForUser(incident.userId, now);
      const message = change.message && (await messageRow(this.#ctx, change.message, now));
      const next: StoredIncident = { ...incident, version: change.expectedVersion + 1 };
      const sealedUnder = new Set(message ? [message.keyId] : []);
      return this.#ctx.transactionSealedUnder(sealedUnder, 'incident-conflict', async (trx) => {
        const { id: _, ...row } = toRow(next);
        const updated = await trx
          .updateTable('incidents')
          .set(row)
          .where('id', '=', incident.id)
          .where('version', '=', change.expectedVersion)
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) === 0) {
          throw new CgError('incident-conflict', `Incident ${incident.id} changed concurrently.`);
        }
        if (change.event) {
          const { type, actor, text } = change.event;
          // A full deletion replaces the user-wide key: a note sealed under the one it destroyed is retried.
          if (text !== undefined && !(await this.#ctx.keysAlive(trx, new Set([key.keyId])))) {
            throw new CgError(
              'incident-conflict',
              'The user-wide data key was replaced by a deletion; retry.',
            );
          }
          const sealed =
            text === undefined ? null : encryptContent(key.key, eventBinding(incident.id, type, now), text);
          await this.#insertEvent(trx, incident.id, {
            type,
            at: now,
            actor,
            sealed,
            keyId: sealed ? key.keyId : null,
          });
        }
        if (message) await trx.insertInto('messages').values(message).execute();
        await this.#ctx.appendAuditWithin(trx, change.audit);
        // ASSESS-2: the escalation, and the time to the first human message, counted with the change.
        const step = change.event?.type;
        const day = this.#ctx.dayOf(now);
        if (step === 'escalated' && incident.escalatedAt === now) {
          await this.#ctx.addCounters(trx, [{ day, name: statsCounter.escalated, value: 1 }]);
        } else if (step === 'message' && incident.firstHumanMessageAt === now) {
          await this.#ctx.addCounters(trx, firstHumanDeltas(day, now - incident.openedAt));
        }
        return next;
      });
    });
  }

  markContactNotified(id: string, at: number, audit: readonly AuditInput[]): Promise<boolean> {
    return this.#ctx.run('markContactNotified', () =>
      this.#ctx.transaction(async (trx) => {
        // A change like any other: `commitIncident` writes the whole row, so one decided on an earlier read
        // must fail its compare-and-set here rather than write the contact time back to null.
        const updated = await trx
          .updateTable('incidents')
          .set((eb) => ({ contactNotifiedAt: at, version: eb('version', '+', 1) }))
          .where('id', '=', id)
          .where('contactNotifiedAt', 'is', null)
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) === 0) return false;
        await this.#insertEvent(trx, id, { type: 'contact-notified', at, actor: null });
        await this.#ctx.appendAuditWithin(trx, audit);
        return true;
      }),
    );
  }

  takeHumanMessages(userId: string, now: number): Promise<MessageRecord[]> {
    return this.#ctx.run('takeHumanMessages', async () => {
      // UPDATE … RETURNING: a row moves from queued to delivered for exactly one caller.
      const rows = await this.#ctx.db
        .updateTable('messages')
        .set({ status: 'delivered' })
        .where('userId', '=', userId)
        .where('status', '=', 'queued')
        .returningAll()
        .execute();
      void now;
      const sorted = [...rows].sort((a, b) => a.seq - b.seq);
      return decryptMessages(this.#ctx, sorted);
    });
  }

  setOnDuty(staffId: string, onDuty: boolean, audit: readonly AuditInput[]): Promise<void> {
    return this.#ctx.run('setOnDuty', () =>
      this.#ctx.transaction(async (trx) => {
        const updated = await trx
          .updateTable('staff')
          .set({ onDuty: onDuty ? 1 : 0 })
          .where('id', '=', staffId)
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) === 0)
          throw new CgError('not-found', `No staff member ${staffId}.`);
        await this.#ctx.appendAuditWithin(trx, audit);
      }),
    );
  }

  isOnDuty(staffId: string): Promise<boolean> {
    return this.#ctx.run('isOnDuty', async () => {
      const row = await this.#ctx.db
        .selectFrom('staff')
        .select('onDuty')
        .where('id', '=', staffId)
        .executeTakeFirst();
      return row?.onDuty === 1;
    });
  }

  countOnDuty(role: StaffRole, live: StaffPresence): Promise<number> {
    return this.#ctx.run('countOnDuty', async () => {
      const row = await this.#ctx.db
        .selectFrom('staff')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('role', '=', role)
        .where('onDuty', '=', 1)
        .where('disabled', '=', 0)
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom('staffSessions')
              .select('staffSessions.id')
              .whereRef('staffSessions.staffId', '=', 'staff.id')
              .where((s) => present(s, live)),
          ),
        )
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    });
  }

  hasLiveSession(staffId: string, live: StaffPresence): Promise<boolean> {
    return this.#ctx.run('hasLiveSession', async () => {
      const row = await this.#ctx.db
        .selectFrom('staffSessions')
        .innerJoin('staff', 'staff.id', 'staffSessions.staffId')
        .select('staffSessions.id')
        .where('staffSessions.staffId', '=', staffId)
        .where('staff.disabled', '=', 0)
        .where((s) => present(s, live))
        .limit(1)
        .executeTakeFirst();
      return row !== undefined;
    });
  }

  async #insertEvent(
    trx: Kysely<Database>,
    incidentId: string,
    event: {
      type: IncidentStep;
      at: number;
      actor: string | null;
      sealed?: Uint8Array | null;
      keyId?: string | null;
    },
  ): Promise<void> {
    await trx
      .insertInto('incidentEvents')
      .values({
        incidentId,
        type: event.type,
        at: event.at,
        actor: event.actor,
        sealed: event.sealed ?? null,
        keyId: event.keyId ?? null,
      })
      .execute();
  }
}

function toRow(i: StoredIncident): Insertable<IncidentsTable> {
  return {
    id: i.id,
    userId: i.userId,
    externalUserId: i.externalUserId,
    sessionId: i.sessionId,
    characterId: i.characterId,
    severity: i.severity,
    reason: i.reason,
    state: i.state,
    signals: JSON.stringify(i.signals),
    ageBand: i.ageBand,
    openedAt: i.openedAt,
    updatedAt: i.updatedAt,
    claimedAt: i.claimedAt,
    claimedBy: i.claimedBy,
    escalatedAt: i.escalatedAt,
    firstHumanMessageAt: i.firstHumanMessageAt,
    contactNotifiedAt: i.contactNotifiedAt,
    handedBackAt: i.handedBackAt,
    closedAt: i.closedAt,
    outcome: i.outcome,
    version: i.version,
    activeUserId: i.state === 'closed' ? null : i.userId,
  };
}

function toIncident(r: Selectable<IncidentsTable>): StoredIncident {
  return {
    id: r.id,
    userId: r.userId,
    externalUserId: r.externalUserId,
    sessionId: r.sessionId,
    characterId: r.characterId,
    severity: r.severity as IncidentSeverity,
    reason: r.reason as IncidentReason,
    state: r.state as IncidentState,
    signals: JSON.parse(r.signals) as IncidentSignal[],
    ageBand: r.ageBand as AgeBand,
    openedAt: Number(r.openedAt),
    updatedAt: Number(r.updatedAt),
    claimedAt: numberOrNull(r.claimedAt),
    claimedBy: r.claimedBy,
    escalatedAt: numberOrNull(r.escalatedAt),
    firstHumanMessageAt: numberOrNull(r.firstHumanMessageAt),
    contactNotifiedAt: numberOrNull(r.contactNotifiedAt),
    handedBackAt: numberOrNull(r.handedBackAt),
    closedAt: numberOrNull(r.closedAt),
    outcome: r.outcome as IncidentOutcome | null,
    version: Number(r.version),
  };
}

const numberOrNull = (v: number | null): number | null => (v === null ? null : Number(v));
