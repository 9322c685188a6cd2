import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isCgError, type Store } from '@companion-guard/core';
import { describeStoreConformance, type StoreConformanceHooks } from '@companion-guard/core/testing';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deletionRacesCachedKeys } from '../../../test/store-races.js';
import { computeAuditHash, genesisHash } from '../audit-chain.js';
import { createStore, migrateStore } from './create-store.js';
import { storeMigrations } from './migrations.js';
import { openSqlite } from './sql-dialect.js';

const masterKey = randomBytes(32);

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
