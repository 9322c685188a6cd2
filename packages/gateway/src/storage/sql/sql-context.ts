import { randomUUID } from 'node:crypto';
import {
  type AuditEvent,
  type AuditInput,
  CgError,
  type CounterDelta,
  isCgError,
  localDay,
  mergeDeltas,
} from '@companion-guard/core';
import {
  CamelCasePlugin,
  type Compilable,
  CompiledQuery,
  type Insertable,
  type Kysely,
  type QueryResult,
  sql,
} from 'kysely';
import { type ChainedAuditEvent, chainAuditEvents } from '../audit-chain.js';
import {
  generateDataKey,
  LruCache,
  masterKeyId,
  unwrapDataKey,
  unwrapSecret,
  wrapDataKey,
} from '../envelope-cipher.js';
import { QueryTemplates } from './query-templates.js';
import type { AuditEventsTable, Database } from './schema.js';
import type { SqlDialectName, SqliteHandle } from './sql-dialect.js';
import type { IndexKeys } from './sql-index-keys.js';

/** ASSESS-2: rows each stats counter is spread over on PostgreSQL. */
const counterShards = 8;

/** Rows per multi-row INSERT, well under SQLite's and PostgreSQL's bound-parameter limits. */
const insertChunkRows = 500;

const beginImmediate = CompiledQuery.raw('begin immediate');
const commit = CompiledQuery.raw('commit');
const rollback = CompiledQuery.raw('rollback');
const savepoint = CompiledQuery.raw('savepoint cg_grouped');
const releaseSavepoint = CompiledQuery.raw('release cg_grouped');
const rollbackToSavepoint = CompiledQuery.raw('rollback to cg_grouped');

/** A transaction waiting for the next SQLite group commit. */
interface WaitingTransaction {
  readonly work: (trx: Kysely<Database>) => Promise<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

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

export interface DataKey {
  readonly keyId: string;
  readonly userId: string;
  /** '' for the user-wide key. */
  readonly characterId: string;
  readonly key: Buffer;
}

export interface SqlContextOptions {
  /** A Kysely over the migrated database, with the CamelCasePlugin. */
  readonly db: Kysely<Database>;
  readonly dialect: SqlDialectName;
  /** SQLite: the connection the dialect opened, for statements run on it directly (see `SqlContext.execute`). */
  readonly sqlite?: SqliteHandle | undefined;
  /** 32 bytes; wraps every user's data key. */
  readonly masterKey: Uint8Array;
  /** DATA-1 rotation: older master keys still read (never used to wrap) until every row is re-wrapped. */
  readonly previousMasterKeys?: readonly Uint8Array[];
  /**
   * Re-reads the master keys (key files) when a row names a master key this process does not hold, or a
   * rotation started elsewhere: so a running gateway follows `keys rotate-master` without a restart.
   */
  readonly reloadMasterKeys?: () => Promise<MasterKeyring>;
  /** How many unwrapped data keys to keep in memory. Default 10 000. */
  readonly keyCacheSize?: number;
  /** The keys of the store's keyed hashes, independent of the master key (see `loadIndexKeys`). */
  readonly indexKeys: IndexKeys;
  /** ASSESS-2: the deployment's time zone (profile `session.defaultTimeZone`) the stats count days in. Default UTC. */
  readonly timeZone?: string;
}

/** The master keys a store holds: `current` wraps, every key in `previous` only unwraps. */
export interface MasterKeyring {
  readonly current: Uint8Array;
  readonly previous: readonly Uint8Array[];
}

/** `store_meta` row naming the current master key of the latest rotation. */
export const currentMasterKeyMeta = 'master_key_current';

/**
 * What every domain store of the SQL backend shares: the database, error mapping, transactions, the audit
 * chain append and the per-user data keys. Domain stores (`SqlStore`, staff, profiles, …) each take one
 * context, so a change and its audit events commit in one transaction whichever store makes it.
 */
export class SqlContext {
  readonly db: Kysely<Database>;
  readonly dialect: SqlDialectName;
  readonly #sqlite: SqliteHandle | undefined;
  /** SQLite: the connection the running {@link transaction} holds (Kysely's connection lock makes it one). */
  #held: Kysely<Database> | undefined;
  /** id → master key; the first entry is the current one. */
  #masterKeys = new Map<string, Uint8Array>();
  #currentMasterKeyId = '';
  readonly #reloadMasterKeys: (() => Promise<MasterKeyring>) | undefined;
  /** keyId → unwrapped data key. */
  readonly keys: LruCache<string, DataKey>;
  /** `userId NUL characterId` → id of the current key. */
  readonly userKeyIds: LruCache<string, string>;
  /** sessionId → characterId. */
  readonly sessionCharacters: LruCache<string, string>;
  readonly templates = new QueryTemplates();
  /** The keys of the guardians' blind index and code hashes and of notification target hashes. */
  readonly indexKeys: IndexKeys;
  closed = false;
  /** ASSESS-2: the time zone of the stats' days. */
  readonly timeZone: string;

  constructor(options: SqlContextOptions) {
    this.db = options.db;
    this.dialect = options.dialect;
    this.#sqlite = options.sqlite;
    this.timeZone = options.timeZone ?? 'UTC';
    this.setMasterKeys({ current: options.masterKey, previous: options.previousMasterKeys ?? [] });
    this.#reloadMasterKeys = options.reloadMasterKeys;
    this.indexKeys = options.indexKeys;
    const capacity = options.keyCacheSize ?? 10_000;
    this.keys = new LruCache(capacity);
    this.userKeyIds = new LruCache(capacity);
    this.sessionCharacters = new LruCache(capacity);
  }

  /** The master key that wraps new data keys and secrets. */
  get masterKey(): Uint8Array {
    return this.#masterKeys.get(this.#currentMasterKeyId) as Uint8Array;
  }

  get currentMasterKeyId(): string {
    return this.#currentMasterKeyId;
  }

  setMasterKeys(ring: MasterKeyring): void {
    const keys = new Map<string, Uint8Array>();
    for (const key of [ring.current, ...ring.previous]) keys.set(masterKeyId(key), key);
    this.#masterKeys = keys;
    this.#currentMasterKeyId = masterKeyId(ring.current);
  }

  /** Every master key held, current first. */
  get masterKeys(): readonly Uint8Array[] {
    return [...this.#masterKeys.values()];
  }

  async #reload(): Promise<void> {
    if (this.#reloadMasterKeys) this.setMasterKeys(await this.#reloadMasterKeys());
  }

  /**
   * A wrapped data key opened with the master key its row names (reloading the key files once when this
   * process does not hold it), or, for rows written before migration 0009, with whichever key opens it.
   */
  async unwrapUserKey(row: {
    id: string;
    userId: string;
    wrappedKey: Uint8Array;
    masterKeyId: string | null;
  }): Promise<Buffer> {
    if (row.masterKeyId !== null && !this.#masterKeys.has(row.masterKeyId)) await this.#reload();
    const named = row.masterKeyId === null ? undefined : this.#masterKeys.get(row.masterKeyId);
    const candidates = named ? [named] : this.masterKeys;
    let failure: unknown;
    for (const key of candidates) {
      try {
        return unwrapDataKey(key, row.userId, row.id, row.wrappedKey);
      } catch (error) {
        failure = error;
      }
    }
    throw failure ?? new CgError('store-error', `No master key opens the data key ${row.id}.`);
  }

  /**
   * Before wrapping or sealing anything new under `masterKey` (rare writes: a new data key, a staff TOTP
   * secret): re-reads the key files when a rotation elsewhere recorded another current master key (DATA-1),
   * so nothing new is sealed under a key about to be retired.
   */
  async followRotation(db: Kysely<Database> = this.db): Promise<void> {
    const current = await db
      .selectFrom('storeMeta')
      .select('value')
      .where('name', '=', currentMasterKeyMeta)
      .executeTakeFirst();
    if (current && current.value !== this.#currentMasterKeyId) await this.#reload();
  }

  /** A secret sealed under the current or a previous master key (see `wrapSecret`). */
  unwrapSecretWithAnyKey(purpose: string, ownerId: string, wrapped: Uint8Array): string {
    let failure: unknown;
    for (const key of this.#masterKeys.values()) {
      try {
        return unwrapSecret(key, purpose, ownerId, wrapped);
      } catch (error) {
        failure = error;
      }
    }
    throw failure;
  }

  /**
   * The user's current data key for `characterId` (messages with that character), or the user-wide key
   * (`characterId` '': contacts and other non-message records); created and stored wrapped on first use.
   */
  async dataKeyForUser(userId: string, now: number, characterId = ''): Promise<DataKey> {
    const slot = `${userId}\u0000${characterId}`;
    const cachedId = this.userKeyIds.get(slot);
    if (cachedId !== undefined) {
      const cached = this.keys.get(cachedId);
      if (cached) return cached;
    }
    const select = () =>
      this.db
        .selectFrom('userKeys')
        .selectAll()
        .where('userId', '=', userId)
        .where('characterId', '=', characterId)
        .executeTakeFirst();
    let row = await select();
    if (!row) {
      // A new key is rare (a user's first message).
      await this.newDataKey(this.db, userId, characterId, now, true);
      row = await select();
      if (!row) throw new CgError('store-error', `The data key of user ${userId} vanished after insert.`);
    }
    const dataKey = { keyId: row.id, userId, characterId, key: await this.unwrapUserKey(row) };
    this.keys.set(row.id, dataKey);
    this.userKeyIds.set(slot, row.id);
    return dataKey;
  }

  /** The character of a session (immutable, so cached); undefined for an unknown session. */
  async characterOfSession(sessionId: string): Promise<string | undefined> {
    const cached = this.sessionCharacters.get(sessionId);
    if (cached !== undefined) return cached;
    const row = await this.db
      .selectFrom('sessions')
      .select('characterId')
      .where('id', '=', sessionId)
      .executeTakeFirst();
    if (row) this.sessionCharacters.set(sessionId, row.characterId);
    return row?.characterId;
  }

  /** Forgets destroyed keys in this instance's caches (other instances notice at their next write). */
  forgetKeys(destroyed: readonly { keyId: string; userId: string; characterId: string }[]): void {
    for (const { keyId, userId, characterId } of destroyed) {
      this.keys.delete(keyId);
      this.userKeyIds.delete(`${userId}\u0000${characterId}`);
    }
  }

  /**
   * Creates and stores (on `db`, a transaction or not) a fresh data key of (user, character). A new key is
   * rare (a user's first message, a deletion): it first checks that a rotation has not moved the current
   * master key on. `ignoreExisting`: another writer's key for the slot wins (insert or nothing).
   */
  async newDataKey(
    db: Kysely<Database>,
    userId: string,
    characterId: string,
    now: number,
    ignoreExisting = false,
  ): Promise<DataKey> {
    await this.followRotation(db);
    const keyId = randomUUID();
    const key = generateDataKey();
    const insert = db.insertInto('userKeys').values({
      id: keyId,
      userId,
      characterId,
      wrappedKey: wrapDataKey(this.masterKey, userId, keyId, key),
      createdAt: now,
      masterKeyId: this.#currentMasterKeyId,
    });
    await (ignoreExisting
      ? insert.onConflict((oc) => oc.columns(['userId', 'characterId']).doNothing())
      : insert
    ).execute();
    return { keyId, userId, characterId, key };
  }

  /**
   * Inside a write transaction: whether the keys rows were sealed under still exist (a deletion may have
   * destroyed one after sealing); for writers of rows that name no key by foreign key (contacts,
   * notifications, incident notes: all under the user-wide key, which a full deletion replaces). PostgreSQL
   * holds a share lock on them until commit, so a deletion waits and then re-seals or removes these rows too.
   * Destroyed keys are forgotten, so the caller's retry seals under the current key.
   */
  async keysAlive(trx: Kysely<Database>, keyIds: ReadonlySet<string>): Promise<boolean> {
    if (keyIds.size === 0) return true;
    const query = trx
      .selectFrom('userKeys')
      .select('id')
      .where('id', 'in', [...keyIds]);
    const alive = new Set(
      (await (this.dialect === 'postgres' ? query.forShare() : query).execute()).map((r) => r.id),
    );
    const gone = [...keyIds].filter((id) => !alive.has(id));
    this.#forgetKeyIds(gone);
    return gone.length === 0;
  }

  /**
   * One transaction writing messages sealed (before it began) under `keyIds`. `messages.key_id` references
   * `user_keys` and is checked at commit (migration 0011), so the turn pays no query for it: when a deletion
   * destroyed one of the keys meanwhile, the commit fails, the keys are forgotten and `code` is thrown, and
   * the caller retries under a fresh key. Nothing is ever stored under a destroyed key.
   */
  transactionSealedUnder<T>(
    keyIds: ReadonlySet<string>,
    code: 'session-conflict' | 'incident-conflict',
    work: (trx: Kysely<Database>) => Promise<T>,
  ): Promise<T> {
    return this.sealedUnder(keyIds, code, () => this.transaction(work));
  }

  /** {@link transactionSealedUnder} for a `write` that is atomic on its own (one statement). */
  async sealedUnder<T>(
    keyIds: ReadonlySet<string>,
    code: 'session-conflict' | 'incident-conflict',
    write: () => Promise<T>,
  ): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (!isForeignKeyViolation(error)) throw error;
      this.#forgetKeyIds([...keyIds]);
      throw new CgError(code, 'A data key was destroyed by a deletion while the change was sealed; retry.', {
        cause: error,
      });
    }
  }

  /**
   * Seals with `seal` (outside any transaction: it may fetch or create keys), then runs `work` in one
   * transaction once {@link keysAlive} confirms the keys it used. When a deletion destroyed one meanwhile
   * (a full deletion replaces the user-wide key), seals again under the current keys: at most 3 times.
   */
  async transactionWithLiveKeys<S, T>(
    seal: () => Promise<{ readonly sealed: S; readonly keyIds: ReadonlySet<string> }>,
    work: (trx: Kysely<Database>, sealed: S) => Promise<T>,
  ): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      const { sealed, keyIds } = await seal();
      const done = await this.transaction(async (trx) =>
        (await this.keysAlive(trx, keyIds)) ? { value: await work(trx, sealed) } : undefined,
      );
      if (done) return done.value;
      if (attempt >= 3) throw new CgError('store-error', 'Data keys kept being destroyed while sealing.');
    }
  }

  #forgetKeyIds(keyIds: readonly string[]): void {
    this.forgetKeys(keyIds.flatMap((id) => this.keys.get(id) ?? []));
  }

  async dataKeysById(keyIds: ReadonlySet<string>): Promise<Map<string, DataKey>> {
    const found = new Map<string, DataKey>();
    const missing: string[] = [];
    for (const keyId of keyIds) {
      const cached = this.keys.get(keyId);
      if (cached) found.set(keyId, cached);
      else missing.push(keyId);
    }
    if (missing.length > 0) {
      const rows = await this.db.selectFrom('userKeys').selectAll().where('id', 'in', missing).execute();
      for (const row of rows) {
        const dataKey = {
          keyId: row.id,
          userId: row.userId,
          characterId: row.characterId,
          key: await this.unwrapUserKey(row),
        };
        this.keys.set(row.id, dataKey);
        found.set(row.id, dataKey);
      }
    }
    return found;
  }

  /** Links events onto the chain inside the caller's transaction, holding the chain-head lock until commit. */
  async appendAuditWithin(trx: Kysely<Database>, inputs: readonly AuditInput[]): Promise<AuditEvent[]> {
    if (inputs.length === 0) return [];
    // SQLite needs no row lock: BEGIN IMMEDIATE already made this the only writer.
    const head = await this.first(
      trx,
      'lockAuditHead',
      [],
      () => {
        const query = this.db.selectFrom('auditHead').select(['seq', 'hash']).where('id', '=', 1);
        return this.dialect === 'postgres' ? query.forUpdate() : query;
      },
      {},
    );
    if (!head) throw new CgError('store-error', 'The audit chain head row is missing.');
    const chained = chainAuditEvents(head.seq, head.hash, inputs);
    const events = chained.map((c) => c.event);
    await this.insertRows(trx, 'auditEvents', auditColumns, chained.map(toAuditRow));
    const last = events[events.length - 1];
    if (last) {
      await this.execute(
        trx,
        this.templates.bind(
          'moveAuditHead',
          ['seq', 'hash'],
          (s) => this.db.updateTable('auditHead').set({ seq: s.seq, hash: s.hash }).where('id', '=', 1),
          { seq: last.seq, hash: last.hash },
        ),
      );
    }
    return events;
  }

  /** Runs the template `key` (compiled once) with `values` on `db`; the first row or undefined. */
  async first<P extends string, R>(
    db: Kysely<Database>,
    key: string,
    slots: readonly P[],
    build: (slot: Readonly<Record<P, never>>) => Compilable<R>,
    values: Readonly<Record<P, unknown>>,
  ): Promise<R | undefined> {
    const result = await this.execute(db, this.templates.bind(key, slots, build, values));
    return result.rows[0];
  }

  /**
   * Runs a compiled query on `db`. On SQLite it goes straight to the connection, past Kysely's executor (the
   * store's hot statements: a turn runs about ten, and in a running gateway Kysely's layers cost more than
   * SQLite's own work) whenever that cannot step into another caller's transaction: inside this context's own
   * {@link transaction}, which holds Kysely's connection lock, or on `this.db` while no transaction is open
   * (one statement, run synchronously, is atomic). Otherwise, and on PostgreSQL, through Kysely. Rows come
   * back camelCased as the CamelCasePlugin gives them.
   */
  execute<R>(db: Kysely<Database>, query: CompiledQuery<R>): Promise<QueryResult<R>> {
    const direct = this.#sqlite?.current;
    if (!direct || (db !== this.#held && (db !== this.db || direct.inTransaction))) {
      return db.executeQuery(query);
    }
    try {
      const statement = direct.prepare(query.sql);
      if (statement.reader) {
        const rows = statement.all(query.parameters).map(camelCaseRow) as R[];
        return Promise.resolve({ rows });
      }
      const { changes, lastInsertRowid } = statement.run(query.parameters);
      return Promise.resolve({
        rows: [],
        numAffectedRows: BigInt(changes),
        insertId: BigInt(lastInsertRowid),
      });
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** A multi-row INSERT through a template per (table, row count), in chunks of {@link insertChunkRows}. */
  async insertRows<T extends keyof Database, C extends string>(
    db: Kysely<Database>,
    table: T,
    columns: readonly C[],
    rows: readonly Readonly<Record<C, unknown>>[],
  ): Promise<void> {
    for (let start = 0; start < rows.length; start += insertChunkRows) {
      const chunk = rows.slice(start, start + insertChunkRows);
      const slots: string[] = [];
      const values: Record<string, unknown> = {};
      chunk.forEach((row, i) => {
        for (const column of columns) {
          slots.push(`${i}:${column}`);
          values[`${i}:${column}`] = row[column];
        }
      });
      const query = this.templates.bind(
        `insert:${table}:${chunk.length}`,
        slots,
        (s) =>
          this.db.insertInto(table).values(
            chunk.map((_, i) => {
              const row: Record<string, never> = {};
              for (const column of columns) row[column] = s[`${i}:${column}`] as never;
              return row as Insertable<Database[T]>;
            }) as Insertable<Database[T]>[],
          ),
        values,
      );
      await this.execute(db, query);
    }
  }

  /**
   * Runs `work` in one transaction; it resolves once that transaction has committed. PostgreSQL: READ
   * COMMITTED. SQLite, one connection: the transactions asked for while the event loop runs one batch of I/O
   * are committed together (a group commit; see {@link #commitGroup}), each inside its own savepoint so that
   * one failing rolls back only itself.
   */
  transaction<T>(work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
    if (this.dialect === 'postgres') return this.db.transaction().execute(work);
    return new Promise<T>((resolve, reject) => {
      this.#waiting.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (this.#groupScheduled) return;
      this.#groupScheduled = true;
      setImmediate(() => {
        this.#groupScheduled = false;
        void this.#commitWaiting();
      });
    });
  }

  /** SQLite: commits the transactions still waiting for their group (the store is closing). */
  async flush(): Promise<void> {
    if (this.#waiting.length > 0) await this.#commitWaiting();
  }

  /** SQLite: transactions waiting for the next group commit, and whether one is scheduled. */
  #waiting: WaitingTransaction[] = [];
  #groupScheduled = false;

  /** Takes Kysely's connection lock (in-process callers queue) and commits what waits, in groups. */
  async #commitWaiting(): Promise<void> {
    let group: WaitingTransaction[] = [];
    try {
      await this.db.connection().execute(async (connection) => {
        this.#held = connection;
        try {
          // Those that came while the lock was awaited join: a later scheduled run may find none left.
          group = this.#waiting.splice(0);
          // Without the connection's handle (a context made without it) a failure could not be told apart
          // from a whole transaction rolled back: one transaction each then.
          const size = this.#sqlite?.current ? group.length : 1;
          for (let at = 0; at < group.length; )
            at += await this.#commitGroup(connection, group.slice(at, at + size));
        } finally {
          this.#held = undefined;
        }
      });
    } catch (error) {
      // No connection (the store was closed): nothing of these ran.
      for (const waiting of [...group, ...this.#waiting.splice(0)]) waiting.reject(error);
    }
  }

  /**
   * Runs `group` in one transaction and settles each once it has committed or failed; returns how many it
   * took. A transaction that throws is rolled back to its savepoint. When SQLite rolls the whole transaction
   * back (a full disk, an I/O error), those run so far fail with that error and the rest are left to the next
   * group. A commit that fails fails them all: nothing of the group was written.
   */
  async #commitGroup(trx: Kysely<Database>, group: readonly WaitingTransaction[]): Promise<number> {
    const direct = this.#sqlite?.current;
    const inGroup = group.length > 1;
    const ran: { waiting: WaitingTransaction; result: unknown }[] = [];
    const failAll = (error: unknown, upTo = group.length) => {
      for (const waiting of group.slice(0, upTo)) waiting.reject(error);
    };
    try {
      await this.execute(trx, beginImmediate);
    } catch (error) {
      failAll(error);
      return group.length;
    }
    for (const [i, waiting] of group.entries()) {
      try {
        if (inGroup) await this.execute(trx, savepoint);
        ran.push({ waiting, result: await waiting.work(trx) });
        if (inGroup) await this.execute(trx, releaseSavepoint);
      } catch (error) {
        if (direct && !direct.inTransaction) {
          failAll(error, i + 1);
          return i + 1;
        }
        // The original error is the one to report.
        await this.execute(trx, inGroup ? rollbackToSavepoint : rollback).catch(() => undefined);
        if (!inGroup) {
          waiting.reject(error);
          return 1;
        }
        if (ran.at(-1)?.waiting === waiting) ran.pop();
        await this.execute(trx, releaseSavepoint).catch(() => undefined);
        waiting.reject(error);
      }
    }
    try {
      await this.execute(trx, commit);
    } catch (error) {
      await this.execute(trx, rollback).catch(() => undefined);
      for (const { waiting } of ran) waiting.reject(error);
      return group.length;
    }
    for (const { waiting, result } of ran) waiting.resolve(result);
    return group.length;
  }

  /** The last quarter hour `dayOf` resolved, and its day. */
  #dayMemo = { quarter: Number.NaN, day: '' };

  /**
   * ASSESS-2: the deployment-local day of `at`. Every turn asks; a day starts on a quarter hour in every
   * time zone in use today, so the day of the last quarter hour asked about is kept.
   */
  dayOf(at: number): string {
    const quarter = Math.floor(at / 900_000);
    if (quarter !== this.#dayMemo.quarter) this.#dayMemo = { quarter, day: localDay(at, this.timeZone) };
    return this.#dayMemo.day;
  }

  /** ASSESS-2: the counter row a write adds to (one of a few on PostgreSQL, see `addCounters`). */
  counterShard(): number {
    return this.dialect === 'postgres' ? Math.floor(Math.random() * counterShards) : 0;
  }

  /**
   * ASSESS-2: adds `deltas` to the stats counters in one multi-row upsert on `db` (a transaction of the
   * caller's). PostgreSQL spreads a call over one of a few shard rows, so concurrent writers rarely wait on one
   * row; SQLite has one writer and one shard.
   */
  async addCounters(db: Kysely<Database>, deltas: readonly CounterDelta[]): Promise<void> {
    const rows = mergeDeltas(deltas);
    if (rows.length === 0) return;
    const shard = this.counterShard();
    for (let i = 0; i < rows.length; i += insertChunkRows) {
      const chunk = rows.slice(i, i + insertChunkRows);
      const slots: string[] = [];
      const values: Record<string, unknown> = {};
      chunk.forEach((row, j) => {
        slots.push(`${j}:day`, `${j}:name`, `${j}:value`);
        values[`${j}:day`] = row.day;
        values[`${j}:name`] = row.name;
        values[`${j}:value`] = row.value;
      });
      slots.push('shard');
      values.shard = shard;
      const query = this.templates.bind(
        `stats-counters:${chunk.length}`,
        slots,
        (s) =>
          this.db
            .insertInto('statsCounters')
            .values(
              chunk.map((_, j) => ({
                day: s[`${j}:day`] as never,
                name: s[`${j}:name`] as never,
                shard: s.shard as never,
                value: s[`${j}:value`] as never,
              })),
            )
            .onConflict((oc) =>
              oc
                .columns(['day', 'name', 'shard'])
                .doUpdateSet({ value: sql<number>`stats_counters.value + excluded.value` }),
            ),
        values,
      );
      await this.execute(db, query);
    }
  }

  /** Maps every unexpected failure to `CgError('store-error')` naming only the operation and the DB code. */
  async run<T>(operation: string, work: () => Promise<T>): Promise<T> {
    if (this.closed && operation !== 'close') {
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

/** A foreign key violation: SQLite's extended code, PostgreSQL's SQLSTATE 23503. */
function isForeignKeyViolation(error: unknown): boolean {
  const code = databaseErrorCode(error);
  return code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || code === '23503';
}

function databaseErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const code = (error as { code: unknown }).code;
  return typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code) ? code : undefined;
}

/** The CamelCasePlugin's own row mapping, for rows read past Kysely's executor. */
class RowMapper extends CamelCasePlugin {
  readonly map = (row: unknown) => this.mapRow(row as Record<string, unknown>);
}
const camelCaseRow = new RowMapper().map;

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
