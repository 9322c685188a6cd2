/**
 * @module storage
 * The gateway's store: one Kysely implementation of the core `Store` port for SQLite (default) and
 * PostgreSQL, with message content encrypted at rest under per-user keys wrapped by a master key.
 */
export {
  loadOrCreateMasterKey,
  type MasterKey,
  masterKeyEnvVar,
  rotateMasterKeyFile,
} from './master-key.js';
export { createStore, migrateStore } from './sql/create-store.js';
export type { SqlStore } from './sql/sql-store.js';
export { parseStoreUrl } from './sql/store-url.js';
