import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import {
  type Dialect,
  PostgresDialect,
  type SqliteDatabase,
  SqliteDialect,
  type SqliteStatement,
} from 'kysely';
import pg from 'pg';
import { LruCache } from '../envelope-cipher.js';
import { ensurePrivateDir, ensurePrivateFile } from '../private-files.js';
import type { StoreLocation } from './store-url.js';

export type SqlDialectName = 'sqlite' | 'postgres';

/**
 * SQLite durability. `full` (default): every commit is fsynced, so a power cut loses nothing the store
 * acknowledged. `normal`: in WAL mode a process crash still loses nothing, but a power cut or OS crash may
 * drop the last commits (never corrupts); faster on slow disks.
 */
export type SqliteSynchronous = 'full' | 'normal';

export interface SqlDialectOptions {
  readonly sqliteSynchronous?: SqliteSynchronous;
  /** How long a SQLite writer waits for another process's lock before failing. Default 5000 ms. */
  readonly sqliteBusyTimeoutMs?: number;
  /** PostgreSQL pool size. Default 10. */
  readonly postgresPoolSize?: number;
}

/** A SQLite connection the store can also run statements on directly (see `SqlContext.execute`). */
export interface DirectSqlite extends SqliteDatabase {
  /** Whether a transaction is open on the connection (better-sqlite3's `inTransaction`). */
  readonly inTransaction: boolean;
}

/** Filled with the SQLite connection when the dialect opens it. */
export interface SqliteHandle {
  current?: DirectSqlite;
}

/** PostgreSQL's int8 (bigint: epoch ms, identity columns, counts) as JS numbers; all fit below 2^53. */
const int8Oid = 20;
const postgresTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === int8Oid && format !== 'binary'
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

/** The Kysely dialect for a parsed store location (see `parseStoreUrl`); a SQLite one fills `handle` when it opens. */
export function createSqlDialect(
  location: StoreLocation,
  options: SqlDialectOptions = {},
  handle: SqliteHandle = {},
): Dialect {
  if (location.dialect === 'postgres') {
    const pool = new pg.Pool({
      connectionString: location.connectionString,
      max: options.postgresPoolSize ?? 10,
      // A database that accepts no connection (down, cut off) fails a request in 10 s instead of hanging it.
      connectionTimeoutMillis: 10_000,
      types: postgresTypes,
    });
    // A client losing its connection must not crash the process: an idle one the pool drops ('error'), and
    // one checked out between two queries of a transaction has no listener of the pool's, so it gets its own;
    // its next query fails (`store-unavailable`) and the pool drops it when it is released.
    pool.on('error', () => undefined);
    const names = new Map<string, string>();
    pool.on('connect', (client) => {
      client.on('error', () => undefined);
      prepareStatements(client, names);
    });
    return new PostgresDialect({ pool });
  }
  return new SqliteDialect({
    database: () => {
      handle.current = openSqlite(location.filename, options);
      return Promise.resolve(handle.current);
    },
  });
}

/** Distinct statement texts named per pool, and their most parameters (bulk writes vary in size and are rare). */
const maxNamedStatements = 200;
const maxNamedParameters = 64;

/**
 * PostgreSQL parses and plans an unnamed statement every time it runs, a named (prepared) one once per
 * connection; Kysely sends every query unnamed. So each parameterized statement text gets a name (the first
 * {@link maxNamedStatements} texts of the pool: the store runs a few dozen templates), which `pg` prepares on
 * a connection the first time that connection runs it. A statement prepared before a migration changed the
 * columns it returns fails with "cached plan must not change result type": its text gets a new name (every
 * connection prepares it again) and, outside a transaction block, it is run again at once.
 */
function prepareStatements(client: pg.PoolClient, names: Map<string, string>): void {
  let idle = true;
  client.connection.on('readyForQuery', (message: { status?: string }) => {
    idle = message.status === 'I';
  });
  const query = client.query.bind(client) as (...args: unknown[]) => Promise<pg.QueryResult>;
  const nameOf = (text: string) => {
    let name = names.get(text);
    if (name === undefined && names.size < maxNamedStatements) {
      name = `cg_${names.size}`;
      names.set(text, name);
    }
    return name;
  };
  client.query = ((...args: unknown[]) => {
    const [text, values] = args;
    if (args.length !== 2 || typeof text !== 'string' || !Array.isArray(values)) return query(...args);
    const name = values.length > 0 && values.length <= maxNamedParameters ? nameOf(text) : undefined;
    if (name === undefined) return query(text, values);
    const outside = idle;
    return query({ name, text, values }).catch((error: unknown) => {
      if ((error as { routine?: unknown }).routine !== 'RevalidateCachedQuery') throw error;
      const renamed = `${name}_${randomUUID().slice(0, 8)}`;
      if (names.get(text) === name) names.set(text, renamed);
      if (!outside) throw error;
      return query({ name: names.get(text) ?? renamed, text, values });
    });
  }) as typeof client.query;
}

/**
 * Opens a SQLite file (creating its directory) with the store's pragmas, behind a statement cache. The
 * directory is made 0700 and the file 0600 before SQLite opens it; SQLite gives the WAL and SHM it creates
 * the database file's mode, so they are private too.
 */
export function openSqlite(filename: string, options: SqlDialectOptions = {}): DirectSqlite {
  if (filename !== ':memory:') {
    // An existing directory is left as it is (it may be shared, e.g. /tmp); the data dir is tightened at start.
    if (!existsSync(dirname(filename))) ensurePrivateDir(dirname(filename));
    sqlitePrivateFiles(filename);
  }
  const db = new BetterSqlite3(filename);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.sqliteSynchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.sqliteBusyTimeoutMs ?? 5000))}`);
    db.pragma('foreign_keys = ON');
    // The checkpointer copies the WAL back; this connection does it only if the WAL grows far (a stuck worker).
    if (filename !== ':memory:') db.pragma('wal_autocheckpoint = 20000');
  } catch (error) {
    db.close();
    throw error;
  }
  return new StatementCachingDatabase(
    db,
    filename === ':memory:' ? undefined : checkpointer(filename, options),
  );
}

/** How often the checkpointer copies the WAL into the database file. */
const checkpointEveryMs = 500;

/**
 * A worker thread with its own connection that checkpoints the WAL (PASSIVE: never blocks the writer)
 * every {@link checkpointEveryMs}. SQLite's automatic checkpoint would run inside some commit on the event
 * loop and, with its fsyncs, make that turn the slowest of hundreds; here it runs beside the turns.
 * It starts {@link checkpointEveryMs} after the store opens (a store closed sooner never starts one);
 * `stop()` closes its connection before returning, so the store's own close can still remove the WAL.
 */
function checkpointer(filename: string, options: SqlDialectOptions): { stop(): void } {
  const done = new Int32Array(new SharedArrayBuffer(4));
  let worker: Worker | undefined;
  let exited = false;
  const start = () => {
    worker = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
    const db = new (require(workerData.module))(workerData.filename);
    db.pragma('busy_timeout = 1000');
    db.pragma('synchronous = ' + workerData.synchronous);
    const timer = setInterval(() => { try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {} }, workerData.every);
    parentPort.once('message', () => {
      clearInterval(timer);
      db.close();
      Atomics.store(workerData.done, 0, 1);
      Atomics.notify(workerData.done, 0);
      parentPort.close();
    });`,
      {
        eval: true,
        workerData: {
          module: createRequire(import.meta.url).resolve('better-sqlite3'),
          filename,
          synchronous: options.sqliteSynchronous === 'normal' ? 'NORMAL' : 'FULL',
          every: checkpointEveryMs,
          done,
        },
      },
    );
    worker.unref();
    // A checkpointer that fails leaves checkpoints to the connection (wal_autocheckpoint above).
    worker.on('error', () => {
      exited = true;
    });
    worker.on('exit', () => {
      exited = true;
    });
  };
  const starting = setTimeout(start, checkpointEveryMs);
  starting.unref();
  let stopped = false;
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      clearTimeout(starting);
      if (!worker || exited) return;
      worker.postMessage('stop');
      // Waits (bounded) for the worker's connection to close; a worker still starting is terminated.
      if (Atomics.wait(done, 0, 0, 2_000) === 'timed-out') void worker.terminate();
    },
  };
}

/** Creates the database file 0600 (or tightens it and its WAL and SHM); returns a warning per tightened file. */
export function sqlitePrivateFiles(filename: string): string[] {
  return ensurePrivateFile(filename, [`${filename}-wal`, `${filename}-shm`]);
}

/**
 * better-sqlite3 compiles a statement on every `prepare`; Kysely prepares every query it runs. Keeping
 * the compiled statements of recent SQL texts makes a turn's handful of statements cost microseconds.
 * Safe because Kysely holds SQLite's single connection for one query at a time and the store never
 * streams (a streaming iterator would keep its statement busy).
 */
class StatementCachingDatabase implements DirectSqlite {
  readonly #db: BetterSqlite3.Database;
  readonly #statements = new LruCache<string, SqliteStatement>(256);
  readonly #checkpointer: { stop(): void } | undefined;

  constructor(db: BetterSqlite3.Database, checkpointer?: { stop(): void }) {
    this.#db = db;
    this.#checkpointer = checkpointer;
  }

  get inTransaction(): boolean {
    return this.#db.inTransaction;
  }

  prepare(sql: string): SqliteStatement {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.#db.prepare(sql) as unknown as SqliteStatement;
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  close(): void {
    this.#checkpointer?.stop();
    this.#db.close();
  }
}
