import { randomUUID } from 'node:crypto';
import {
  type AgeBand,
  type ApiKeyRecord,
  type AuditCheckpoint,
  type AuditEvent,
  type AuditInput,
  type AuditVerification,
  auditDeltas,
  CgError,
  type CharacterManager,
  type CharacterRecord,
  type CharacterRelation,
  type CounterDelta,
  firstTurnDeltas,
  type Locale,
  type LocalizedText,
  type MessageAuthor,
  type MessageRecord,
  type MessageRole,
  type MessageStatus,
  mergeDeltas,
  type NewMessage,
  newUserDeltas,
  type RetentionCounts,
  type RetentionPurge,
  type SessionRecord,
  type Store,
  type StoredCharacter,
  type TurnActivity,
  turnDeltas,
  type UserRecord,
} from '@companion-guard/core';
import { type Insertable, type Kysely, type Selectable, sql } from 'kysely';
import { auditHashBody, genesisHash, hashAuditBody } from '../audit-chain.js';
import { decryptContent, encryptContent, LruCache } from '../envelope-cipher.js';
import type {
  ApiKeysTable,
  AuditEventsTable,
  CharactersTable,
  Database,
  MessagesTable,
  SessionsTable,
  UsersTable,
} from './schema.js';
import { SqlAppealStore } from './sql-appeal-store.js';
import { SqlComplaintStore } from './sql-complaint-store.js';
import { SqlContext, type SqlContextOptions } from './sql-context.js';
import { SqlControlStore } from './sql-control-store.js';
import { SqlDataRightsStore } from './sql-data-rights-store.js';
import { SqlEmotionalStateStore } from './sql-emotional-state-store.js';
import { SqlGuardianStore } from './sql-guardian-store.js';
import { SqlIncidentStore } from './sql-incident-store.js';
import { type RewrapResult, rewrapUnderCurrentKey } from './sql-key-rotation.js';
import { SqlMinorStore } from './sql-minor-store.js';
import { SqlNotificationStore } from './sql-notification-store.js';
import { SqlProfileStore } from './sql-profile-store.js';
import { SqlRateLimitStore } from './sql-rate-limit-store.js';
import { type SeedPlan, type SeedResult, seedSynthetic } from './sql-seed.js';
import { SqlStaffStore } from './sql-staff-store.js';
import { SqlStatsStore } from './sql-stats-store.js';

/** The store owns the context's database and destroys it on close. */
export type SqlStoreOptions = SqlContextOptions;

/** Default page size of `listAudit`. */
export const defaultAuditPageSize = 1000;
const verifyPageSize = 5000;
/** `store_meta`: `<seq>:<hash>` of the last audit event removed by retention (LOG-1); the chain starts after it. */
const auditFloorMeta = 'audit_floor';
/** `store_meta`: the last retention purge slot that ran (zero-padded, so text order is numeric order). */
const purgeSlotMeta = 'retention_purge_slot';
/** `store_meta`: JSON counts deleted by retention purges and not yet reported in a `retention-purged` event. */
const purgedMeta = 'retention_purged_unreported';

const locales: readonly Locale[] = ['zh', 'en'];
const ageBands: readonly AgeBand[] = ['unknown', 'under-14', '14-15', '16-17', 'adult', 'elderly'];
const defaultLocale: Locale = 'zh';

const messageColumns = [
  'id',
  'sessionId',
  'userId',
  'role',
  'content',
  'keyId',
  'contentId',
  'status',
  'createdAt',
  'author',
] as const satisfies readonly (keyof Insertable<MessagesTable>)[];

/** Who wrote a message whose row names nobody (rows before migration 0004). */
const authorOfRole = (role: string): MessageAuthor => (role === 'user' ? 'user' : 'ai');

/** A message as its row: content sealed under the user's data key, bound to the message id. */
export async function messageRow(
  ctx: SqlContext,
  message: NewMessage,
  now: number,
): Promise<Insertable<MessagesTable> & { author: string }> {
  const characterId = (await ctx.characterOfSession(message.sessionId)) ?? '';
  const { keyId, key } = await ctx.dataKeyForUser(message.userId, now, characterId);
  return {
    id: message.id,
    sessionId: message.sessionId,
    userId: message.userId,
    role: message.role,
    content: encryptContent(key, message.id, message.content),
    keyId,
    contentId: message.contentId,
    status: message.status,
    createdAt: message.createdAt,
    author: message.author ?? authorOfRole(message.role),
  };
}

/** Rows of messages decrypted; a missing or foreign key is a `store-error` (shredded data). */
export async function decryptMessages(
  ctx: SqlContext,
  rows: readonly Selectable<MessagesTable>[],
): Promise<MessageRecord[]> {
  const keys = await ctx.dataKeysById(new Set(rows.map((row) => row.keyId)));
  return rows.map((row) => {
    const dataKey = keys.get(row.keyId);
    if (!dataKey || dataKey.userId !== row.userId) {
      throw new CgError(
        'store-error',
        `The data key of message ${row.id} is missing (shredded?) or belongs to another user.`,
      );
    }
    return {
      id: row.id,
      sessionId: row.sessionId,
      userId: row.userId,
      role: row.role as MessageRole,
      content: decryptContent(dataKey.key, row.id, row.content),
      contentId: row.contentId,
      status: row.status as MessageStatus,
      createdAt: row.createdAt,
      author: (row.author as MessageAuthor | null) ?? authorOfRole(row.role),
    };
  });
}

/**
 * The Kysely store for SQLite and PostgreSQL. Construct it with `createStore`, which opens, migrates and
 * checks the master key first.
 *
 * Concurrency: every multi-row change is one transaction. SQLite transactions start with `BEGIN IMMEDIATE`
 * (one writer at a time, no lock upgrades); PostgreSQL runs READ COMMITTED and serializes audit appends by
 * locking the chain-head row (`SELECT … FOR UPDATE`), always after any session row, so locks are taken in one
 * order. Session transitions are compare-and-set on `version`.
 */
export class SqlStore implements Store {
  readonly #ctx: SqlContext;
  readonly staff: SqlStaffStore;
  readonly profiles: SqlProfileStore;
  readonly incidents: SqlIncidentStore;
  readonly notifications: SqlNotificationStore;
  readonly minors: SqlMinorStore;
  readonly appeals: SqlAppealStore;
  readonly emotions: SqlEmotionalStateStore;
  readonly complaints: SqlComplaintStore;
  readonly guardians: SqlGuardianStore;
  readonly dataRights: SqlDataRightsStore;
  readonly controls: SqlControlStore;
  readonly stats: SqlStatsStore;
  /** Rate-limit counters shared by the instances (PostgreSQL without Redis). */
  readonly rateLimits: SqlRateLimitStore;
  /**
   * ASSESS-2: userId → the day its row's `lastActiveDay` was last seen committed at (it only moves forward),
   * so a user's later turns that day skip reading the row (the cached user record lags behind it).
   */
  readonly #activeDays = new LruCache<string, string>(10_000);

  constructor(options: SqlStoreOptions) {
    this.#ctx = new SqlContext(options);
    this.staff = new SqlStaffStore(this.#ctx);
    this.incidents = new SqlIncidentStore(this.#ctx);
    this.notifications = new SqlNotificationStore(this.#ctx);
    this.minors = new SqlMinorStore(this.#ctx);
    this.appeals = new SqlAppealStore(this.#ctx);
    this.emotions = new SqlEmotionalStateStore(this.#ctx);
    this.complaints = new SqlComplaintStore(this.#ctx);
    this.guardians = new SqlGuardianStore(this.#ctx);
    this.dataRights = new SqlDataRightsStore(this.#ctx);
    this.controls = new SqlControlStore(this.#ctx);
    this.stats = new SqlStatsStore(this.#ctx);
    this.rateLimits = new SqlRateLimitStore(this.#ctx);
    this.profiles = new SqlProfileStore(this.#ctx, (externalId, now, defaults) =>
      this.ensureUser(externalId, now, defaults),
    );
  }

  // ---- users ----

  ensureUser(externalId: string, now: number, defaults: { locale?: Locale } = {}): Promise<UserRecord> {
    return this.#ctx.run('ensureUser', async () => {
      const found = await this.#selectUserByExternalId(externalId);
      if (found) return toUser(found);
      // ASSESS-2: a user this call created is counted in the same transaction.
      await this.#ctx.transaction(async (trx) => {
        const inserted = await trx
          .insertInto('users')
          .values({
            id: randomUUID(),
            externalId,
            locale: defaults.locale ?? defaultLocale,
            ageBand: 'unknown',
            createdAt: now,
          })
          .onConflict((oc) => oc.column('externalId').doNothing())
          .returning('id')
          .executeTakeFirst();
        if (inserted) await this.#ctx.addCounters(trx, newUserDeltas(this.#ctx.dayOf(now)));
      });
      const row = await this.#selectUserByExternalId(externalId);
      if (!row) throw new CgError('store-error', 'A user row vanished right after it was inserted.');
      return toUser(row);
    });
  }

  getUser(id: string): Promise<UserRecord | undefined> {
    return this.#ctx.run('getUser', async () => {
      const row = await this.#ctx.first(
        this.#ctx.db,
        'userById',
        ['id'],
        (s) => this.#ctx.db.selectFrom('users').selectAll().where('id', '=', s.id),
        { id },
      );
      return row ? toUser(row) : undefined;
    });
  }

  updateUser(id: string, patch: { locale?: Locale; ageBand?: AgeBand }): Promise<UserRecord> {
    return this.#ctx.run('updateUser', async () => {
      const set: { locale?: string; ageBand?: string } = {};
      if (patch.locale !== undefined) set.locale = patch.locale;
      if (patch.ageBand !== undefined) set.ageBand = patch.ageBand;
      const row =
        Object.keys(set).length === 0
          ? await this.#ctx.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()
          : await this.#ctx.db
              .updateTable('users')
              .set(set)
              .where('id', '=', id)
              .returningAll()
              .executeTakeFirst();
      if (!row) throw new CgError('not-found', `No user ${id}.`);
      return toUser(row);
    });
  }

  #selectUserByExternalId(externalId: string): Promise<Selectable<UsersTable> | undefined> {
    return this.#ctx.first(
      this.#ctx.db,
      'userByExternalId',
      ['externalId'],
      (s) => this.#ctx.db.selectFrom('users').selectAll().where('externalId', '=', s.externalId),
      { externalId },
    );
  }

  // ---- characters ----

  listCharacters(): Promise<StoredCharacter[]> {
    return this.#ctx.run('listCharacters', async () => {
      const rows = await this.#ctx.db.selectFrom('characters').selectAll().orderBy('id').execute();
      return rows.map(toCharacter);
    });
  }

  getCharacter(id: string): Promise<StoredCharacter | undefined> {
    return this.#ctx.run('getCharacter', async () => {
      const row = await this.#ctx.first(
        this.#ctx.db,
        'characterById',
        ['id'],
        (s) => this.#ctx.db.selectFrom('characters').selectAll().where('id', '=', s.id),
        { id },
      );
      return row ? toCharacter(row) : undefined;
    });
  }

  upsertCharacter(character: CharacterRecord): Promise<void> {
    return this.#ctx.run('upsertCharacter', async () => {
      const row = toCharacterRow(character, 'config', Date.now());
      const { id: _id, ...update } = row;
      await this.#ctx.db
        .insertInto('characters')
        .values(row)
        .onConflict((oc) => oc.column('id').doUpdateSet(update))
        .execute();
    });
  }

  saveConsoleCharacter(
    character: CharacterRecord,
    now: number,
    audit: readonly AuditInput[],
  ): Promise<StoredCharacter> {
    return this.#ctx.run('saveConsoleCharacter', () =>
      this.#ctx.transaction(async (trx) => {
        const row = toCharacterRow(character, 'console', now);
        const { id: _id, ...update } = row;
        // The WHERE on the conflict branch makes "config-managed stays read-only" one atomic statement.
        const saved = await trx
          .insertInto('characters')
          .values(row)
          .onConflict((oc) =>
            oc.column('id').doUpdateSet(update).where('characters.managedBy', '=', 'console'),
          )
          .returningAll()
          .executeTakeFirst();
        if (!saved) {
          throw new CgError(
            'character-read-only',
            `Character ${character.id} is managed by the config file.`,
          );
        }
        await this.#ctx.appendAuditWithin(trx, audit);
        return toCharacter(saved);
      }),
    );
  }

  // ---- sessions ----

  latestSession<S>(userId: string, characterId: string): Promise<SessionRecord<S> | undefined> {
    return this.#ctx.run('latestSession', async () => {
      const row = await this.#ctx.first(
        this.#ctx.db,
        'latestSession',
        ['userId', 'characterId'],
        (s) =>
          this.#ctx.db
            .selectFrom('sessions')
            .selectAll()
            .where('userId', '=', s.userId)
            .where('characterId', '=', s.characterId)
            .orderBy('seq', 'desc')
            // A literal: SQLite runs `limit ?` two to three times slower here (measured).
            .limit(sql.lit(1)),
        { userId, characterId },
      );
      return row ? toSession<S>(row) : undefined;
    });
  }

  getSession<S>(id: string): Promise<SessionRecord<S> | undefined> {
    return this.#ctx.run('getSession', async () => {
      const row = await this.#ctx.first(
        this.#ctx.db,
        'sessionById',
        ['id'],
        (s) => this.#ctx.db.selectFrom('sessions').selectAll().where('id', '=', s.id),
        { id },
      );
      return row ? toSession<S>(row) : undefined;
    });
  }

  latestSessionOfUser<S>(userId: string): Promise<SessionRecord<S> | undefined> {
    return this.#ctx.run('latestSessionOfUser', async () => {
      const row = await this.#ctx.first(
        this.#ctx.db,
        'latestSessionOfUser',
        ['userId'],
        (s) =>
          this.#ctx.db
            .selectFrom('sessions')
            .selectAll()
            .where('userId', '=', s.userId)
            .orderBy('updatedAt', 'desc')
            .orderBy('seq', 'desc')
            // A literal: SQLite runs `limit ?` two to three times slower here (measured).
            .limit(sql.lit(1)),
        { userId },
      );
      return row ? toSession<S>(row) : undefined;
    });
  }

  createSession<S>(
    session: { id: string; userId: string; characterId: string; state: S; now: number },
    audit: readonly AuditInput[],
  ): Promise<SessionRecord<S>> {
    return this.#ctx.run('createSession', () =>
      this.#ctx.transaction(async (trx) => {
        const row = await this.#ctx.first(
          trx,
          'insertSession',
          ['id', 'userId', 'characterId', 'state', 'now'],
          (s) =>
            this.#ctx.db
              .insertInto('sessions')
              .values({
                id: s.id,
                userId: s.userId,
                characterId: s.characterId,
                state: s.state,
                version: 1,
                createdAt: s.now,
                updatedAt: s.now,
              })
              .onConflict((oc) => oc.column('id').doNothing())
              .returningAll(),
          { ...session, state: encodeState(session.state) },
        );
        if (!row) throw new CgError('session-exists', `Session ${session.id} already exists.`);
        await this.#ctx.appendAuditWithin(trx, audit);
        return toSession<S>(row);
      }),
    );
  }

  commitTurn<S>(turn: {
    sessionId: string;
    expectedVersion: number;
    state: S;
    now: number;
    messages: readonly NewMessage[];
    audit: readonly AuditInput[];
    activity?: TurnActivity;
    lazyFlush?: boolean;
  }): Promise<SessionRecord<S>> {
    return this.#ctx.run('commitTurn', async () => {
      for (const message of turn.messages) {
        if (message.sessionId !== turn.sessionId) {
          throw new CgError('internal', `Message ${message.id} belongs to another session than the turn's.`);
        }
      }
      // Keys are fetched (or created) and content sealed before the transaction, so that the write lock is
      // held only for the writes; a key created here is committed on its own and is never a phantom.
      const messageRows: (Insertable<MessagesTable> & { author: string })[] = [];
      for (const message of turn.messages) messageRows.push(await messageRow(this.#ctx, message, turn.now));
      const keyIds = new Set(messageRows.map((m) => m.keyId));
      const day = this.#ctx.dayOf(turn.now);
      const { activity } = turn;
      if (
        this.#ctx.dialect === 'postgres' &&
        turn.audit.length === 0 &&
        // One message at most: CTEs run in no set order, and `seq` must follow the messages' order.
        messageRows.length <= 1 &&
        (!activity || activity.lastActiveDay === day || this.#activeDays.get(activity.userId) === day)
      ) {
        // A turn with no audit event to chain and no user row to read: one statement, one round trip.
        const counted = activity ? turnDeltas(day, activity.usedMs) : [];
        const row = await this.#ctx.sealedUnder(keyIds, 'session-conflict', () =>
          this.#commitInOneStatement(turn, messageRows, counted, turn.lazyFlush === true),
        );
        if (!row) throw await versionConflict(this.#ctx.db, turn.sessionId, turn.expectedVersion);
        return committedSession(turn, row);
      }
      const done = await this.#ctx.transactionSealedUnder(keyIds, 'session-conflict', async (trx) => {
        // ASSESS-2: the user's row first (the order the minor and appeal stores lock in), on a new day only.
        const { deltas: counted, activeDay } = await countTurn(
          this.#ctx,
          trx,
          turn.now,
          turn.audit,
          turn.activity,
          this.#activeDays,
        );
        const row = await this.#ctx.first(
          trx,
          'transitionSession',
          ['state', 'version', 'now', 'id', 'expectedVersion'],
          (s) =>
            this.#ctx.db
              .updateTable('sessions')
              .set({ state: s.state, version: s.version, updatedAt: s.now })
              .where('id', '=', s.id)
              .where('version', '=', s.expectedVersion)
              .returning(committedColumns),
          {
            state: encodeState(turn.state),
            version: turn.expectedVersion + 1,
            now: turn.now,
            id: turn.sessionId,
            expectedVersion: turn.expectedVersion,
          },
        );
        if (!row) throw await versionConflict(trx, turn.sessionId, turn.expectedVersion);
        await this.#ctx.insertRows(trx, 'messages', messageColumns, messageRows);
        await this.#ctx.appendAuditWithin(trx, turn.audit);
        await this.#ctx.addCounters(trx, counted);
        return { record: committedSession(turn, row), activeDay };
      });
      // Known only once committed: a rolled-back turn must find the row's day again.
      if (turn.activity && done.activeDay) this.#activeDays.set(turn.activity.userId, done.activeDay);
      return done.record;
    });
  }

  /**
   * PostgreSQL: the session transition, its messages and counters as one statement (data-modifying CTEs,
   * atomic on their own): the inserts happen only if the compare-and-set on `version` matched, which the
   * returned row (none on a conflict) tells. With `lazyFlush`, `synchronous_commit` is off for this statement's
   * transaction alone (`set_config(…, true)`): PostgreSQL commits by the setting in effect at commit.
   */
  async #commitInOneStatement(
    turn: { sessionId: string; expectedVersion: number; state: unknown; now: number },
    messages: readonly (Insertable<MessagesTable> & { author: string })[],
    deltas: readonly CounterDelta[],
    lazyFlush: boolean,
  ): Promise<CommittedColumns | undefined> {
    const matched = sql`where exists (select 1 from s)`;
    const inserts = messages.map(
      (m, i) => sql`, ${sql.raw(`m${i}`)} as (insert into messages
        (id, session_id, user_id, role, content, key_id, content_id, status, created_at, author)
        select ${m.id}::text, ${m.sessionId}::text, ${m.userId}::text, ${m.role}::text, ${m.content}::bytea,
          ${m.keyId}::text, ${m.contentId}::text, ${m.status}::text, ${m.createdAt}::bigint, ${m.author}::text
        ${matched})`,
    );
    const counters = mergeDeltas(deltas);
    const shard = this.#ctx.counterShard();
    const count =
      counters.length === 0
        ? sql``
        : sql`, c as (insert into stats_counters (day, name, shard, value)
            select * from (values ${sql.join(
              counters.map(
                (c) => sql`(${c.day}::text, ${c.name}::text, ${shard}::integer, ${c.value}::bigint)`,
              ),
            )}) v ${matched}
            on conflict (day, name, shard) do update set value = stats_counters.value + excluded.value)`;
    const result = await sql<CommittedColumns>`with s as (update sessions
        set state = ${encodeState(turn.state)}, version = ${turn.expectedVersion + 1}, updated_at = ${turn.now}
        where id = ${turn.sessionId} and version = ${turn.expectedVersion}${
          lazyFlush ? sql` and set_config('synchronous_commit', 'off', true) = 'off'` : sql``
        }
        returning user_id, character_id, created_at)
      ${sql.join(inserts, sql``)}${count}
      select * from s`.execute(this.#ctx.db);
    return result.rows[0];
  }

  // ---- messages ----

  listMessages(sessionId: string, options: { limit?: number } = {}): Promise<MessageRecord[]> {
    return this.#ctx.run('listMessages', async () => {
      const query = this.#ctx.db.selectFrom('messages').selectAll().where('sessionId', '=', sessionId);
      const rows =
        options.limit === undefined
          ? await query.orderBy('seq').execute()
          : (
              await query
                .orderBy('seq', 'desc')
                .limit(Math.max(0, Math.floor(options.limit)))
                .execute()
            ).reverse();
      return decryptMessages(this.#ctx, rows);
    });
  }

  // ---- audit ----

  appendAudit(events: readonly AuditInput[]): Promise<AuditEvent[]> {
    return this.#ctx.run('appendAudit', async () => {
      if (events.length === 0) return [];
      return this.#ctx.transaction((trx) => this.#ctx.appendAuditWithin(trx, events));
    });
  }

  listAudit(options: NonNullable<Parameters<Store['listAudit']>[0]> = {}): Promise<AuditEvent[]> {
    return this.#ctx.run('listAudit', async () => {
      const limit = Math.floor(options.limit ?? defaultAuditPageSize);
      if (limit <= 0) return [];
      let query = this.#ctx.db
        .selectFrom('auditEvents')
        .selectAll()
        .where('seq', '>', options.afterSeq ?? 0);
      if (options.sessionId !== undefined) query = query.where('sessionId', '=', options.sessionId);
      // The reports' filters (ASSESS-2, ASSESS-5): a scan of the chain in the database, not in the process.
      if (options.requirements !== undefined) {
        if (options.requirements.length === 0) return [];
        query = query.where('requirement', 'in', options.requirements);
      }
      if (options.from !== undefined) query = query.where('at', '>=', options.from);
      if (options.to !== undefined) query = query.where('at', '<', options.to);
      const rows = await query.orderBy('seq').limit(limit).execute();
      return rows.map(toAuditEvent);
    });
  }

  /**
   * Recomputes every hash and link, page by page, from the chain's start (genesis or the retention purge
   * point). Also compares the chain's end with the head row, so deleting the newest events is detected too
   * (`brokenAt` is then the first missing seq); with checkpoints, see the port.
   */
  verifyAudit(
    options: { checkpoints?: readonly Pick<AuditCheckpoint, 'seq' | 'hash'>[] } = {},
  ): Promise<AuditVerification> {
    return this.#ctx.run('verifyAudit', async () => {
      const floor = await this.#auditFloor(this.#ctx.db);
      const anchors = new Map((options.checkpoints ?? []).map((c) => [c.seq, c.hash]));
      const newestAnchor = Math.max(0, ...anchors.keys());
      const from = floor.seq + 1;
      let expectedSeq = from;
      let prevHash = floor.hash;
      let lastAnchored = floor.seq;
      const fail = (
        brokenAt: number,
        reason: NonNullable<AuditVerification['reason']>,
        checkpointSeq?: number,
      ): AuditVerification => ({
        ok: false,
        count: expectedSeq - from,
        brokenAt,
        reason,
        ...(checkpointSeq === undefined ? {} : { checkpointSeq }),
        ...(from > 1 ? { from } : {}),
      });
      if (options.checkpoints && floor.seq > 0 && anchors.get(floor.seq) !== floor.hash) {
        return fail(from, 'floor', floor.seq);
      }
      for (;;) {
        const rows = await this.#ctx.db
          .selectFrom('auditEvents')
          .selectAll()
          .where('seq', '>=', expectedSeq)
          .orderBy('seq')
          .limit(verifyPageSize)
          .execute();
        for (const row of rows) {
          if (row.seq !== expectedSeq || row.prevHash !== prevHash) return fail(row.seq, 'link');
          // The data column holds the canonical JSON that was hashed; hashing the stored text as is (no
          // re-parsing) is faster and stricter: even an equivalent rewrite of the JSON breaks the chain.
          const hash = hashAuditBody(prevHash, auditHashBody(row, row.data));
          if (hash !== row.hash) return fail(row.seq, 'link');
          const anchor = anchors.get(row.seq);
          if (anchor !== undefined) {
            // A chain rewritten and recomputed after some event links up; the signed hash here does not.
            if (anchor !== hash) return fail(lastAnchored + 1, 'checkpoint', row.seq);
            lastAnchored = row.seq;
          }
          prevHash = row.hash;
          expectedSeq += 1;
        }
        if (rows.length < verifyPageSize) break;
      }
      const last = expectedSeq - 1;
      if (newestAnchor > last) return fail(last + 1, 'truncated', newestAnchor);
      const head = await this.auditHead();
      if (head.seq !== last || head.hash !== prevHash) return fail(last + 1, 'head');
      return { ok: true, count: last + 1 - from, ...(from > 1 ? { from } : {}) };
    });
  }

  // ---- LOG-1: checkpoints and retention ----

  auditHead(): Promise<{ seq: number; hash: string }> {
    return this.#ctx.run('auditHead', async () => {
      const head = await this.#ctx.db
        .selectFrom('auditHead')
        .select(['seq', 'hash'])
        .where('id', '=', 1)
        .executeTakeFirst();
      return head ?? { seq: 0, hash: genesisHash };
    });
  }

  recordAuditCheckpoint(checkpoint: AuditCheckpoint): Promise<'recorded' | 'duplicate' | 'conflict'> {
    return this.#ctx.run('recordAuditCheckpoint', async () => {
      const result = await this.#ctx.db
        .insertInto('auditCheckpoints')
        .values({ ...checkpoint })
        .onConflict((oc) => oc.column('seq').doNothing())
        .executeTakeFirst();
      if (Number(result.numInsertedOrUpdatedRows ?? 0) === 1) return 'recorded';
      const kept = await this.#ctx.db
        .selectFrom('auditCheckpoints')
        .select('hash')
        .where('seq', '=', checkpoint.seq)
        .executeTakeFirst();
      return kept?.hash === checkpoint.hash ? 'duplicate' : 'conflict';
    });
  }

  listAuditCheckpoints(): Promise<AuditCheckpoint[]> {
    return this.#ctx.run('listAuditCheckpoints', () =>
      this.#ctx.db.selectFrom('auditCheckpoints').selectAll().orderBy('seq').execute(),
    );
  }

  purgeExpired(purge: RetentionPurge): Promise<RetentionCounts | null> {
    return this.#ctx.run('purgeExpired', async () => {
      const slot = String(purge.slot).padStart(16, '0');
      const claimed = await this.#ctx.db
        .insertInto('storeMeta')
        .values({ name: purgeSlotMeta, value: slot })
        .onConflict((oc) =>
          oc.column('name').doUpdateSet({ value: slot }).where('storeMeta.value', '<', slot),
        )
        .executeTakeFirst();
      if (Number(claimed.numInsertedOrUpdatedRows ?? 0) === 0) return null;
      const batch = Math.max(1, Math.floor(purge.batchSize ?? 1000));
      const checkpoints = purge.auditCheckpoints ?? [];
      // Audit events: the chain's start moves to the furthest checkpoint within one batch (at least one).
      let next = 0;
      for (let moved = true; moved; ) {
        moved = await this.#ctx.transaction(async (trx) => {
          const floor = await this.#auditFloor(trx);
          while ((checkpoints[next]?.seq ?? Infinity) <= floor.seq) next += 1;
          let last = next;
          while ((checkpoints[last + 1]?.seq ?? Infinity) - floor.seq <= batch) last += 1;
          const target = checkpoints[last];
          if (!target) return false;
          const at = await trx
            .selectFrom('auditEvents')
            .select('hash')
            .where('seq', '=', target.seq)
            .executeTakeFirst();
          if (at?.hash !== target.hash) {
            throw new CgError(
              'store-error',
              `The audit event at checkpoint ${target.seq} does not match it; purge stopped (run audit verify).`,
            );
          }
          const deleted = await trx
            .deleteFrom('auditEvents')
            .where('seq', '<=', target.seq)
            .executeTakeFirst();
          const value = `${target.seq}:${target.hash}`;
          await trx
            .insertInto('storeMeta')
            .values({ name: auditFloorMeta, value })
            .onConflict((oc) => oc.column('name').doUpdateSet({ value }))
            .execute();
          await this.#addPurged(trx, { auditEvents: Number(deleted.numDeletedRows) });
          return true;
        });
      }
      const inBatches = async (
        counter: keyof RetentionCounts,
        deleteBatch: (trx: Kysely<Database>) => Promise<{ numDeletedRows: bigint }>,
      ) => {
        for (let deleted = batch; deleted === batch; ) {
          deleted = await this.#ctx.transaction(async (trx) => {
            const n = Number((await deleteBatch(trx)).numDeletedRows);
            if (n > 0) await this.#addPurged(trx, { [counter]: n });
            return n;
          });
        }
      };
      const { messagesBefore, networkLogsBefore } = purge;
      if (messagesBefore !== undefined) {
        await inBatches('messages', (trx) =>
          trx
            .deleteFrom('messages')
            .where('seq', 'in', (eb) =>
              eb
                .selectFrom('messages')
                .select('seq')
                .where('createdAt', '<', messagesBefore)
                .orderBy('seq')
                .limit(batch),
            )
            .executeTakeFirstOrThrow(),
        );
      }
      if (networkLogsBefore !== undefined) {
        await inBatches('staffSessions', (trx) =>
          trx
            .deleteFrom('staffSessions')
            .where('id', 'in', (eb) =>
              eb
                .selectFrom('staffSessions')
                .select('id')
                .where((w) =>
                  w.or([
                    w.and([w('revokedAt', 'is not', null), w('revokedAt', '<', networkLogsBefore)]),
                    w('lastSeenAt', '<', networkLogsBefore),
                  ]),
                )
                .orderBy('id')
                .limit(batch),
            )
            .executeTakeFirstOrThrow(),
        );
      }
      return this.#ctx.transaction(async (trx) => {
        const totals = await this.#addPurged(trx, {});
        if (totals.auditEvents + totals.messages + totals.staffSessions === 0) return totals;
        const floor = await this.#auditFloor(trx);
        await this.#ctx.appendAuditWithin(trx, purge.audit(totals, floor.seq));
        await trx.deleteFrom('storeMeta').where('name', '=', purgedMeta).execute();
        return totals;
      });
    });
  }

  /**
   * Adds `delta` to the running purge totals in `store_meta` inside the caller's transaction (the row is
   * locked until commit on PostgreSQL, so overlapping runs never lose a count) and returns the new totals.
   */
  async #addPurged(trx: Kysely<Database>, delta: Partial<RetentionCounts>): Promise<RetentionCounts> {
    await trx
      .insertInto('storeMeta')
      .values({ name: purgedMeta, value: '{}' })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    const query = trx.selectFrom('storeMeta').select('value').where('name', '=', purgedMeta);
    const row = await (this.#ctx.dialect === 'postgres' ? query.forUpdate() : query).executeTakeFirst();
    const was = JSON.parse(row?.value ?? '{}') as Partial<RetentionCounts>;
    const totals = {
      auditEvents: (was.auditEvents ?? 0) + (delta.auditEvents ?? 0),
      messages: (was.messages ?? 0) + (delta.messages ?? 0),
      staffSessions: (was.staffSessions ?? 0) + (delta.staffSessions ?? 0),
    };
    await trx
      .updateTable('storeMeta')
      .set({ value: JSON.stringify(totals) })
      .where('name', '=', purgedMeta)
      .execute();
    return totals;
  }

  /** Where the chain starts: genesis, or the last event a retention purge removed. */
  async #auditFloor(db: Kysely<Database>): Promise<{ seq: number; hash: string }> {
    const row = await db
      .selectFrom('storeMeta')
      .select('value')
      .where('name', '=', auditFloorMeta)
      .executeTakeFirst();
    const match = row ? /^(\d+):([0-9a-f]{64})$/.exec(row.value) : null;
    return match ? { seq: Number(match[1]), hash: match[2] as string } : { seq: 0, hash: genesisHash };
  }

  // ---- API keys ----

  createApiKey(key: ApiKeyRecord, audit: readonly AuditInput[] = []): Promise<void> {
    return this.#ctx.run('createApiKey', () =>
      this.#ctx.transaction(async (trx) => {
        await trx
          .insertInto('apiKeys')
          .values({
            id: key.id,
            label: key.label,
            hash: key.hash,
            createdAt: key.createdAt,
            revokedAt: key.revokedAt,
          })
          .execute();
        await this.#ctx.appendAuditWithin(trx, audit);
      }),
    );
  }

  findApiKeyByHash(hash: string): Promise<ApiKeyRecord | undefined> {
    return this.#ctx.run('findApiKeyByHash', async () => {
      const row = await this.#ctx.first(
        this.#ctx.db,
        'apiKeyByHash',
        ['hash'],
        (s) => this.#ctx.db.selectFrom('apiKeys').selectAll().where('hash', '=', s.hash),
        { hash },
      );
      return row ? toApiKey(row) : undefined;
    });
  }

  listApiKeys(): Promise<ApiKeyRecord[]> {
    return this.#ctx.run('listApiKeys', async () => {
      const rows = await this.#ctx.db
        .selectFrom('apiKeys')
        .selectAll()
        .orderBy('createdAt')
        .orderBy('id')
        .execute();
      return rows.map(toApiKey);
    });
  }

  revokeApiKey(id: string, now: number, audit: readonly AuditInput[] = []): Promise<ApiKeyRecord> {
    return this.#ctx.run('revokeApiKey', () =>
      this.#ctx.transaction(async (trx) => {
        const revoked = await trx
          .updateTable('apiKeys')
          .set({ revokedAt: now })
          .where('id', '=', id)
          .where('revokedAt', 'is', null)
          .returningAll()
          .executeTakeFirst();
        if (revoked) {
          await this.#ctx.appendAuditWithin(trx, audit);
          return toApiKey(revoked);
        }
        const row = await trx.selectFrom('apiKeys').selectAll().where('id', '=', id).executeTakeFirst();
        if (!row) throw new CgError('not-found', `No API key ${id}.`);
        return toApiKey(row);
      }),
    );
  }

  // ---- master-key rotation (DATA-1) ----

  /** ASSESS-2: synthetic users, activity and aggregates for benchmarks and demos (see {@link seedSynthetic}). */
  seedSynthetic(
    plan: SeedPlan,
    progress: (done: number, total: number) => void = () => {},
  ): Promise<SeedResult> {
    return this.#ctx.run('seedSynthetic', () => seedSynthetic(this.#ctx, plan, progress));
  }

  /** See {@link rewrapUnderCurrentKey}: safe while other instances serve from the same database. */
  rewrapDataKeys(options: { now: number; batchSize?: number }): Promise<RewrapResult> {
    return this.#ctx.run('rewrapDataKeys', () => rewrapUnderCurrentKey(this.#ctx, options));
  }

  // ---- lifecycle ----

  ping(): Promise<void> {
    return this.#ctx.run('ping', async () => {
      await sql`select 1`.execute(this.#ctx.db);
    });
  }

  async close(): Promise<void> {
    if (this.#ctx.closed) return;
    this.#ctx.closed = true;
    await this.#ctx.flush();
    await this.#ctx.run('close', () => this.#ctx.db.destroy());
  }
}

/** Why a compare-and-set on a session's version matched nothing: `session-conflict`, or `not-found`. */
async function versionConflict(db: Kysely<Database>, sessionId: string, expected: number): Promise<CgError> {
  const current = await db
    .selectFrom('sessions')
    .select('version')
    .where('id', '=', sessionId)
    .executeTakeFirst();
  if (!current) return new CgError('not-found', `No session ${sessionId}.`);
  return new CgError(
    'session-conflict',
    `Session ${sessionId} is at version ${current.version}, not ${expected}.`,
  );
}

function encodeState(state: unknown): string {
  return JSON.stringify(state) ?? 'null';
}

function parseAuditData(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Maps a `users` row (also used by the profile store). */
export function toUser(row: Selectable<UsersTable>): UserRecord {
  return {
    id: row.id,
    externalId: row.externalId,
    locale: locales.includes(row.locale as Locale) ? (row.locale as Locale) : defaultLocale,
    ageBand: ageBands.includes(row.ageBand as AgeBand) ? (row.ageBand as AgeBand) : 'unknown',
    createdAt: row.createdAt,
    birthDate: row.birthDate,
    declaredAge:
      row.declaredAge !== null && row.ageDeclaredAt !== null
        ? { age: row.declaredAge, at: row.ageDeclaredAt }
        : null,
    timeZone: row.timeZone,
    region: row.region,
    minorMode: row.minorMode === 1,
    appealOutcomePending: row.appealPending === 1,
    emotionalScores: { emotion: row.emotionScore, dependence: row.dependenceScore, at: row.scoresAt },
    lastActiveDay: row.lastActiveDay,
    complaintReplyPending: row.complaintReplyPending === 1,
  };
}

/**
 * ASSESS-2: what a commit adds to the stats, inside its transaction: the reminders and exits of its audit
 * events; for a user's turn, one turn and its use; and on the user's first turn of the day (the caller's
 * `lastActiveDay` is not today: the row, locked, decides) the daily and monthly actives and the age bands,
 * the row moved to today. Returns the counters to add (the caller adds them once the turn is written) and,
 * for a user's turn, the day the row is at once committed (`activeDays` holds those already known).
 */
async function countTurn(
  ctx: SqlContext,
  trx: Kysely<Database>,
  now: number,
  audit: readonly AuditInput[],
  activity: TurnActivity | undefined,
  activeDays: LruCache<string, string>,
): Promise<{ deltas: CounterDelta[]; activeDay?: string }> {
  const day = ctx.dayOf(now);
  const deltas = auditDeltas(
    day,
    audit.map((a) => a.type),
  );
  if (!activity) return { deltas };
  deltas.push(...turnDeltas(day, activity.usedMs));
  if (activity.lastActiveDay === day || activeDays.get(activity.userId) === day) return { deltas };
  let read = trx.selectFrom('users').select(['lastActiveDay', 'statsBand']).where('id', '=', activity.userId);
  if (ctx.dialect === 'postgres') read = read.forUpdate();
  const user = await read.executeTakeFirst();
  if (user && (user.lastActiveDay === null || user.lastActiveDay < day)) {
    await trx
      .updateTable('users')
      .set({ lastActiveDay: day, statsBand: activity.ageBand })
      .where('id', '=', activity.userId)
      .execute();
    deltas.push(
      ...firstTurnDeltas(day, user.lastActiveDay, activity.ageBand, user.statsBand as AgeBand | null),
    );
  }
  return user && (user.lastActiveDay ?? '') <= day ? { deltas, activeDay: day } : { deltas };
}

function toLocalizedText(text: string): LocalizedText {
  const value = JSON.parse(text) as Partial<LocalizedText>;
  return { zh: value.zh ?? '', en: value.en ?? '' };
}

function toCharacterRow(
  character: CharacterRecord,
  managedBy: CharacterManager,
  now: number,
): Insertable<CharactersTable> & { id: string } {
  return {
    id: character.id,
    name: JSON.stringify({ zh: character.name.zh, en: character.name.en }),
    description: JSON.stringify({ zh: character.description.zh, en: character.description.en }),
    scope: character.scope,
    relation: character.relation,
    persona: character.persona,
    model: character.model,
    enabled: character.enabled ? 1 : 0,
    updatedAt: now,
    managedBy,
  };
}

function toCharacter(row: Selectable<CharactersTable>): StoredCharacter {
  return {
    id: row.id,
    name: toLocalizedText(row.name),
    description: toLocalizedText(row.description),
    scope: row.scope === 'tool' ? 'tool' : 'companion',
    relation: row.relation as CharacterRelation,
    persona: row.persona,
    model: row.model,
    enabled: row.enabled !== 0,
    managedBy: row.managedBy === 'console' ? 'console' : 'config',
  };
}

/** What a commit reads back of the session row: the columns it does not set. */
const committedColumns = ['userId', 'characterId', 'createdAt'] as const;
type CommittedColumns = Pick<Selectable<SessionsTable>, (typeof committedColumns)[number]>;

/** The session a commit wrote, from what it set (the state as given: not parsed back) and the row's other columns. */
function committedSession<S>(
  turn: { sessionId: string; expectedVersion: number; state: S; now: number },
  row: CommittedColumns,
): SessionRecord<S> {
  return {
    id: turn.sessionId,
    userId: row.userId,
    characterId: row.characterId,
    state: turn.state,
    version: turn.expectedVersion + 1,
    createdAt: row.createdAt,
    updatedAt: turn.now,
  };
}

function toSession<S>(row: Selectable<SessionsTable>): SessionRecord<S> {
  return {
    id: row.id,
    userId: row.userId,
    characterId: row.characterId,
    state: JSON.parse(row.state) as S,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function toAuditEvent(row: Selectable<AuditEventsTable>): AuditEvent {
  return {
    seq: row.seq,
    type: row.type,
    // Written from an AuditInput; requirement IDs are stable.
    requirement: row.requirement as AuditEvent['requirement'],
    at: row.at,
    userId: row.userId,
    sessionId: row.sessionId,
    data: parseAuditData(row.data) ?? {},
    prevHash: row.prevHash,
    hash: row.hash,
  };
}

function toApiKey(row: Selectable<ApiKeysTable>): ApiKeyRecord {
  return { id: row.id, label: row.label, hash: row.hash, createdAt: row.createdAt, revokedAt: row.revokedAt };
}
