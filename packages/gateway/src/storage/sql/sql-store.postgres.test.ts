import { randomBytes } from 'node:crypto';
import { isCgError, type Store } from '@companion-guard/core';
import { describeStoreConformance } from '@companion-guard/core/testing';
import { CamelCasePlugin, Kysely, sql } from 'kysely';
import type pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { adminPool, createTestSchema, describePostgres } from '../../../test/postgres.js';
import { deletionRacesCachedKeys } from '../../../test/store-races.js';
import { createStore, migrateStore } from './create-store.js';
import { storeMigrations } from './migrations.js';
import type { Database } from './schema.js';
import { createSqlDialect } from './sql-dialect.js';
import { SqlStore } from './sql-store.js';
import { parseStoreUrl } from './store-url.js';

// The PostgreSQL half of sql-store.test.ts, in its own file so the two run in parallel.
const masterKey = randomBytes(32);

describePostgres('postgres store', () => {
  const storeSchemas = new WeakMap<Store, string>();
  let admin: pg.Pool | undefined;
  const pool = (): pg.Pool => {
    admin ??= adminPool();
    return admin;
  };
  const freshSchemaUrl = async () => {
    const created = await createTestSchema(pool(), 'cg_test');
    return created;
  };

  async function makePostgresStore(): Promise<Store> {
    const { url, schema } = await freshSchemaUrl();
    const store = await createStore({ url, masterKey });
    storeSchemas.set(store, schema);
    return store;
  }

  function schemaOf(store: Store): string {
    const schema = storeSchemas.get(store);
    if (!schema) throw new Error('not a store made by this test file');
    return schema;
  }

  afterAll(async () => {
    if (!admin) return;
    await admin.end();
  });

  describeStoreConformance('postgres', makePostgresStore, {
    tamperAuditEvent: async (store, seq) => {
      await pool().query(
        `update ${schemaOf(store)}.audit_events set data = '{"forged":true}' where seq = $1`,
        [seq],
      );
    },
    deleteAuditEvent: async (store, seq) => {
      await pool().query(`delete from ${schemaOf(store)}.audit_events where seq = $1`, [seq]);
    },
    swapMessageContent: async (store, a, b) => {
      const table = `${schemaOf(store)}.messages`;
      await pool().query(
        `update ${table} m set content = o.content from ${table} o
           where (m.id = $1 and o.id = $2) or (m.id = $2 and o.id = $1)`,
        [a, b],
      );
    },
  });

  it('migrateStore applies the migrations once, then nothing', async () => {
    const { url, schema } = await freshSchemaUrl();
    expect(await migrateStore(url)).toEqual({
      dialect: 'postgres',
      applied: Object.keys(storeMigrations('postgres')).sort(),
    });
    expect(await migrateStore(url)).toEqual({ dialect: 'postgres', applied: [] });
    const { rows } = await pool().query<{ indexname: string }>(
      `select indexname from pg_indexes where schemaname = $1 and tablename = 'messages'`,
      [schema],
    );
    expect(rows.map((r) => r.indexname)).toContain('messages_user_status');
    expect(rows.map((r) => r.indexname)).not.toContain('messages_user');
  });

  it('DATA-1: refuses to open a database with a different master key', async () => {
    const { url } = await freshSchemaUrl();
    await (await createStore({ url, masterKey })).close();
    const error = await createStore({ url, masterKey: randomBytes(32) }).catch((e: unknown) => e);
    expect(isCgError(error, 'invalid-config')).toBe(true);
  });

  it('DATA-4: a turn and a contact write racing a deletion on another instance never seal under a destroyed key', async () => {
    const { url } = await freshSchemaUrl();
    const a = await createStore({ url, masterKey });
    const b = await createStore({ url, masterKey });
    try {
      await deletionRacesCachedKeys(a, b);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('runs parameterized statements prepared, and again once a migration elsewhere changed their columns', async () => {
    const { url, schema } = await freshSchemaUrl();
    await (await createStore({ url, masterKey })).close();
    // One connection: each query below runs where the previous ones were prepared.
    const db = new Kysely<Database>({
      dialect: createSqlDialect(parseStoreUrl(url), { postgresPoolSize: 1 }),
      plugins: [new CamelCasePlugin()],
    });
    const read = (on: Kysely<Database> = db) =>
      on.selectFrom('storeMeta').selectAll().where('name', '=', 'index_keys').execute();
    try {
      const before = await read();
      expect(before).toHaveLength(1);
      const prepared = await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(
        db,
      );
      expect(prepared.rows.map((r) => r.statement)).toEqual(['select * from "store_meta" where "name" = $1']);
      // Another instance's migration adds a column: the prepared `select *` now returns another row type.
      await pool().query(`alter table ${schema}.store_meta add column extra integer`);
      expect(await read()).toEqual([{ ...before[0], extra: null }]);
      // Inside a transaction block the statement fails once (the block is aborted), then runs again.
      await pool().query(`alter table ${schema}.store_meta drop column extra`);
      const inBlock = await db
        .transaction()
        .execute((trx) => read(trx))
        .catch((e: unknown) => e);
      expect((inBlock as { routine?: string }).routine).toBe('RevalidateCachedQuery');
      expect(await db.transaction().execute((trx) => read(trx))).toEqual(before);
    } finally {
      await db.destroy();
    }
  });

  it('a reply committed with lazyFlush does not wait for the WAL flush; the next commit on its connection does', async () => {
    const { url, schema } = await freshSchemaUrl();
    await (await createStore({ url, masterKey })).close();
    // A trigger notes the synchronous_commit in effect as each message row is written.
    await pool().query(`create table ${schema}.seen_sync (message_id text, setting text)`);
    await pool().query(`create function ${schema}.note_sync() returns trigger language plpgsql as $$
      begin
        insert into ${schema}.seen_sync values (new.id, current_setting('synchronous_commit'));
        return new;
      end $$`);
    await pool().query(`create trigger note_sync before insert on ${schema}.messages
      for each row execute function ${schema}.note_sync()`);
    // One connection: every commit below runs where the lazy one did.
    const db = new Kysely<Database>({
      dialect: createSqlDialect(parseStoreUrl(url), { postgresPoolSize: 1 }),
      plugins: [new CamelCasePlugin()],
    });
    const store = new SqlStore({
      db,
      dialect: 'postgres',
      masterKey,
      indexKeys: { guardian: Buffer.alloc(32), notifyTarget: Buffer.alloc(32) },
    });
    try {
      const user = await store.ensureUser('lazy-flush', 1_000);
      let session = await store.createSession(
        { id: 's-lazy', userId: user.id, characterId: 'aria', state: { n: 0 }, now: 1_000 },
        [],
      );
      const commit = (id: string, lazyFlush: boolean) =>
        store.commitTurn({
          sessionId: session.id,
          expectedVersion: session.version,
          state: { n: session.version },
          now: 2_000,
          messages: [
            {
              id,
              sessionId: session.id,
              userId: user.id,
              role: lazyFlush ? 'assistant' : 'user',
              content: id,
              contentId: `c-${id}`,
              status: lazyFlush ? 'delivered' : 'accepted',
              createdAt: 2_000,
            },
          ],
          audit: [],
          ...(lazyFlush ? { lazyFlush } : {}),
        });
      session = await commit('m-user', false);
      session = await commit('m-reply', true);
      session = await commit('m-next', false);
      expect(session.version).toBe(4);
      const { rows } = await pool().query(`select message_id, setting from ${schema}.seen_sync`);
      expect(rows).toEqual([
        { message_id: 'm-user', setting: 'on' },
        { message_id: 'm-reply', setting: 'off' },
        { message_id: 'm-next', setting: 'on' },
      ]);
      expect((await store.listMessages(session.id)).map((m) => m.content)).toEqual([
        'm-user',
        'm-reply',
        'm-next',
      ]);
      const shown = await sql<{ synchronousCommit: string }>`show synchronous_commit`.execute(db);
      expect(shown.rows).toEqual([{ synchronousCommit: 'on' }]);
    } finally {
      await store.close();
    }
  });

  it('LOG-1: two store instances (two pools, like two gateway replicas) appending at once keep one chain', async () => {
    const { url } = await freshSchemaUrl();
    const a = await createStore({ url, masterKey });
    const b = await createStore({ url, masterKey });
    try {
      await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          (i % 2 === 0 ? a : b).appendAudit([
            { type: 'directive-shown', requirement: 'DISC-4', at: i, data: { i } },
            { type: 'label-applied', requirement: 'DISC-4', at: i, data: { i } },
          ]),
        ),
      );
      expect(await a.verifyAudit()).toEqual({ ok: true, count: 80 });
    } finally {
      await a.close();
      await b.close();
    }
  });
});
