import { randomUUID } from 'node:crypto';
import {
  type AgeBand,
  type ApiKeyRecord,
  type AuditEvent,
  type AuditInput,
  type AuditVerification,
  CgError,
  type CharacterRecord,
  type CharacterRelation,
  isCgError,
  type Locale,
  type LocalizedText,
  type MessageRecord,
  type MessageRole,
  type MessageStatus,
  type NewMessage,
  type SessionRecord,
  type Store,
  type UserRecord,
} from '@companion-guard/core';
import { type Compilable, CompiledQuery, type Insertable, type Kysely, type Selectable, sql } from 'kysely';
import {
  auditHashBody,
  type ChainedAuditEvent,
  chainAuditEvents,
  genesisHash,
  hashAuditBody,
} from '../audit-chain.js';
import {
  decryptContent,
  encryptContent,
  generateDataKey,
  LruCache,
  unwrapDataKey,
  wrapDataKey,
} from '../envelope-cipher.js';
import { QueryTemplates } from './query-templates.js';
import type {
  ApiKeysTable,
  AuditEventsTable,
  CharactersTable,
  Database,
  MessagesTable,
  SessionsTable,
  UsersTable,
} from './schema.js';
import type { SqlDialectName } from './sql-dialect.js';

export interface SqlStoreOptions {
  /** A Kysely over the migrated database, with the CamelCasePlugin. The store owns it and destroys it on close. */
  readonly db: Kysely<Database>;
  readonly dialect: SqlDialectName;
  /** 32 bytes; wraps every user's data key. */
  readonly masterKey: Uint8Array;
  /** How many unwrapped data keys to keep in memory. Default 10 000. */
  readonly keyCacheSize?: number;
}

/** Default page size of `listAudit`. */
export const defaultAuditPageSize = 1000;
const verifyPageSize = 5000;
/** Rows per multi-row INSERT, well under SQLite's and PostgreSQL's bound-parameter limits. */
const insertChunkRows = 500;

const locales: readonly Locale[] = ['zh', 'en'];
const ageBands: readonly AgeBand[] = ['unknown', 'under-14', '14-15', '16-17', 'adult', 'elderly'];
const defaultLocale: Locale = 'zh';

const beginImmediate = CompiledQuery.raw('begin immediate');
const commit = CompiledQuery.raw('commit');
const rollback = CompiledQuery.raw('rollback');

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
] as const satisfies readonly (keyof Insertable<MessagesTable>)[];

const auditColumns = [
  'seq',
  'type',
  'requirement',
  'at',
  'userId',
  'sessionId',
  'data',
  'prevHash',
  'hash',
] as const satisfies readonly (keyof AuditEventsTable)[];

interface DataKey {
  readonly keyId: string;
  readonly key: Buffer;
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
  readonly #db: Kysely<Database>;
  readonly #dialect: SqlDialectName;
  readonly #masterKey: Uint8Array;
  /** keyId → unwrapped data key. */
  readonly #keys: LruCache<string, DataKey & { userId: string }>;
  /** userId → id of the user's current key. */
  readonly #userKeyIds: LruCache<string, string>;
  readonly #templates = new QueryTemplates();
  #closed = false;

  constructor(options: SqlStoreOptions) {
    this.#db = options.db;
    this.#dialect = options.dialect;
    this.#masterKey = options.masterKey;
    const capacity = options.keyCacheSize ?? 10_000;
    this.#keys = new LruCache(capacity);
    this.#userKeyIds = new LruCache(capacity);
  }

  // ---- users ----

  ensureUser(externalId: string, now: number, defaults: { locale?: Locale } = {}): Promise<UserRecord> {
    return this.#run('ensureUser', async () => {
      const found = await this.#selectUserByExternalId(externalId);
      if (found) return toUser(found);
      await this.#db
        .insertInto('users')
        .values({
          id: randomUUID(),
          externalId,
          locale: defaults.locale ?? defaultLocale,
          ageBand: 'unknown',
          createdAt: now,
        })
        .onConflict((oc) => oc.column('externalId').doNothing())
        .execute();
      const row = await this.#selectUserByExternalId(externalId);
      if (!row) throw new CgError('store-error', 'A user row vanished right after it was inserted.');
      return toUser(row);
    });
  }

  getUser(id: string): Promise<UserRecord | undefined> {
    return this.#run('getUser', async () => {
      const row = await this.#first(
        this.#db,
        'userById',
        ['id'],
        (s) => this.#db.selectFrom('users').selectAll().where('id', '=', s.id),
        { id },
      );
      return row ? toUser(row) : undefined;
    });
  }

  updateUser(id: string, patch: { locale?: Locale; ageBand?: AgeBand }): Promise<UserRecord> {
    return this.#run('updateUser', async () => {
      const set: { locale?: string; ageBand?: string } = {};
      if (patch.locale !== undefined) set.locale = patch.locale;
      if (patch.ageBand !== undefined) set.ageBand = patch.ageBand;
      const row =
        Object.keys(set).length === 0
          ? await this.#db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()
          : await this.#db
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
    return this.#first(
      this.#db,
      'userByExternalId',
      ['externalId'],
      (s) => this.#db.selectFrom('users').selectAll().where('externalId', '=', s.externalId),
      { externalId },
    );
  }

  // ---- characters ----

  listCharacters(): Promise<CharacterRecord[]> {
    return this.#run('listCharacters', async () => {
      const rows = await this.#db.selectFrom('characters').selectAll().orderBy('id').execute();
      return rows.map(toCharacter);
    });
  }

  getCharacter(id: string): Promise<CharacterRecord | undefined> {
    return this.#run('getCharacter', async () => {
      const row = await this.#first(
        this.#db,
        'characterById',
        ['id'],
        (s) => this.#db.selectFrom('characters').selectAll().where('id', '=', s.id),
        { id },
      );
      return row ? toCharacter(row) : undefined;
    });
  }

  upsertCharacter(character: CharacterRecord): Promise<void> {
    return this.#run('upsertCharacter', async () => {
      const row = {
        id: character.id,
        name: JSON.stringify({ zh: character.name.zh, en: character.name.en }),
        description: JSON.stringify({ zh: character.description.zh, en: character.description.en }),
        scope: character.scope,
        relation: character.relation,
        persona: character.persona,
        model: character.model,
        enabled: character.enabled ? 1 : 0,
        updatedAt: Date.now(),
      };
      const { id: _id, ...update } = row;
      await this.#db
        .insertInto('characters')
        .values(row)
        .onConflict((oc) => oc.column('id').doUpdateSet(update))
        .execute();
    });
  }

  // ---- sessions ----

  latestSession<S>(userId: string, characterId: string): Promise<SessionRecord<S> | undefined> {
    return this.#run('latestSession', async () => {
      const row = await this.#first(
        this.#db,
        'latestSession',
        ['userId', 'characterId'],
        (s) =>
          this.#db
            .selectFrom('sessions')
            .selectAll()
            .where('userId', '=', s.userId)
            .where('characterId', '=', s.characterId)
            .orderBy('seq', 'desc')
            .limit(1),
        { userId, characterId },
      );
      return row ? toSession<S>(row) : undefined;
    });
  }

  getSession<S>(id: string): Promise<SessionRecord<S> | undefined> {
    return this.#run('getSession', async () => {
      const row = await this.#first(
        this.#db,
        'sessionById',
        ['id'],
        (s) => this.#db.selectFrom('sessions').selectAll().where('id', '=', s.id),
        { id },
      );
      return row ? toSession<S>(row) : undefined;
    });
  }

  latestSessionOfUser<S>(userId: string): Promise<SessionRecord<S> | undefined> {
    return this.#run('latestSessionOfUser', async () => {
      const row = await this.#first(
        this.#db,
        'latestSessionOfUser',
        ['userId'],
        (s) =>
          this.#db
            .selectFrom('sessions')
            .selectAll()
            .where('userId', '=', s.userId)
            .orderBy('updatedAt', 'desc')
            .orderBy('seq', 'desc')
            .limit(1),
        { userId },
      );
      return row ? toSession<S>(row) : undefined;
    });
  }

  createSession<S>(
    session: { id: string; userId: string; characterId: string; state: S; now: number },
    audit: readonly AuditInput[],
  ): Promise<SessionRecord<S>> {
    return this.#run('createSession', () =>
      this.#transaction(async (trx) => {
        const row = await this.#first(
          trx,
          'insertSession',
          ['id', 'userId', 'characterId', 'state', 'now'],
          (s) =>
            this.#db
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
        await this.#appendAuditWithin(trx, audit);
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
  }): Promise<SessionRecord<S>> {
    return this.#run('commitTurn', async () => {
      for (const message of turn.messages) {
        if (message.sessionId !== turn.sessionId) {
          throw new CgError('internal', `Message ${message.id} belongs to another session than the turn's.`);
        }
      }
      // Keys are fetched (or created) and content sealed before the transaction, so that the write lock is
      // held only for the writes; a key created here is committed on its own and is never a phantom.
      const messageRows: Insertable<MessagesTable>[] = [];
      for (const message of turn.messages) {
        const { keyId, key } = await this.#dataKeyForUser(message.userId, turn.now);
        messageRows.push({
          id: message.id,
          sessionId: message.sessionId,
          userId: message.userId,
          role: message.role,
          content: encryptContent(key, message.id, message.content),
          keyId,
          contentId: message.contentId,
          status: message.status,
          createdAt: message.createdAt,
        });
      }
      return this.#transaction(async (trx) => {
        const row = await this.#first(
          trx,
          'transitionSession',
          ['state', 'version', 'now', 'id', 'expectedVersion'],
          (s) =>
            this.#db
              .updateTable('sessions')
              .set({ state: s.state, version: s.version, updatedAt: s.now })
              .where('id', '=', s.id)
              .where('version', '=', s.expectedVersion)
              .returningAll(),
          {
            state: encodeState(turn.state),
            version: turn.expectedVersion + 1,
            now: turn.now,
            id: turn.sessionId,
            expectedVersion: turn.expectedVersion,
          },
        );
        if (!row) {
          const current = await trx
            .selectFrom('sessions')
            .select('version')
            .where('id', '=', turn.sessionId)
            .executeTakeFirst();
          if (!current) throw new CgError('not-found', `No session ${turn.sessionId}.`);
          throw new CgError(
            'session-conflict',
            `Session ${turn.sessionId} is at version ${current.version}, not ${turn.expectedVersion}.`,
          );
        }
        for (let i = 0; i < messageRows.length; i += insertChunkRows) {
          await this.#insertRows(trx, 'messages', messageColumns, messageRows.slice(i, i + insertChunkRows));
        }
        await this.#appendAuditWithin(trx, turn.audit);
        return toSession<S>(row);
      });
    });
  }

  // ---- messages ----

  listMessages(sessionId: string, options: { limit?: number } = {}): Promise<MessageRecord[]> {
    return this.#run('listMessages', async () => {
      const query = this.#db.selectFrom('messages').selectAll().where('sessionId', '=', sessionId);
      const rows =
        options.limit === undefined
          ? await query.orderBy('seq').execute()
          : (
              await query
                .orderBy('seq', 'desc')
                .limit(Math.max(0, Math.floor(options.limit)))
                .execute()
            ).reverse();
      const keys = await this.#dataKeysById(new Set(rows.map((row) => row.keyId)));
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
        };
      });
    });
  }

  /** The user's current data key, created and stored wrapped on first use. */
  async #dataKeyForUser(userId: string, now: number): Promise<DataKey> {
    const cachedId = this.#userKeyIds.get(userId);
    if (cachedId !== undefined) {
      const cached = this.#keys.get(cachedId);
      if (cached) return cached;
    }
    const select = () =>
      this.#db.selectFrom('userKeys').selectAll().where('userId', '=', userId).executeTakeFirst();
    let row = await select();
    if (!row) {
      const id = randomUUID();
      const key = generateDataKey();
      await this.#db
        .insertInto('userKeys')
        .values({ id, userId, wrappedKey: wrapDataKey(this.#masterKey, userId, id, key), createdAt: now })
        .onConflict((oc) => oc.column('userId').doNothing())
        .execute();
      row = await select();
      if (!row) throw new CgError('store-error', `The data key of user ${userId} vanished after insert.`);
    }
    const dataKey = {
      keyId: row.id,
      userId,
      key: unwrapDataKey(this.#masterKey, userId, row.id, row.wrappedKey),
    };
    this.#keys.set(row.id, dataKey);
    this.#userKeyIds.set(userId, row.id);
    return dataKey;
  }

  async #dataKeysById(keyIds: ReadonlySet<string>): Promise<Map<string, DataKey & { userId: string }>> {
    const found = new Map<string, DataKey & { userId: string }>();
    const missing: string[] = [];
    for (const keyId of keyIds) {
      const cached = this.#keys.get(keyId);
      if (cached) found.set(keyId, cached);
      else missing.push(keyId);
    }
    if (missing.length > 0) {
      const rows = await this.#db.selectFrom('userKeys').selectAll().where('id', 'in', missing).execute();
      for (const row of rows) {
        const dataKey = {
          keyId: row.id,
          userId: row.userId,
          key: unwrapDataKey(this.#masterKey, row.userId, row.id, row.wrappedKey),
        };
        this.#keys.set(row.id, dataKey);
        found.set(row.id, dataKey);
      }
    }
    return found;
  }

  // ---- audit ----

  appendAudit(events: readonly AuditInput[]): Promise<AuditEvent[]> {
    return this.#run('appendAudit', async () => {
      if (events.length === 0) return [];
      return this.#transaction((trx) => this.#appendAuditWithin(trx, events));
    });
  }

  /** Links events onto the chain inside the caller's transaction, holding the chain-head lock until commit. */
  async #appendAuditWithin(trx: Kysely<Database>, inputs: readonly AuditInput[]): Promise<AuditEvent[]> {
    if (inputs.length === 0) return [];
    // SQLite needs no row lock: BEGIN IMMEDIATE already made this the only writer.
    const head = await this.#first(
      trx,
      'lockAuditHead',
      [],
      () => {
        const query = this.#db.selectFrom('auditHead').select(['seq', 'hash']).where('id', '=', 1);
        return this.#dialect === 'postgres' ? query.forUpdate() : query;
      },
      {},
    );
    if (!head) throw new CgError('store-error', 'The audit chain head row is missing.');
    const chained = chainAuditEvents(head.seq, head.hash, inputs);
    const events = chained.map((c) => c.event);
    for (let i = 0; i < events.length; i += insertChunkRows) {
      await this.#insertRows(
        trx,
        'auditEvents',
        auditColumns,
        chained.slice(i, i + insertChunkRows).map(toAuditRow),
      );
    }
    const last = events[events.length - 1];
    if (last) {
      await trx.executeQuery(
        this.#templates.bind(
          'moveAuditHead',
          ['seq', 'hash'],
          (s) => this.#db.updateTable('auditHead').set({ seq: s.seq, hash: s.hash }).where('id', '=', 1),
          { seq: last.seq, hash: last.hash },
        ),
      );
    }
    return events;
  }

  listAudit(options: { afterSeq?: number; limit?: number; sessionId?: string } = {}): Promise<AuditEvent[]> {
    return this.#run('listAudit', async () => {
      const limit = Math.floor(options.limit ?? defaultAuditPageSize);
      if (limit <= 0) return [];
      let query = this.#db
        .selectFrom('auditEvents')
        .selectAll()
        .where('seq', '>', options.afterSeq ?? 0);
      if (options.sessionId !== undefined) query = query.where('sessionId', '=', options.sessionId);
      const rows = await query.orderBy('seq').limit(limit).execute();
      return rows.map(toAuditEvent);
    });
  }

  /**
   * Recomputes every hash and link, page by page. Also compares the chain's end with the head row, so
   * deleting the newest events is detected too (`brokenAt` is then the first missing seq).
   */
  verifyAudit(): Promise<AuditVerification> {
    return this.#run('verifyAudit', async () => {
      let expectedSeq = 1;
      let prevHash = genesisHash;
      for (;;) {
        const rows = await this.#db
          .selectFrom('auditEvents')
          .selectAll()
          .where('seq', '>=', expectedSeq)
          .orderBy('seq')
          .limit(verifyPageSize)
          .execute();
        for (const row of rows) {
          if (row.seq !== expectedSeq || row.prevHash !== prevHash) {
            return { ok: false, count: expectedSeq - 1, brokenAt: row.seq };
          }
          // The data column holds the canonical JSON that was hashed; hashing the stored text as is (no
          // re-parsing) is faster and stricter: even an equivalent rewrite of the JSON breaks the chain.
          const hash = hashAuditBody(prevHash, auditHashBody(row, row.data));
          if (hash !== row.hash) return { ok: false, count: expectedSeq - 1, brokenAt: row.seq };
          prevHash = row.hash;
          expectedSeq += 1;
        }
        if (rows.length < verifyPageSize) break;
      }
      const count = expectedSeq - 1;
      const head = await this.#db
        .selectFrom('auditHead')
        .select(['seq', 'hash'])
        .where('id', '=', 1)
        .executeTakeFirst();
      if (!head || head.seq !== count || head.hash !== prevHash) {
        return { ok: false, count, brokenAt: count + 1 };
      }
      return { ok: true, count };
    });
  }

  // ---- API keys ----

  createApiKey(key: ApiKeyRecord): Promise<void> {
    return this.#run('createApiKey', async () => {
      await this.#db
        .insertInto('apiKeys')
        .values({
          id: key.id,
          label: key.label,
          hash: key.hash,
          createdAt: key.createdAt,
          revokedAt: key.revokedAt,
        })
        .execute();
    });
  }

  findApiKeyByHash(hash: string): Promise<ApiKeyRecord | undefined> {
    return this.#run('findApiKeyByHash', async () => {
      const row = await this.#first(
        this.#db,
        'apiKeyByHash',
        ['hash'],
        (s) => this.#db.selectFrom('apiKeys').selectAll().where('hash', '=', s.hash),
        { hash },
      );
      return row ? toApiKey(row) : undefined;
    });
  }

  listApiKeys(): Promise<ApiKeyRecord[]> {
    return this.#run('listApiKeys', async () => {
      const rows = await this.#db
        .selectFrom('apiKeys')
        .selectAll()
        .orderBy('createdAt')
        .orderBy('id')
        .execute();
      return rows.map(toApiKey);
    });
  }

  /** Sets `revokedAt` once; revoking a revoked key keeps the first time. Unknown id: `CgError('not-found')`. */
  revokeApiKey(id: string, now: number): Promise<void> {
    return this.#run('revokeApiKey', async () => {
      const result = await this.#db
        .updateTable('apiKeys')
        .set({ revokedAt: now })
        .where('id', '=', id)
        .where('revokedAt', 'is', null)
        .executeTakeFirst();
      if (result.numUpdatedRows > 0n) return;
      const row = await this.#db.selectFrom('apiKeys').select('id').where('id', '=', id).executeTakeFirst();
      if (!row) throw new CgError('not-found', `No API key ${id}.`);
    });
  }

  // ---- lifecycle ----

  ping(): Promise<void> {
    return this.#run('ping', async () => {
      await sql`select 1`.execute(this.#db);
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#run('close', () => this.#db.destroy());
  }

  /** Runs the template `key` (compiled once) with `values` on `db`; the first row or undefined. */
  async #first<P extends string, R>(
    db: Kysely<Database>,
    key: string,
    slots: readonly P[],
    build: (slot: Readonly<Record<P, never>>) => Compilable<R>,
    values: Readonly<Record<P, unknown>>,
  ): Promise<R | undefined> {
    const result = await db.executeQuery(this.#templates.bind(key, slots, build, values));
    return result.rows[0];
  }

  /** A multi-row INSERT through a template per (table, row count). */
  async #insertRows<T extends 'messages' | 'auditEvents', C extends string>(
    db: Kysely<Database>,
    table: T,
    columns: readonly C[],
    rows: readonly Readonly<Record<C, unknown>>[],
  ): Promise<void> {
    if (rows.length === 0) return;
    const slots: string[] = [];
    const values: Record<string, unknown> = {};
    rows.forEach((row, i) => {
      for (const column of columns) {
        slots.push(`${i}:${column}`);
        values[`${i}:${column}`] = row[column];
      }
    });
    const query = this.#templates.bind(
      `insert:${table}:${rows.length}`,
      slots,
      (s) =>
        this.#db.insertInto(table).values(
          rows.map((_, i) => {
            const row: Record<string, never> = {};
            for (const column of columns) row[column] = s[`${i}:${column}`] as never;
            return row as Insertable<Database[T]>;
          }) as Insertable<Database[T]>[],
        ),
      values,
    );
    await db.executeQuery(query);
  }

  /**
   * Runs `work` in one transaction. SQLite: `BEGIN IMMEDIATE` on its single connection (Kysely holds the
   * connection for the whole callback, so in-process callers queue); PostgreSQL: READ COMMITTED.
   */
  async #transaction<T>(work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
    if (this.#dialect === 'postgres') return this.#db.transaction().execute(work);
    return this.#db.connection().execute(async (connection) => {
      await connection.executeQuery(beginImmediate);
      let result: T;
      try {
        result = await work(connection);
      } catch (error) {
        // SQLite may already have rolled back on some errors; the original error is the one to report.
        await connection.executeQuery(rollback).catch(() => undefined);
        throw error;
      }
      try {
        await connection.executeQuery(commit);
      } catch (error) {
        await connection.executeQuery(rollback).catch(() => undefined);
        throw error;
      }
      return result;
    });
  }

  /** Maps every unexpected failure to `CgError('store-error')` naming only the operation and the DB code. */
  async #run<T>(operation: string, work: () => Promise<T>): Promise<T> {
    if (this.#closed && operation !== 'close') {
      throw new CgError('store-error', `Store operation ${operation} called after close.`);
    }
    try {
      return await work();
    } catch (error) {
      if (isCgError(error)) throw error;
      const code = databaseErrorCode(error);
      throw new CgError('store-error', `Store operation ${operation} failed${code ? ` (${code})` : ''}.`, {
        cause: error,
      });
    }
  }
}

function databaseErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const code = (error as { code: unknown }).code;
  return typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code) ? code : undefined;
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

function toUser(row: Selectable<UsersTable>): UserRecord {
  return {
    id: row.id,
    externalId: row.externalId,
    locale: locales.includes(row.locale as Locale) ? (row.locale as Locale) : defaultLocale,
    ageBand: ageBands.includes(row.ageBand as AgeBand) ? (row.ageBand as AgeBand) : 'unknown',
    createdAt: row.createdAt,
  };
}

function toLocalizedText(text: string): LocalizedText {
  const value = JSON.parse(text) as Partial<LocalizedText>;
  return { zh: value.zh ?? '', en: value.en ?? '' };
}

function toCharacter(row: Selectable<CharactersTable>): CharacterRecord {
  return {
    id: row.id,
    name: toLocalizedText(row.name),
    description: toLocalizedText(row.description),
    scope: row.scope === 'tool' ? 'tool' : 'companion',
    relation: row.relation as CharacterRelation,
    persona: row.persona,
    model: row.model,
    enabled: row.enabled !== 0,
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

function toAuditRow({ event, dataJson }: ChainedAuditEvent): AuditEventsTable {
  return {
    seq: event.seq,
    type: event.type,
    requirement: event.requirement,
    at: event.at,
    userId: event.userId ?? null,
    sessionId: event.sessionId ?? null,
    data: dataJson,
    prevHash: event.prevHash,
    hash: event.hash,
  };
}

function toAuditEvent(row: Selectable<AuditEventsTable>): AuditEvent {
  return {
    seq: row.seq,
    type: row.type,
    requirement: row.requirement,
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
