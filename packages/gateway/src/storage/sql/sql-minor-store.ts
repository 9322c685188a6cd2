import {
  type AuditInput,
  CgError,
  type ConsentMethod,
  defaultGuardianControls,
  emptyMinorState,
  type GuardianControls,
  type GuardianControlsPatch,
  type MinorModeExit,
  type MinorModeReason,
  type MinorState,
  type MinorStore,
  type MinorTurnView,
  type MinorUsageDay,
  type MinorUsageInput,
  type RequirementId,
} from '@companion-guard/core';
import type { Kysely, Selectable } from 'kysely';
import type { Database, MinorStatesTable, MinorUsageTable } from './schema.js';
import type { SqlContext } from './sql-context.js';

const enterRequirement: Record<MinorModeReason, RequirementId> = {
  declared: 'MINOR-1',
  suspected: 'MINOR-5',
  guardian: 'MINOR-4',
};

/** Reasons by how long they hold: a stronger one replaces a weaker one while the mode is on. */
const reasonStrength: Record<MinorModeReason, number> = { declared: 0, suspected: 1, guardian: 2 };

const controlFields = [
  'dailyLimitMinutes',
  'quietHours',
  'blockedCharacters',
  'spending',
] as const satisfies readonly (keyof GuardianControls)[];

/** A change the store makes: the state after it and the store's own audit event; null changes nothing. */
type MinorChange = { readonly after: MinorState; readonly event: AuditInput | null } | null;

/**
 * The SQL MinorStore. One row per user in `minor_states` (created on the first change), daily use in
 * `minor_usage`; `users.minor_mode` mirrors the mode in the same transaction. Changes of one user are
 * serialized by locking the user's row on PostgreSQL (SQLite has one writer).
 */
export class SqlMinorStore implements MinorStore {
  readonly #ctx: SqlContext;

  constructor(ctx: SqlContext) {
    this.#ctx = ctx;
  }

  getState(userId: string): Promise<MinorState> {
    return this.#ctx.run('minors.getState', async () => {
      const row = await this.#ctx.first(
        this.#ctx.db,
        'minorState',
        ['userId'],
        (s) => this.#ctx.db.selectFrom('minorStates').selectAll().where('userId', '=', s.userId),
        { userId },
      );
      return row ? toState(row) : emptyMinorState(userId);
    });
  }

  turnView(userId: string, day: string): Promise<MinorTurnView> {
    return this.#ctx.run('minors.turnView', async () => {
      const { db } = this.#ctx;
      const row = await this.#ctx.first(
        db,
        'minorTurnView',
        ['userId', 'day'],
        (s) =>
          db
            .selectFrom('minorStates')
            .leftJoin('minorUsage', (join) =>
              join.onRef('minorUsage.userId', '=', 'minorStates.userId').on('minorUsage.day', '=', s.day),
            )
            .selectAll('minorStates')
            .select(['minorUsage.usedMs', 'minorUsage.characters'])
            .where('minorStates.userId', '=', s.userId),
        { userId, day },
      );
      if (!row) return { state: emptyMinorState(userId), today: emptyDay(day), lastUsageAt: null };
      const today =
        row.usedMs === null || row.characters === null
          ? emptyDay(day)
          : dayOf({ day, usedMs: row.usedMs, characters: row.characters });
      return { state: toState(row), today, lastUsageAt: row.lastUsageAt };
    });
  }

  enter(
    userId: string,
    change: { reason: MinorModeReason; endsOn?: string | null; now: number; suspicion?: number },
    audit: readonly AuditInput[] = [],
  ): Promise<MinorState> {
    const { reason, now } = change;
    const endsOn = reason === 'declared' ? (change.endsOn ?? null) : null;
    return this.#change('minors.enter', userId, audit, (stored) => {
      const before = change.suspicion === undefined ? stored : { ...stored, suspicion: change.suspicion };
      if (before.mode === 'on' && before.reason) {
        const stronger = reasonStrength[reason] > reasonStrength[before.reason];
        const later =
          reason === 'declared' &&
          before.reason === 'declared' &&
          before.endsOn !== null &&
          (endsOn === null || endsOn > before.endsOn);
        if (!stronger && !later) return null;
        const after = { ...before, reason: stronger ? reason : before.reason, endsOn, updatedAt: now };
        return { after, event: modeEvent(after, enterRequirement[reason], now, { reason, kept: true }) };
      }
      const after: MinorState = { ...before, mode: 'on', reason, since: now, endsOn, updatedAt: now };
      return { after, event: modeEvent(after, enterRequirement[reason], now, { reason }) };
    });
  }

  leave(
    userId: string,
    change: { by: MinorModeExit; now: number },
    audit: readonly AuditInput[] = [],
  ): Promise<MinorState> {
    const { by, now } = change;
    return this.#change('minors.leave', userId, audit, (before) => leaveChange(before, by, now));
  }

  updateControls(
    userId: string,
    patch: GuardianControlsPatch,
    now: number,
    audit: readonly AuditInput[] = [],
  ): Promise<MinorState> {
    return this.#change('minors.updateControls', userId, audit, (before) => {
      const controls = { ...before.controls };
      const fields: string[] = [];
      for (const field of controlFields) {
        const value = patch[field];
        if (value === undefined || JSON.stringify(value) === JSON.stringify(before.controls[field])) continue;
        (controls as Record<string, unknown>)[field] = value;
        fields.push(field);
      }
      if (fields.length === 0) return null;
      return {
        after: { ...before, controls, updatedAt: now },
        event: { type: 'minor-controls-updated', requirement: 'MINOR-4', at: now, userId, data: { fields } },
      };
    });
  }

  recordConsent(
    userId: string,
    consent: { at: number; method: ConsentMethod; policyVersion: string },
    audit: readonly AuditInput[] = [],
  ): Promise<MinorState> {
    const { at, method, policyVersion } = consent;
    return this.#change('minors.recordConsent', userId, audit, (before) => ({
      after: { ...before, consent: { at, method, policyVersion, revokedAt: null }, updatedAt: at },
      event: {
        type: 'guardian-consent-recorded',
        requirement: 'MINOR-2',
        at,
        userId,
        data: { method, policyVersion },
      },
    }));
  }

  revokeConsent(userId: string, now: number, audit: readonly AuditInput[] = []): Promise<MinorState> {
    return this.#change('minors.revokeConsent', userId, audit, (before) => {
      if (!before.consent || before.consent.revokedAt !== null) return null;
      return {
        after: { ...before, consent: { ...before.consent, revokedAt: now }, updatedAt: now },
        event: {
          type: 'guardian-consent-revoked',
          requirement: 'MINOR-2',
          at: now,
          userId,
          data: { policyVersion: before.consent.policyVersion, consentAt: before.consent.at },
        },
      };
    });
  }

  setSuspicion(
    userId: string,
    suspicion: number,
    now: number,
    audit: readonly AuditInput[] = [],
  ): Promise<MinorState> {
    if (!Number.isFinite(suspicion)) {
      return Promise.reject(new CgError('invalid-request', 'A suspicion score must be a finite number.'));
    }
    return this.#change('minors.setSuspicion', userId, audit, (before) =>
      before.suspicion === suspicion
        ? null
        : { after: { ...before, suspicion, updatedAt: now }, event: null },
    );
  }

  recordUsage(usage: MinorUsageInput): Promise<MinorUsageDay> {
    const { userId, at, day, characterId, maxGapMs } = usage;
    return this.#ctx.run('minors.recordUsage', () =>
      this.#ctx.transaction(async (trx) => {
        const row = await lockedMinorState(this.#ctx, trx, userId);
        const last = row?.lastUsageAt ?? null;
        const gap = last === null ? 0 : at - last;
        const added = gap > 0 && gap < maxGapMs ? gap : 0;
        if (row) {
          if (last === null || at > last) {
            await trx
              .updateTable('minorStates')
              .set({ lastUsageAt: at })
              .where('userId', '=', userId)
              .execute();
          }
        } else {
          await trx
            .insertInto('minorStates')
            .values({ ...toRow({ ...emptyMinorState(userId), updatedAt: at }), lastUsageAt: at })
            .execute();
        }
        const stored = await trx
          .selectFrom('minorUsage')
          .selectAll()
          .where('userId', '=', userId)
          .where('day', '=', day)
          .executeTakeFirst();
        const before = stored ? dayOf(stored) : emptyDay(day);
        const characters = before.characters.includes(characterId)
          ? before.characters
          : [...before.characters, characterId];
        const after = { day, usedMs: before.usedMs + added, characters };
        const values = { usedMs: after.usedMs, characters: JSON.stringify(characters) };
        if (stored) {
          if (added > 0 || characters !== before.characters) {
            await trx
              .updateTable('minorUsage')
              .set(values)
              .where('userId', '=', userId)
              .where('day', '=', day)
              .execute();
          }
        } else {
          await trx
            .insertInto('minorUsage')
            .values({ userId, day, ...values })
            .execute();
        }
        return after;
      }),
    );
  }

  usage(userId: string, fromDay: string, toDay: string): Promise<MinorUsageDay[]> {
    return this.#ctx.run('minors.usage', async () => {
      const rows = await this.#ctx.db
        .selectFrom('minorUsage')
        .selectAll()
        .where('userId', '=', userId)
        .where('day', '>=', fromDay)
        .where('day', '<=', toDay)
        .orderBy('day')
        .execute();
      return rows.map((row) => dayOf(row));
    });
  }

  #change(
    operation: string,
    userId: string,
    audit: readonly AuditInput[],
    decide: (before: MinorState) => MinorChange,
  ): Promise<MinorState> {
    return this.#ctx.run(operation, () =>
      this.#ctx.transaction(async (trx) => {
        const { before, change } = await changeMinorStateWithin(this.#ctx, trx, userId, decide);
        if (!change) return before;
        await this.#ctx.appendAuditWithin(trx, change.event ? [change.event, ...audit] : audit);
        return change.after;
      }),
    );
  }
}

/** Locks the user (PostgreSQL) and returns the stored state row; `not-found` for an unknown user. */
async function lockedMinorState(
  ctx: SqlContext,
  trx: Kysely<Database>,
  userId: string,
): Promise<Selectable<MinorStatesTable> | undefined> {
  const select = trx.selectFrom('users').select('id').where('id', '=', userId);
  const user = await (ctx.dialect === 'postgres' ? select.forUpdate() : select).executeTakeFirst();
  if (!user) throw new CgError('not-found', `No user ${userId}.`);
  return trx.selectFrom('minorStates').selectAll().where('userId', '=', userId).executeTakeFirst();
}

/**
 * Inside the caller's transaction: locks the user, applies `decide` to the stored minor state and writes the
 * result (and the user's `minor_mode` flag). Appends no audit: the caller appends `change.event` with its own.
 */
export async function changeMinorStateWithin(
  ctx: SqlContext,
  trx: Kysely<Database>,
  userId: string,
  decide: (before: MinorState) => MinorChange,
): Promise<{ before: MinorState; change: MinorChange }> {
  const row = await lockedMinorState(ctx, trx, userId);
  const before = row ? toState(row) : emptyMinorState(userId);
  const change = decide(before);
  if (!change) return { before, change };
  const values = toRow(change.after);
  if (row) {
    await trx.updateTable('minorStates').set(values).where('userId', '=', userId).execute();
  } else {
    await trx
      .insertInto('minorStates')
      .values({ ...values, lastUsageAt: null })
      .execute();
  }
  if (change.after.mode !== before.mode) {
    await trx
      .updateTable('users')
      .set({ minorMode: change.after.mode === 'on' ? 1 : 0 })
      .where('id', '=', userId)
      .execute();
  }
  return { before, change };
}

/** Minor mode off (event `minor-mode-leave`, MINOR-1, with `by`); off already: no change. */
export function leaveChange(before: MinorState, by: MinorModeExit, now: number): MinorChange {
  if (before.mode === 'off') return null;
  const after: MinorState = {
    ...before,
    mode: 'off',
    reason: null,
    since: null,
    endsOn: null,
    updatedAt: now,
  };
  return {
    after,
    event: {
      type: 'minor-mode-leave',
      requirement: 'MINOR-1',
      at: now,
      userId: before.userId,
      data: { by, reason: before.reason },
    },
  };
}

function modeEvent(
  state: MinorState,
  requirement: RequirementId,
  at: number,
  data: Record<string, unknown>,
): AuditInput {
  return {
    type: 'minor-mode-enter',
    requirement,
    at,
    userId: state.userId,
    data: state.endsOn ? { ...data, endsOn: state.endsOn } : data,
  };
}

function emptyDay(day: string): MinorUsageDay {
  return { day, usedMs: 0, characters: [] };
}

function dayOf(row: Pick<MinorUsageTable, 'day' | 'usedMs' | 'characters'>): MinorUsageDay {
  const parsed: unknown = JSON.parse(row.characters);
  const characters = Array.isArray(parsed) ? parsed.filter((c): c is string => typeof c === 'string') : [];
  return { day: row.day, usedMs: Number(row.usedMs), characters };
}

function toRow(state: MinorState): Omit<MinorStatesTable, 'lastUsageAt'> {
  return {
    userId: state.userId,
    mode: state.mode,
    reason: state.reason,
    since: state.since,
    endsOn: state.endsOn,
    suspicion: state.suspicion,
    controls: JSON.stringify(state.controls),
    consentAt: state.consent?.at ?? null,
    consentMethod: state.consent?.method ?? null,
    consentPolicyVersion: state.consent?.policyVersion ?? null,
    consentRevokedAt: state.consent?.revokedAt ?? null,
    updatedAt: state.updatedAt ?? 0,
  };
}

const reasons: readonly string[] = ['declared', 'suspected', 'guardian'];
const methods: readonly string[] = ['email-code', 'sms-code', 'link'];

function toState(row: Omit<MinorStatesTable, 'lastUsageAt'>): MinorState {
  const stored = JSON.parse(row.controls) as Partial<GuardianControls>;
  // Only the known fields: rows may hold fields since removed (a `transcripts` flag that was never used).
  const controls = Object.fromEntries(controlFields.flatMap((f) => (f in stored ? [[f, stored[f]]] : [])));
  return {
    userId: row.userId,
    mode: row.mode === 'on' ? 'on' : 'off',
    reason: row.reason && reasons.includes(row.reason) ? (row.reason as MinorModeReason) : null,
    since: row.since,
    endsOn: row.endsOn,
    suspicion: Number(row.suspicion),
    controls: { ...defaultGuardianControls, ...controls },
    consent:
      row.consentAt !== null && row.consentMethod && methods.includes(row.consentMethod)
        ? {
            at: row.consentAt,
            method: row.consentMethod as ConsentMethod,
            policyVersion: row.consentPolicyVersion ?? '',
            revokedAt: row.consentRevokedAt,
          }
        : null,
    updatedAt: row.updatedAt,
  };
}
