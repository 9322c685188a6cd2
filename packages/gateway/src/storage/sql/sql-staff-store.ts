import {
  type AuditInput,
  CgError,
  type LoginFailure,
  type NewStaff,
  normalizeStaffEmail,
  type StaffRecord,
  type StaffRole,
  type StaffSessionRecord,
  type StaffStore,
} from '@companion-guard/core';
import type { Selectable } from 'kysely';
import { wrapSecret } from '../envelope-cipher.js';
import type { StaffSessionsTable, StaffTable } from './schema.js';
import type { SqlContext } from './sql-context.js';

export const totpPurpose = 'totp';

/**
 * The SQL StaffStore. TOTP secrets are sealed under the master key (bound to the staff id); session tokens
 * are stored only as hashes. Counters and the replay guard are single UPDATE statements, so concurrent
 * callers are serialized by the row lock (PostgreSQL) or the single writer (SQLite).
 */
export class SqlStaffStore implements StaffStore {
  readonly #ctx: SqlContext;

  constructor(ctx: SqlContext) {
    this.#ctx = ctx;
  }

  addStaff(staff: NewStaff, audit: readonly AuditInput[]): Promise<StaffRecord> {
    return this.#ctx.run('addStaff', async () => {
      if (staff.totpSecret !== null) await this.#ctx.followRotation();
      return this.#ctx.transaction(async (trx) => {
        const row = await trx
          .insertInto('staff')
          .values({
            id: staff.id,
            email: normalizeStaffEmail(staff.email),
            role: staff.role,
            passwordHash: staff.passwordHash,
            totpSeed:
              staff.totpSecret === null
                ? null
                : wrapSecret(this.#ctx.masterKey, totpPurpose, staff.id, staff.totpSecret),
            totpLastStep: null,
            disabled: 0,
            failedLogins: 0,
            lockedUntil: null,
            createdAt: staff.createdAt,
            lastLoginAt: null,
          })
          .onConflict((oc) => oc.column('email').doNothing())
          .returningAll()
          .executeTakeFirst();
        if (!row) throw new CgError('staff-exists');
        await this.#ctx.appendAuditWithin(trx, audit);
        return this.#toStaff(row);
      });
    });
  }

  listStaff(): Promise<StaffRecord[]> {
    return this.#ctx.run('listStaff', async () => {
      const rows = await this.#ctx.db
        .selectFrom('staff')
        .selectAll()
        .orderBy('createdAt')
        .orderBy('id')
        .execute();
      return rows.map((row) => this.#toStaff(row));
    });
  }

  getStaff(id: string): Promise<StaffRecord | undefined> {
    return this.#ctx.run('getStaff', async () => {
      const row = await this.#ctx.db.selectFrom('staff').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? this.#toStaff(row) : undefined;
    });
  }

  findStaffByEmail(email: string): Promise<StaffRecord | undefined> {
    return this.#ctx.run('findStaffByEmail', async () => {
      const row = await this.#ctx.db
        .selectFrom('staff')
        .selectAll()
        .where('email', '=', normalizeStaffEmail(email))
        .executeTakeFirst();
      return row ? this.#toStaff(row) : undefined;
    });
  }

  disableStaff(id: string, now: number, audit: readonly AuditInput[]): Promise<StaffRecord> {
    return this.#ctx.run('disableStaff', () =>
      this.#ctx.transaction(async (trx) => {
        const changed = await trx
          .updateTable('staff')
          .set({ disabled: 1 })
          .where('id', '=', id)
          .where('disabled', '=', 0)
          .returningAll()
          .executeTakeFirst();
        if (changed) {
          await trx
            .updateTable('staffSessions')
            .set({ revokedAt: now })
            .where('staffId', '=', id)
            .where('revokedAt', 'is', null)
            .execute();
          await this.#ctx.appendAuditWithin(trx, audit);
          return this.#toStaff(changed);
        }
        const row = await trx.selectFrom('staff').selectAll().where('id', '=', id).executeTakeFirst();
        if (!row) throw new CgError('not-found', `No staff member ${id}.`);
        return this.#toStaff(row);
      }),
    );
  }

  recordLoginFailure(
    id: string,
    policy: { readonly now: number; readonly maxAttempts: number; readonly lockMs: number },
    audit: (failure: LoginFailure) => readonly AuditInput[],
  ): Promise<LoginFailure> {
    return this.#ctx.run('recordLoginFailure', () =>
      this.#ctx.transaction(async (trx) => {
        const counted = await trx
          .updateTable('staff')
          .set((eb) => ({ failedLogins: eb('failedLogins', '+', 1) }))
          .where('id', '=', id)
          .returning('failedLogins')
          .executeTakeFirst();
        if (!counted) throw new CgError('not-found', `No staff member ${id}.`);
        let failure: LoginFailure = { failedLogins: counted.failedLogins, lockedUntil: null };
        if (counted.failedLogins >= policy.maxAttempts) {
          const lockedUntil = policy.now + policy.lockMs;
          await trx.updateTable('staff').set({ failedLogins: 0, lockedUntil }).where('id', '=', id).execute();
          failure = { failedLogins: 0, lockedUntil };
        }
        await this.#ctx.appendAuditWithin(trx, audit(failure));
        return failure;
      }),
    );
  }

  recordLoginSuccess(
    session: {
      readonly id: string;
      readonly staffId: string;
      readonly tokenHash: string;
      readonly createdAt: number;
    },
    audit: readonly AuditInput[],
  ): Promise<StaffSessionRecord | undefined> {
    return this.#ctx.run('recordLoginSuccess', () =>
      this.#ctx.transaction(async (trx) => {
        const staff = await trx
          .updateTable('staff')
          .set({ failedLogins: 0, lockedUntil: null, lastLoginAt: session.createdAt })
          .where('id', '=', session.staffId)
          .where('disabled', '=', 0)
          // A lock set by a concurrent failure stands: a right guess racing wrong ones does not lift it.
          .where((eb) => eb.or([eb('lockedUntil', 'is', null), eb('lockedUntil', '<=', session.createdAt)]))
          .returning('id')
          .executeTakeFirst();
        if (!staff) return undefined;
        const row = await trx
          .insertInto('staffSessions')
          .values({ ...session, lastSeenAt: session.createdAt, heartbeatAt: null, revokedAt: null })
          .returningAll()
          .executeTakeFirstOrThrow();
        await this.#ctx.appendAuditWithin(trx, audit);
        return toSession(row);
      }),
    );
  }

  useTotpStep(id: string, step: number): Promise<boolean> {
    return this.#ctx.run('useTotpStep', async () => {
      const result = await this.#ctx.db
        .updateTable('staff')
        .set({ totpLastStep: step })
        .where('id', '=', id)
        .where((eb) => eb.or([eb('totpLastStep', 'is', null), eb('totpLastStep', '<', step)]))
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    });
  }

  findSessionByTokenHash(
    tokenHash: string,
  ): Promise<{ readonly session: StaffSessionRecord; readonly staff: StaffRecord } | undefined> {
    return this.#ctx.run('findSessionByTokenHash', async () => {
      const session = await this.#ctx.db
        .selectFrom('staffSessions')
        .selectAll()
        .where('tokenHash', '=', tokenHash)
        .executeTakeFirst();
      if (!session) return undefined;
      const staff = await this.#ctx.db
        .selectFrom('staff')
        .selectAll()
        .where('id', '=', session.staffId)
        .executeTakeFirst();
      if (!staff) throw new CgError('store-error', `Session ${session.id} names a missing staff member.`);
      return { session: toSession(session), staff: this.#toStaff(staff) };
    });
  }

  touchSession(id: string, now: number): Promise<void> {
    return this.#ctx.run('touchSession', async () => {
      await this.#ctx.db
        .updateTable('staffSessions')
        .set({ lastSeenAt: now })
        .where('id', '=', id)
        .where('revokedAt', 'is', null)
        .where('lastSeenAt', '<', now)
        .execute();
    });
  }

  recordHeartbeat(id: string, now: number): Promise<void> {
    return this.#ctx.run('recordHeartbeat', async () => {
      await this.#ctx.db
        .updateTable('staffSessions')
        .set({ heartbeatAt: now })
        .where('id', '=', id)
        .where('revokedAt', 'is', null)
        .where((eb) => eb.or([eb('heartbeatAt', 'is', null), eb('heartbeatAt', '<', now)]))
        .execute();
    });
  }

  endHeartbeat(id: string): Promise<void> {
    return this.#ctx.run('endHeartbeat', async () => {
      await this.#ctx.db
        .updateTable('staffSessions')
        .set({ heartbeatAt: null })
        .where('id', '=', id)
        .execute();
    });
  }

  revokeSession(id: string, now: number): Promise<void> {
    return this.#ctx.run('revokeSession', async () => {
      await this.#ctx.db
        .updateTable('staffSessions')
        .set({ revokedAt: now })
        .where('id', '=', id)
        .where('revokedAt', 'is', null)
        .execute();
    });
  }

  #toStaff(row: Selectable<StaffTable>): StaffRecord {
    return {
      id: row.id,
      email: row.email,
      role: row.role as StaffRole,
      passwordHash: row.passwordHash,
      totpSecret:
        row.totpSeed === null ? null : this.#ctx.unwrapSecretWithAnyKey(totpPurpose, row.id, row.totpSeed),
      disabled: row.disabled !== 0,
      failedLogins: row.failedLogins,
      lockedUntil: row.lockedUntil,
      createdAt: row.createdAt,
      lastLoginAt: row.lastLoginAt,
    };
  }
}

function toSession(row: Selectable<StaffSessionsTable>): StaffSessionRecord {
  return {
    id: row.id,
    staffId: row.staffId,
    tokenHash: row.tokenHash,
    createdAt: row.createdAt,
    lastSeenAt: row.lastSeenAt,
    heartbeatAt: row.heartbeatAt,
    revokedAt: row.revokedAt,
  };
}
