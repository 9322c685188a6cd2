/**
 * @module storage
 * The gateway's store: one Kysely implementation of the core `Store` port for SQLite (default) and
 * PostgreSQL, with message content encrypted at rest under per-user keys wrapped by a master key.
 */
export { canonicalJson, computeAuditHash, genesisHash } from './audit-chain.js';
export {
  loadOrCreateMasterKey,
  type MasterKey,
  type MasterKeyOptions,
  masterKeyEnvVar,
  masterKeyFileName,
  parseMasterKey,
} from './master-key.js';
export {
  type CreateStoreOptions,
  createStore,
  type MigrateStoreResult,
  migrateStore,
} from './sql/create-store.js';
export type { SqlDialectOptions, SqliteSynchronous } from './sql/sql-dialect.js';
export { SqlStore } from './sql/sql-store.js';
export { parseStoreUrl, type StoreLocation } from './sql/store-url.js';
