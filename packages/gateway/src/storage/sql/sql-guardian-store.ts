import { createHmac } from 'node:crypto';
import type {
  AuditInput,
  Contact,
  GuardianAddress,
  GuardianCodePurpose,
  GuardianCodeResult,
  GuardianCodeSelector,
  GuardianRiskEvent,
  GuardianSessionRecord,
  GuardianStore,
  IncidentReason,
  IncidentSeverity,
  IncidentState,
  NewGuardianCode,
  UserRecord,
} from '@companion-guard/core';
import { guardianAddressesOf } from '@companion-guard/core';
import { type Kysely, type Selectable, sql } from 'kysely';
import type { Database, GuardianSessionsTable } from './schema.js';
import type { SqlContext } from './sql-context.js';
import { toUser } from './sql-store.js';

const keyed = (ctx: SqlContext, text: string) =>
  createHmac('sha256', ctx.indexKeys.guardian).update(text).digest('hex');

/** The guardian id of an address (the blind index). */
export const guardianIdOf = (ctx: SqlContext, address: GuardianAddress): string =>
  keyed(ctx, `guardian:${address.channel}:${address.value}`);

/**
 * Rewrites a user's guardian index rows for `guardian` (null clears them), inside the caller's transaction:
 * the profile store calls it with the contact change.
 */
export async function writeGuardianLinks(
  ctx: SqlContext,
  trx: Kysely<Database>,
  userId: string,
  guardian: Contact | null,
): Promise<void> {
  await trx.deleteFrom('guardianLinks').where('userId', '=', userId).execute();
  const rows = (guardian ? guardianAddressesOf(guardian) : []).map((address) => ({
    userId,
    channel: address.channel,
    guardianId: guardianIdOf(ctx, address),
  }));
  if (rows.length > 0) await trx.insertInto('guardianLinks').values(rows).execute();
}

const secretHash = (ctx: SqlContext, codeId: string, secret: string) =>
  keyed(ctx, `code:${codeId}:${secret}`);

const toSession = (row: Selectable<GuardianSessionsTable>): GuardianSessionRecord => ({
  id: row.id,
  guardianId: row.guardianId,
  channel: row.channel as GuardianAddress['channel'],
  tokenHash: row.tokenHash,
  createdAt: Number(row.createdAt),
  lastSeenAt: Number(row.lastSeenAt),
  revokedAt: row.revokedAt === null ? null : Number(row.revokedAt),
});

/** The SQL GuardianStore (MINOR-2, MINOR-4). */
export class SqlGuardianStore implements GuardianStore {
  readonly #ctx: SqlContext;

  constructor(ctx: SqlContext) {
    this.#ctx = ctx;
  }

  guardianIdOf(address: GuardianAddress): string {
    return guardianIdOf(this.#ctx, address);
  }

  linkedMinors(guardianId: string): Promise<UserRecord[]> {
    return this.#ctx.run('linkedMinors', async () => {
      const rows = await this.#ctx.db
        .selectFrom('users')
        .selectAll('users')
        .where('id', 'in', (q) =>
          q.selectFrom('guardianLinks').select('userId').where('guardianId', '=', guardianId),
        )
        .orderBy('createdAt')
        .orderBy('id')
        .execute();
      return rows.map(toUser);
    });
  }

  linkGuardian(userId: string, guardian: Contact, profileUpdatedAt: number | null): Promise<void> {
    return this.#ctx.run('linkGuardian', async () => {
      const wanted = guardianAddressesOf(guardian).map((a) => guardianIdOf(this.#ctx, a));
      const linked = async (db: Kysely<Database>) =>
        new Set(
          (
            await db.selectFrom('guardianLinks').select('guardianId').where('userId', '=', userId).execute()
          ).map((r) => r.guardianId),
        );
      const before = await linked(this.#ctx.db);
      if (wanted.every((id) => before.has(id))) return;
      await this.#ctx.transaction(async (trx) => {
        const select = trx.selectFrom('users').select('profileUpdatedAt').where('id', '=', userId);
        // The profile store locks the same row when it rewrites the links.
        const row = await (this.#ctx.dialect === 'postgres' ? select.forUpdate() : select).executeTakeFirst();
        const current = row?.profileUpdatedAt == null ? null : Number(row.profileUpdatedAt);
        if (!row || current !== profileUpdatedAt) return;
        const links = await linked(trx);
        if (!wanted.every((id) => links.has(id))) await writeGuardianLinks(this.#ctx, trx, userId, guardian);
      });
    });
  }

  lastConsentRequestAt(userId: string): Promise<number | null> {
    return this.#ctx.run('lastConsentRequestAt', async () => {
      const row = await this.#ctx.db
        .selectFrom('guardianCodes')
        .select((eb) => eb.fn.max('createdAt').as('at'))
        .where('userId', '=', userId)
        .where('purpose', '=', 'consent')
        .executeTakeFirst();
      return row?.at == null ? null : Number(row.at);
    });
  }

  riskEvents(
    userIds: readonly string[],
    options: { readonly since: number; readonly limit: number },
  ): Promise<GuardianRiskEvent[]> {
    if (userIds.length === 0) return Promise.resolve([]);
    return this.#ctx.run('riskEvents', async () => {
      const rows = await this.#ctx.db
        .selectFrom('incidents')
        .select(['id', 'userId', 'openedAt', 'reason', 'severity', 'state'])
        .where('userId', 'in', userIds)
        .where('openedAt', '>=', options.since)
        .orderBy('openedAt', 'desc')
        .limit(options.limit)
        .execute();
      return rows.map((r) => ({
        incidentId: r.id,
        userId: r.userId,
        openedAt: Number(r.openedAt),
        reason: r.reason as IncidentReason,
        severity: r.severity as IncidentSeverity,
        state: r.state as IncidentState,
      }));
    });
  }

  issueCode(
    code: NewGuardianCode,
    rate: { readonly windowMs: number; readonly max: number; readonly userGapMs?: number },
    audit: readonly AuditInput[],
  ): Promise<boolean> {
    /** Whether the rate allows this code: read first without a transaction, then again inside it. */
    const allowed = async (db: Kysely<Database>) => {
      const recent = await db
        .selectFrom('guardianCodes')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('guardianId', '=', code.guardianId)
        .where('purpose', '=', code.purpose)
        .where('createdAt', '>', code.createdAt - rate.windowMs)
        .executeTakeFirst();
      if (Number(recent?.n ?? 0) >= rate.max) return false;
      if (!rate.userGapMs || code.userId === null) return true;
      const asked = await db
        .selectFrom('guardianCodes')
        .select('id')
        .where('userId', '=', code.userId)
        .where('purpose', '=', code.purpose)
        .where('createdAt', '>', code.createdAt - rate.userGapMs)
        .executeTakeFirst();
      return asked === undefined;
    };
    return this.#ctx.run('issueCode', async () => {
      if (!(await allowed(this.#ctx.db))) return false;
      return this.#ctx.transaction(async (trx) => {
        // Serializes issuers of one guardian on PostgreSQL, so a burst cannot pass the count together
        // (SQLite's BEGIN IMMEDIATE already does).
        if (this.#ctx.dialect === 'postgres') {
          await sql`select pg_advisory_xact_lock(hashtext(${code.guardianId}))`.execute(trx);
        }
        if (!(await allowed(trx))) return false;
        let stale = trx
          .updateTable('guardianCodes')
          .set({ usedAt: code.createdAt })
          .where('guardianId', '=', code.guardianId)
          .where('purpose', '=', code.purpose)
          .where('usedAt', 'is', null);
        stale =
          code.userId === null ? stale.where('userId', 'is', null) : stale.where('userId', '=', code.userId);
        await stale.execute();
        await trx
          .insertInto('guardianCodes')
          .values({
            id: code.id,
            guardianId: code.guardianId,
            purpose: code.purpose,
            userId: code.userId,
            secretHash: secretHash(this.#ctx, code.id, code.secret),
            attempts: 0,
            createdAt: code.createdAt,
            expiresAt: code.expiresAt,
            usedAt: null,
          })
          .execute();
        await this.#ctx.appendAuditWithin(trx, audit);
        return true;
      });
    });
  }

  withdrawCode(id: string, audit: readonly AuditInput[]): Promise<void> {
    return this.#ctx.run('withdrawCode', () =>
      this.#ctx.transaction(async (trx) => {
        await trx.deleteFrom('guardianCodes').where('id', '=', id).execute();
        await this.#ctx.appendAuditWithin(trx, audit);
      }),
    );
  }

  redeemCode(
    selector: GuardianCodeSelector,
    attempt: { readonly secret: string; readonly now: number; readonly maxAttempts: number },
    audit: (result: GuardianCodeResult) => readonly AuditInput[],
  ): Promise<GuardianCodeResult> {
    return this.#ctx.run('redeemCode', () =>
      this.#ctx.transaction(async (trx) => {
        let select = trx
          .selectFrom('guardianCodes')
          .selectAll()
          .where('usedAt', 'is', null)
          .where('expiresAt', '>', attempt.now)
          .where('attempts', '<', attempt.maxAttempts);
        select =
          'id' in selector
            ? select.where('id', '=', selector.id)
            : select
                .where('guardianId', '=', selector.guardianId)
                .where('purpose', '=', selector.purpose)
                .orderBy('createdAt', 'desc');
        const row = await (this.#ctx.dialect === 'postgres' ? select.forUpdate() : select).executeTakeFirst();
        let result: GuardianCodeResult;
        if (!row) {
          result = { ok: false, guardianId: null };
        } else if (row.secretHash === secretHash(this.#ctx, row.id, attempt.secret)) {
          await trx
            .updateTable('guardianCodes')
            .set({ usedAt: attempt.now })
            .where('id', '=', row.id)
            .execute();
          result = {
            ok: true,
            guardianId: row.guardianId,
            userId: row.userId,
            purpose: row.purpose as GuardianCodePurpose,
          };
        } else {
          await trx
            .updateTable('guardianCodes')
            .set({ attempts: row.attempts + 1 })
            .where('id', '=', row.id)
            .execute();
          result = { ok: false, guardianId: row.guardianId };
        }
        await this.#ctx.appendAuditWithin(trx, audit(result));
        return result;
      }),
    );
  }

  createSession(
    session: Omit<GuardianSessionRecord, 'lastSeenAt' | 'revokedAt'>,
    audit: readonly AuditInput[],
  ): Promise<GuardianSessionRecord> {
    return this.#ctx.run('createGuardianSession', () =>
      this.#ctx.transaction(async (trx) => {
        const row = { ...session, lastSeenAt: session.createdAt, revokedAt: null };
        await trx.insertInto('guardianSessions').values(row).execute();
        await this.#ctx.appendAuditWithin(trx, audit);
        return row;
      }),
    );
  }

  findSessionByTokenHash(tokenHash: string): Promise<GuardianSessionRecord | undefined> {
    return this.#ctx.run('findGuardianSession', async () => {
      const row = await this.#ctx.db
        .selectFrom('guardianSessions')
        .selectAll()
        .where('tokenHash', '=', tokenHash)
        .executeTakeFirst();
      return row ? toSession(row) : undefined;
    });
  }

  touchSession(id: string, now: number): Promise<void> {
    return this.#ctx.run('touchGuardianSession', async () => {
      await this.#ctx.db
        .updateTable('guardianSessions')
        .set({ lastSeenAt: now })
        .where('id', '=', id)
        .where('lastSeenAt', '<', now)
        .where('revokedAt', 'is', null)
        .execute();
    });
  }

  revokeSession(id: string, now: number, audit: readonly AuditInput[]): Promise<void> {
    return this.#ctx.run('revokeGuardianSession', () =>
      this.#ctx.transaction(async (trx) => {
        const result = await trx
          .updateTable('guardianSessions')
          .set({ revokedAt: now })
          .where('id', '=', id)
          .where('revokedAt', 'is', null)
          .executeTakeFirst();
        if (Number(result.numUpdatedRows) > 0) await this.#ctx.appendAuditWithin(trx, audit);
      }),
    );
  }
}
