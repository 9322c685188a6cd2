import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isCgError, minorModeRef, type Store } from '@companion-guard/core';
import { describeStoreConformance, type StoreConformanceHooks } from '@companion-guard/core/testing';
import BetterSqlite3 from 'better-sqlite3';
import { CamelCasePlugin, Kysely, sql } from 'kysely';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminPool, createTestSchema, describePostgres } from '../../../test/postgres.js';
import { computeAuditHash, genesisHash } from '../audit-chain.js';
import { createStore, migrateStore } from './create-store.js';
import { storeMigrations } from './migrations.js';
import type { Database } from './schema.js';
import { createSqlDialect, openSqlite } from './sql-dialect.js';
import { parseStoreUrl } from './store-url.js';

const masterKey = randomBytes(32);

/**
 * DATA-4 across two instances sharing one database: `a` holds keys in its cache that `b`'s full deletion
 * destroys. A turn sealed under a destroyed key fails at commit (the foreign key) and succeeds on retry under
 * a fresh key; a contact write under the replaced user-wide key re-seals under the new one by itself.
 */
async function deletionRacesCachedKeys(a: Store, b: Store): Promise<void> {
  const contact = { name: 'Li', email: 'li@example.cn', phone: null };
  await a.profiles.updateProfile(
    'racer',
    { age: 30, emergencyContact: contact },
    { now: 1, audit: () => [] },
  );
  const user = await a.ensureUser('racer', 1);
  const turn = (sessionId: string, expectedVersion: number, id: string) => ({
    sessionId,
    expectedVersion,
    state: {},
    now: 2,
    messages: [
      {
        id,
        sessionId,
        userId: user.id,
        role: 'user' as const,
        content: `text ${id}`,
        contentId: id,
        status: 'accepted' as const,
        createdAt: 2,
      },
    ],
    audit: [],
  });
  await a.createSession({ id: 'race-1', userId: user.id, characterId: 'aria', state: {}, now: 1 }, []);
  await a.commitTurn(turn('race-1', 1, 'race-m1'));
  await a.minors.enter(user.id, { reason: 'suspected', now: 1 });
  const fullDeletion = (at: number) =>
    b.dataRights.deleteHistory({
      userId: user.id,
      characterId: null,
      at,
      audit: () => [{ type: 'history-deleted', requirement: 'DATA-4', at, userId: user.id }],
      receipt: (facts, audit) => ({
        type: 'companion-guard/deletion-receipt',
        version: 1,
        id: `race-receipt-${at}`,
        userId: user.id,
        externalUserId: 'racer',
        characterId: null,
        requestedBy: 'user',
        deletedAt: new Date(at).toISOString(),
        messagesDeleted: facts.messagesDeleted,
        keysDestroyed: facts.keysDestroyed,
        keysRetained: facts.keysRetained,
        audit,
        signingKeyId: 'test',
        signature: 'sig',
      }),
    });
  await fullDeletion(3);
  // MINOR-5: an appeal `a` seals with the user-wide key it still holds is sealed again under the new one.
  await a.complaints.file({
    id: 'race-appeal',
    userId: user.id,
    kind: 'appeal',
    ref: minorModeRef,
    text: '我已经成年了',
    now: 4,
    acknowledgeBy: 5,
    resolveBy: 6,
  });
  expect((await b.appeals.get('race-appeal'))?.text).toBe('我已经成年了');
  // A new session (its version says nothing of the deletion), sealed by `a` under the destroyed aria key.
  await a.createSession({ id: 'race-2', userId: user.id, characterId: 'aria', state: {}, now: 4 }, []);
  const refused = await a.commitTurn(turn('race-2', 1, 'race-m2')).catch((e: unknown) => e);
  expect(isCgError(refused, 'session-conflict')).toBe(true);
  expect(await b.listMessages('race-2')).toEqual([]);
  await a.commitTurn(turn('race-2', 1, 'race-m2'));
  expect((await b.listMessages('race-2')).map((m) => m.content)).toEqual(['text race-m2']);
  const guardian = { name: 'Wang', email: null, phone: '+8613800000000' };
  await a.profiles.updateProfile('racer', { guardian }, { now: 5, audit: () => [] });
  expect(await b.profiles.getProfile('racer')).toMatchObject({ emergencyContact: contact, guardian });
  // A second full deletion goes through, and the appeal's words come through it re-sealed.
  await fullDeletion(6);
  expect((await b.appeals.get('race-appeal'))?.text).toBe('我已经成年了');
}

// ---------------------------------------------------------------- SQLite (every run)

let sqliteDir = '';
let sqliteCounter = 0;
const sqliteFiles = new WeakMap<Store, string>();

beforeAll(async () => {
  sqliteDir = await mkdtemp(join(tmpdir(), 'cg-store-'));
});
afterAll(async () => {
  if (sqliteDir) await rm(sqliteDir, { recursive: true, force: true });
});

function nextSqliteFile(): string {
  sqliteCounter += 1;
  return join(sqliteDir, `store-${sqliteCounter}.sqlite`);
}

async function makeSqliteStore(): Promise<Store> {
  const file = nextSqliteFile();
  const store = await createStore({ url: `sqlite://${file}`, masterKey });
  sqliteFiles.set(store, file);
  return store;
}

function withRawSqlite<T>(store: Store, work: (db: BetterSqlite3.Database) => T): T {
  const file = sqliteFiles.get(store);
  if (!file) throw new Error('not a store made by this test file');
  const db = new BetterSqlite3(file);
  try {
    db.pragma('busy_timeout = 5000');
    return work(db);
  } finally {
    db.close();
  }
}

const sqliteHooks: StoreConformanceHooks = {
  tamperAuditEvent: async (store, seq) =>
    withRawSqlite(store, (db) => {
      db.prepare(`update audit_events set data = '{"forged":true}' where seq = ?`).run(seq);
    }),
  deleteAuditEvent: async (store, seq) =>
    withRawSqlite(store, (db) => {
      db.prepare('delete from audit_events where seq = ?').run(seq);
    }),
  swapMessageContent: async (store, a, b) =>
    withRawSqlite(store, (db) => {
      const read = db.prepare('select content from messages where id = ?');
      const write = db.prepare('update messages set content = ? where id = ?');
      const ca = (read.get(a) as { content: Buffer }).content;
      const cb = (read.get(b) as { content: Buffer }).content;
      write.run(cb, a);
      write.run(ca, b);
    }),
};

describeStoreConformance('sqlite', makeSqliteStore, sqliteHooks);

describe('sqlite store specifics', () => {
  it('keeps sessions, messages and the audit chain across a restart', async () => {
    const file = nextSqliteFile();
    const first = await createStore({ url: file, masterKey });
    const user = await first.ensureUser('restart-user', 1);
    await first.createSession(
      { id: 's-restart', userId: user.id, characterId: 'aria', state: { n: 1 }, now: 1 },
      [{ type: 'session-start', requirement: 'DISC-1', at: 1, sessionId: 's-restart' }],
    );
    await first.commitTurn({
      sessionId: 's-restart',
      expectedVersion: 1,
      state: { n: 2 },
      now: 2,
      messages: [
        {
          id: 'm-restart',
          sessionId: 's-restart',
          userId: user.id,
          role: 'user',
          content: '重启之后还在吗？',
          contentId: 'c-1',
          status: 'accepted',
          createdAt: 2,
        },
      ],
      audit: [{ type: 'turn', requirement: 'DISC-4', at: 2, sessionId: 's-restart' }],
    });
    await first.close();

    const second = await createStore({ url: `sqlite:${file}`, masterKey });
    try {
      expect(await second.ensureUser('restart-user', 99)).toEqual(user);
      expect(await second.getSession('s-restart')).toMatchObject({ version: 2, state: { n: 2 } });
      expect((await second.listMessages('s-restart')).map((m) => m.content)).toEqual(['重启之后还在吗？']);
      expect(await second.verifyAudit()).toEqual({ ok: true, count: 2 });
    } finally {
      await second.close();
    }
  });

  it('DATA-1: refuses to open a database with a different master key', async () => {
    const file = nextSqliteFile();
    const store = await createStore({ url: file, masterKey });
    await store.close();
    const error = await createStore({ url: file, masterKey: randomBytes(32) }).catch((e: unknown) => e);
    expect(isCgError(error, 'invalid-config')).toBe(true);
    // The right key still opens it.
    await (await createStore({ url: file, masterKey })).close();
  });

  it('refuses a master key that is not 32 bytes', async () => {
    const error = await createStore({ url: 'sqlite::memory:', masterKey: randomBytes(16) }).catch(
      (e: unknown) => e,
    );
    expect(isCgError(error, 'invalid-config')).toBe(true);
  });

  it('works in memory (sqlite::memory:)', async () => {
    const store = await createStore({ url: 'sqlite::memory:', masterKey });
    try {
      const user = await store.ensureUser('mem', 1);
      expect(await store.getUser(user.id)).toEqual(user);
    } finally {
      await store.close();
    }
  });

  it('migrateStore applies the migrations once, then nothing', async () => {
    const file = nextSqliteFile();
    expect(await migrateStore(file)).toEqual({
      dialect: 'sqlite',
      applied: Object.keys(storeMigrations('sqlite')).sort(),
    });
    expect(await migrateStore(file)).toEqual({ dialect: 'sqlite', applied: [] });
    const db = new BetterSqlite3(file);
    try {
      // 0017: the index on user_id alone is gone; (user_id, status) serves the queries by user.
      const indexes = db
        .prepare(`select name from sqlite_master where type = 'index' and tbl_name = 'messages'`)
        .all()
        .map((r) => (r as { name: string }).name);
      expect(indexes).toContain('messages_user_status');
      expect(indexes).not.toContain('messages_user');
    } finally {
      db.close();
    }
    const store = await createStore({ url: file, masterKey });
    await store.close();
  });

  it('opens SQLite in WAL mode with synchronous=FULL by default, NORMAL on request, and a busy timeout', () => {
    const pragma = (db: ReturnType<typeof openSqlite>, name: string) =>
      db.prepare(`pragma ${name}`).all([])[0];
    const full = openSqlite(nextSqliteFile());
    try {
      expect(pragma(full, 'journal_mode')).toEqual({ journal_mode: 'wal' });
      expect(pragma(full, 'synchronous')).toEqual({ synchronous: 2 });
      expect(pragma(full, 'busy_timeout')).toEqual({ timeout: 5000 });
      expect(pragma(full, 'foreign_keys')).toEqual({ foreign_keys: 1 });
    } finally {
      full.close();
    }
    const normal = openSqlite(nextSqliteFile(), { sqliteSynchronous: 'normal', sqliteBusyTimeoutMs: 250 });
    try {
      expect(pragma(normal, 'synchronous')).toEqual({ synchronous: 1 });
      expect(pragma(normal, 'busy_timeout')).toEqual({ timeout: 250 });
    } finally {
      normal.close();
    }
  });

  it('LOG-1: each stored hash is sha256(prevHash + canonical JSON of the event), independently recomputed', async () => {
    const store = await makeSqliteStore();
    try {
      const [event] = await store.appendAudit([
        {
          type: 'reminder-shown',
          requirement: 'TIME-1',
          at: 1234,
          userId: 'u',
          data: { minutes: 120, z: [1], a: 'é' },
        },
      ]);
      const { createHash } = await import('node:crypto');
      const body =
        '{"at":1234,"data":{"a":"é","minutes":120,"z":[1]},"requirement":"TIME-1","seq":1,"sessionId":null,' +
        '"type":"reminder-shown","userId":"u"}';
      const expected = createHash('sha256')
        .update(genesisHash + body)
        .digest('hex');
      expect(event?.hash).toBe(expected);
      expect(
        computeAuditHash(genesisHash, {
          seq: 1,
          type: 'reminder-shown',
          requirement: 'TIME-1',
          at: 1234,
          userId: 'u',
          sessionId: null,
          data: { z: [1], a: 'é', minutes: 120 },
        }),
      ).toBe(expected);
    } finally {
      await store.close();
    }
  });

  it('DATA-1: with a key cache of one, messages of several users still decrypt (keys reloaded and unwrapped)', async () => {
    const store = await createStore({ url: nextSqliteFile(), masterKey, keyCacheSize: 1 });
    try {
      const sessions: string[] = [];
      for (let u = 0; u < 3; u++) {
        const user = await store.ensureUser(`cache-user-${u}`, 1);
        const id = `s-cache-${u}`;
        sessions.push(id);
        await store.createSession({ id, userId: user.id, characterId: 'a', state: {}, now: 1 }, []);
        await store.commitTurn({
          sessionId: id,
          expectedVersion: 1,
          state: {},
          now: 2,
          messages: [
            {
              id: `m-cache-${u}`,
              sessionId: id,
              userId: user.id,
              role: 'user',
              content: `用户 ${u} 的消息`,
              contentId: `c-${u}`,
              status: 'accepted',
              createdAt: 2,
            },
          ],
          audit: [],
        });
      }
      for (const [u, id] of sessions.entries()) {
        expect((await store.listMessages(id)).map((m) => m.content)).toEqual([`用户 ${u} 的消息`]);
      }
    } finally {
      await store.close();
    }
  });

  it('DATA-4: a turn and a contact write racing a deletion on another instance never seal under a destroyed key', async () => {
    const file = nextSqliteFile();
    const a = await createStore({ url: file, masterKey });
    const b = await createStore({ url: file, masterKey });
    try {
      await deletionRacesCachedKeys(a, b);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('a second store instance (cold key cache) decrypts what the first wrote', async () => {
    const file = nextSqliteFile();
    const writer = await createStore({ url: file, masterKey });
    const reader = await createStore({ url: file, masterKey });
    try {
      const user = await writer.ensureUser('two-instances', 1);
      await writer.createSession({ id: 's-two', userId: user.id, characterId: 'a', state: {}, now: 1 }, []);
      await writer.commitTurn({
        sessionId: 's-two',
        expectedVersion: 1,
        state: {},
        now: 2,
        messages: [
          {
            id: 'm-two',
            sessionId: 's-two',
            userId: user.id,
            role: 'assistant',
            content: 'cold cache ✓',
            contentId: 'c',
            status: 'delivered',
            createdAt: 2,
          },
        ],
        audit: [],
      });
      expect((await reader.listMessages('s-two')).map((m) => m.content)).toEqual(['cold cache ✓']);
    } finally {
      await writer.close();
      await reader.close();
    }
  });
});

// ---------------------------------------------------------------- PostgreSQL (when DATABASE_URL is set)

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
