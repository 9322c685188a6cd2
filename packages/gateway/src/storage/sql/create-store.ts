import { CgError } from '@companion-guard/core';
import {
  CamelCasePlugin,
  type DatabaseIntrospector,
  Kysely,
  type MigrationResultSet,
  Migrator,
  sql,
} from 'kysely';
import { masterKeyCheck } from '../envelope-cipher.js';
import { storeMigrationProvider } from './migrations.js';
import type { Database } from './schema.js';
import type { SqlContextOptions } from './sql-context.js';
import { createSqlDialect, type SqlDialectOptions, type SqliteHandle } from './sql-dialect.js';
import { type IndexKeys, loadIndexKeys } from './sql-index-keys.js';
import { SqlStore } from './sql-store.js';
import { parseStoreUrl, type StoreLocation } from './store-url.js';

export interface CreateStoreOptions extends SqlDialectOptions {
  /**
   * `sqlite:///abs/path.sqlite`, `sqlite:relative/path.sqlite`, `sqlite::memory:`, a plain file path, or
   * `postgres://…` / `postgresql://…` (a `?options=-c%20search_path%3Dmy_schema` parameter selects a schema).
   */
  readonly url: string;
  /** 32 bytes (see `loadOrCreateMasterKey`). */
  readonly masterKey: Uint8Array;
  /** DATA-1 rotation: older master keys, read but never used to wrap (see `SqlContextOptions`). */
  readonly previousMasterKeys?: readonly Uint8Array[];
  /** Re-reads the master keys when a rotation elsewhere moved them on (see `SqlContextOptions`). */
  readonly reloadMasterKeys?: SqlContextOptions['reloadMasterKeys'];
  /** How many unwrapped per-user data keys to keep in memory. Default 10 000. */
  readonly keyCacheSize?: number;
  /** ASSESS-2: the time zone the stats count days in (profile `session.defaultTimeZone`). Default UTC. */
  readonly timeZone?: string;
}

/**
 * Opens the store named by `url`, applies pending migrations, and checks that `masterKey` is the key this
 * database was first opened with (a different key throws `CgError('invalid-config')` before anything is
 * written). SQLite runs in WAL mode with `synchronous=FULL` by default, so an acknowledged write survives a
 * power cut; pass `sqliteSynchronous: 'normal'` to trade that for speed on slow disks.
 *
 * @example
 * const store = await createStore({ url: 'sqlite:data/companion-guard.sqlite', masterKey });
 * const user = await store.ensureUser('app-user-42', Date.now()); // { id: '…uuid…', locale: 'zh', … }
 */
export async function createStore(options: CreateStoreOptions): Promise<SqlStore> {
  if (options.masterKey.length !== 32) {
    throw new CgError('invalid-config', `The master key must be 32 bytes, got ${options.masterKey.length}.`);
  }
  const location = parseStoreUrl(options.url);
  const sqlite: SqliteHandle = {};
  const db = openDatabase(location, options, sqlite);
  const masterKeys = [options.masterKey, ...(options.previousMasterKeys ?? [])] as const;
  let indexKeys: IndexKeys;
  try {
    await migrateDatabase(db, location.dialect);
    await checkMasterKey(db, masterKeys);
    indexKeys = await loadIndexKeys(db, masterKeys);
  } catch (error) {
    await db.destroy().catch(() => undefined);
    throw error;
  }
  return new SqlStore({
    db,
    dialect: location.dialect,
    sqlite,
    masterKey: options.masterKey,
    indexKeys,
    ...(options.previousMasterKeys ? { previousMasterKeys: options.previousMasterKeys } : {}),
    ...(options.reloadMasterKeys ? { reloadMasterKeys: options.reloadMasterKeys } : {}),
    ...(options.keyCacheSize === undefined ? {} : { keyCacheSize: options.keyCacheSize }),
    ...(options.timeZone === undefined ? {} : { timeZone: options.timeZone }),
  });
}

/** What `migrateStore` did. */
export interface MigrateStoreResult {
  readonly dialect: 'sqlite' | 'postgres';
  /** Names of the migrations applied now, in order (empty when the schema was current). */
  readonly applied: readonly string[];
}

/**
 * Applies pending migrations to the store at `url` and closes it; for `companion-guard migrate`.
 * Needs no master key. `createStore` also migrates on open, so this is for deployments that migrate
 * as a separate step.
 *
 * @example await migrateStore('postgres://cg@db/cg') // { dialect: 'postgres', applied: ['0001-initial'] }
 */
export async function migrateStore(
  url: string,
  options: SqlDialectOptions = {},
): Promise<MigrateStoreResult> {
  const location = parseStoreUrl(url);
  const db = openDatabase(location, options);
  try {
    const applied = await migrateDatabase(db, location.dialect);
    return { dialect: location.dialect, applied };
  } finally {
    await db.destroy().catch(() => undefined);
  }
}

function openDatabase(
  location: StoreLocation,
  options: SqlDialectOptions,
  sqlite?: SqliteHandle,
): Kysely<Database> {
  return new Kysely<Database>({
    dialect: createSqlDialect(location, options, sqlite),
    plugins: [new CamelCasePlugin()],
  });
}

async function migrateDatabase(db: Kysely<Database>, dialect: 'sqlite' | 'postgres'): Promise<string[]> {
  // Migrations name snake_case SQL directly, so they run without the CamelCasePlugin.
  const plain = db.withoutPlugins();
  let resultSet: MigrationResultSet;
  try {
    // On PostgreSQL, Kysely looks for its migration tables in every schema unless told which one; name the
    // schema the store's tables go to, so several stores can share one database (one schema each).
    const schema =
      dialect === 'postgres'
        ? (await sql<{ schema: string | null }>`select current_schema() as schema`.execute(plain)).rows[0]
            ?.schema
        : undefined;
    const migrator = new Migrator({
      db: schema ? introspectingOnly(plain, schema) : plain,
      provider: storeMigrationProvider(dialect),
      ...(schema ? { migrationTableSchema: schema } : {}),
    });
    resultSet = await migrator.migrateToLatest();
  } catch (error) {
    throw new CgError('store-error', 'The store could not be opened or migrated.', { cause: error });
  }
  const failed = resultSet.results?.find((result) => result.status === 'Error');
  if (resultSet.error !== undefined || failed) {
    throw new CgError(
      'store-error',
      `Migrating the store failed${failed ? ` at ${failed.migrationName}` : ''}.`,
      { cause: resultSet.error },
    );
  }
  return (resultSet.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/**
 * `db` whose introspection sees the tables of `schema` only. Kysely's Migrator learns whether its two tables
 * exist by listing every column of every table of every schema of the database: slow where many schemas
 * share it (each test file's or each tenant's), and failing when one is dropped during the listing.
 */
function introspectingOnly<T>(db: Kysely<T>, schema: string): Kysely<T> {
  const introspection: DatabaseIntrospector = {
    getSchemas: () => db.introspection.getSchemas(),
    getTables: async () => {
      const { rows } = await sql<{ name: string }>`select table_name as name from information_schema.tables
        where table_schema = ${schema}`.execute(db);
      return rows.map(({ name }) => ({ name, schema, isView: false, columns: [] }));
    },
    getMetadata: async () => ({ tables: await introspection.getTables() }),
  };
  return new Proxy(db, {
    get(target, key) {
      if (key === 'introspection') return introspection;
      const value: unknown = Reflect.get(target, key, target);
      // Kysely's methods read private fields, which a proxy does not have.
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** The database's check value must be that of one of `masterKeys` (during a rotation: the new or the old). */
async function checkMasterKey(db: Kysely<Database>, masterKeys: readonly Uint8Array[]): Promise<void> {
  const checks = masterKeys.map((key) => masterKeyCheck(key));
  const expected = checks[0] as string;
  try {
    await db
      .insertInto('storeMeta')
      .values({ name: 'master_key_check', value: expected })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
  } catch (error) {
    throw new CgError('store-error', 'The store could not record its master key check.', { cause: error });
  }
  const row = await db
    .selectFrom('storeMeta')
    .select('value')
    .where('name', '=', 'master_key_check')
    .executeTakeFirst();
  if (row === undefined || !checks.includes(row.value)) {
    throw new CgError(
      'invalid-config',
      'The master key does not match the one this database was created with; refusing to open it. ' +
        '主密钥与创建该数据库时使用的密钥不一致，拒绝打开。',
    );
  }
}
