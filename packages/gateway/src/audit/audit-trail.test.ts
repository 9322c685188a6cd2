import { generateKeyPairSync } from 'node:crypto';
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AuditInput, type Profile, resolveProfile } from '@companion-guard/core';
import { createFakeClock } from '@companion-guard/core/testing';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describePostgres, useTestSchemas } from '../../test/postgres.js';
import { runCli } from '../cli/run-cli.js';
import { openStore } from '../cli/serve.js';
import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { canonicalJson, computeAuditHash } from '../storage/audit-chain.js';
import { loadOrCreateSigningKey, type SigningKey } from '../storage/signing-key.js';
import { createStore } from '../storage/sql/create-store.js';
import type { SqlStore } from '../storage/sql/sql-store.js';
import { createAuditCheckpointer } from './audit-checkpointer.js';
import { checkpointPayload } from './audit-checkpoints.js';
import { verifyAuditTrail } from './audit-trail-verifier.js';
import { createRetentionPurger } from './retention-purger.js';

const masterKey = Buffer.alloc(32, 9);
const dayMs = 86_400_000;
const t0 = Date.UTC(2026, 0, 1);
const logger = createLogger({ level: 'error', write: () => undefined });
const retention: Profile['retention'] = { auditDays: 183, networkLogDays: 183, messageDays: 30 };
const intervalMs = 5 * 60_000;

/** Raw SQL behind the store's back: what an attacker with write access to the database can do. */
interface RawDatabase {
  query(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  table(name: string): string;
}

interface Backend {
  open(): Promise<{ store: () => Promise<SqlStore>; raw: RawDatabase }>;
}

const sqliteBackend = (dir: () => string): Backend => ({
  async open() {
    const file = join(dir(), `audit-${Math.random().toString(36).slice(2)}.sqlite`);
    return {
      store: () => createStore({ url: file, masterKey }),
      raw: {
        query: (sql, params) => rawSqlite(file, sql, params),
        table: (name) => name,
      },
    };
  },
});

async function rawSqlite(
  file: string,
  sql: string,
  params: unknown[] = [],
): Promise<Record<string, unknown>[]> {
  const db = new BetterSqlite3(file);
  try {
    const statement = db.prepare(sql.replace(/\$\d+/g, '?'));
    if (statement.reader) return statement.all(...params) as Record<string, unknown>[];
    statement.run(...params);
    return [];
  } finally {
    db.close();
  }
}

function events(n: number, at: number): AuditInput[] {
  return Array.from({ length: n }, (_, i) => ({
    type: 'directive-shown',
    requirement: 'DISC-4',
    at: at + i,
    userId: `u${i % 3}`,
    data: { i },
  }));
}

/** Rewrites the event at `seq` and recomputes every hash after it and the head, as an attacker would. */
async function rewriteAndRecompute(raw: RawDatabase, seq: number): Promise<void> {
  const rows = await raw.query(
    `select seq, type, requirement, at, user_id, session_id, data, prev_hash from ${raw.table('audit_events')} where seq >= $1 order by seq`,
    [seq],
  );
  let prevHash = String(rows[0]?.prev_hash);
  let last = { seq: 0, hash: '' };
  for (const row of rows) {
    const data =
      Number(row.seq) === seq ? { i: 999, forged: true } : (JSON.parse(String(row.data)) as object);
    const fields = {
      seq: Number(row.seq),
      type: String(row.type),
      requirement: String(row.requirement),
      at: Number(row.at),
      userId: (row.user_id as string | null) ?? null,
      sessionId: (row.session_id as string | null) ?? null,
      data: data as Record<string, unknown>,
    };
    const hash = computeAuditHash(prevHash, fields);
    await raw.query(
      `update ${raw.table('audit_events')} set data = $1, prev_hash = $2, hash = $3 where seq = $4`,
      [canonicalJson(data), prevHash, hash, fields.seq],
    );
    prevHash = hash;
    last = { seq: fields.seq, hash };
  }
  await raw.query(`update ${raw.table('audit_head')} set seq = $1, hash = $2 where id = 1`, [
    last.seq,
    last.hash,
  ]);
}

function describeAuditTrail(name: string, backend: (dir: () => string) => Backend): void {
  describe(`audit trail (${name})`, () => {
    let dir = '';
    let signingKey: SigningKey;
    const open: SqlStore[] = [];
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'cg-audit-'));
      signingKey = await loadOrCreateSigningKey({ dataDir: dir, env: {} });
    });
    afterEach(async () => {
      await Promise.all(open.splice(0).map((s) => s.close()));
      await rm(dir, { recursive: true, force: true });
    });

    async function setup() {
      const { store: make, raw } = await backend(() => dir).open();
      const store = await make();
      open.push(store);
      const clock = createFakeClock(t0);
      const file = join(dir, 'audit-checkpoints.jsonl');
      const checkpointer = createAuditCheckpointer({
        store,
        signingKey,
        file,
        publishUrl: null,
        clock,
        logger,
      });
      const verify = () =>
        verifyAuditTrail({
          store,
          files: [file],
          publicKeyPem: signingKey.publicKeyPem,
          now: clock.now(),
          auditRetentionMs: retention.auditDays * dayMs,
          checkpointIntervalMs: intervalMs,
        });
      return { store, raw, clock, file, checkpointer, verify, make };
    }

    it('LOG-1: an untouched log verifies against its checkpoints', async () => {
      const { store, checkpointer, verify, clock } = await setup();
      await store.appendAudit(events(4, t0));
      expect((await checkpointer.checkpoint())?.seq).toBe(4);
      expect(await checkpointer.checkpoint()).toBeNull(); // idle: the head is checkpointed already
      clock.advance(60_000);
      await store.appendAudit(events(3, clock.now()));
      await checkpointer.checkpoint();
      const report = await verify();
      expect(report.ok).toBe(true);
      expect(report.checkpoints).toBe(2);
      expect(report.chain).toEqual({ ok: true, count: 7 });
    });

    it('LOG-1: a row rewritten and the chain recomputed after it in SQL passes plain verification but not audit verify, which names the row', async () => {
      const { store, raw, checkpointer, verify } = await setup();
      await store.appendAudit(events(3, t0));
      await checkpointer.checkpoint(); // seq 3
      await store.appendAudit(events(3, t0 + 10));
      await checkpointer.checkpoint(); // seq 6
      await store.appendAudit(events(2, t0 + 20)); // 7, 8: after the last checkpoint
      await rewriteAndRecompute(raw, 4);
      expect(await store.verifyAudit()).toEqual({ ok: true, count: 8 });
      const report = await verify();
      expect(report.ok).toBe(false);
      expect(report.chain).toMatchObject({ ok: false, brokenAt: 4, reason: 'checkpoint', checkpointSeq: 6 });
      expect(report.lines.join('\n')).toContain('first bad entry seq 4');
    });

    it('LOG-1: an entry rewritten deeper inside an interval is placed between the last good checkpoint and the bad one', async () => {
      const { store, raw, checkpointer, verify } = await setup();
      await store.appendAudit(events(3, t0));
      await checkpointer.checkpoint();
      await store.appendAudit(events(5, t0 + 10));
      await checkpointer.checkpoint();
      await rewriteAndRecompute(raw, 6);
      expect((await store.verifyAudit()).ok).toBe(true);
      expect((await verify()).chain).toMatchObject({ brokenAt: 4, reason: 'checkpoint', checkpointSeq: 8 });
    });

    it('LOG-1: deleting the tail of the chain and rewriting the head is caught', async () => {
      const { store, raw, checkpointer, verify } = await setup();
      await store.appendAudit(events(6, t0));
      await checkpointer.checkpoint(); // seq 6
      const [fourth] = await raw.query(`select hash from ${raw.table('audit_events')} where seq = 4`);
      await raw.query(`delete from ${raw.table('audit_events')} where seq > 4`);
      await raw.query(`update ${raw.table('audit_head')} set seq = 4, hash = $1 where id = 1`, [
        fourth?.hash,
      ]);
      expect(await store.verifyAudit()).toEqual({ ok: true, count: 4 });
      const report = await verify();
      expect(report.ok).toBe(false);
      expect(report.chain).toMatchObject({ brokenAt: 5, reason: 'truncated', checkpointSeq: 6 });
    });

    it('LOG-1: a forged checkpoint line (bad signature, or signed by another key) is reported', async () => {
      const { store, checkpointer, verify, file } = await setup();
      await store.appendAudit(events(3, t0));
      const good = await checkpointer.checkpoint();
      if (!good) throw new Error('no checkpoint');
      await appendFile(file, `${JSON.stringify({ ...good, seq: 2, signature: good.signature })}\n`);
      const other = generateKeyPairSync('ed25519').privateKey;
      const { sign } = await import('node:crypto');
      const unsigned = { seq: 3, hash: 'f'.repeat(64), at: t0, keyId: good.keyId };
      const signature = sign(null, Buffer.from(checkpointPayload(unsigned)), other).toString('base64');
      await appendFile(file, `${JSON.stringify({ ...unsigned, signature })}\nnot json\n`);
      const report = await verify();
      expect(report.ok).toBe(false);
      expect(report.chain.ok).toBe(true);
      expect(report.badCheckpoints.map((b) => [b.line, b.seq, b.problem])).toEqual([
        [2, 2, 'bad signature'],
        [3, 3, 'bad signature'],
        [4, null, 'not a checkpoint'],
      ]);
    });

    it('LOG-1: two instances checkpointing the same head each write their own file and publish it once', async () => {
      const { store, make, clock } = await setup();
      const second = await make();
      open.push(second);
      await store.appendAudit(events(2, t0));
      const posted: string[] = [];
      const fetch = (async (_url: string, init?: RequestInit) => {
        posted.push(String(init?.body));
        return new Response(null, { status: 204 });
      }) as typeof globalThis.fetch;
      const files = [join(dir, 'a.jsonl'), join(dir, 'b.jsonl')];
      const [a, b] = [store, second].map((s, i) =>
        createAuditCheckpointer({
          store: s,
          signingKey,
          file: files[i] as string,
          publishUrl: 'https://anchor.example/checkpoints',
          clock,
          logger,
          fetch,
        }),
      );
      const written = await Promise.all([a?.checkpoint(), b?.checkpoint()]);
      await Promise.all([a?.drain(), b?.drain()]);
      expect(written.map((c) => c?.seq)).toEqual([2, 2]);
      for (const f of files) expect((await readFile(f, 'utf8')).trim().split('\n')).toHaveLength(1);
      expect(posted).toHaveLength(1);
      expect(await store.listAuditCheckpoints()).toHaveLength(1);
      expect([a?.stats.conflicts, b?.stats.conflicts]).toEqual([0, 0]);
    });

    it('LOG-1: rows planted in audit_checkpoints for future seqs neither stop the file lines nor pass unnoticed', async () => {
      const { store, raw, checkpointer, verify, file } = await setup();
      for (let seq = 1; seq <= 50; seq++) {
        await raw.query(
          `insert into ${raw.table('audit_checkpoints')} (seq, hash, at, key_id, signature) values ($1, $2, $3, $4, $5)`,
          [seq, '0'.repeat(64), t0, 'planted', 'x'],
        );
      }
      await store.appendAudit(events(3, t0));
      expect((await checkpointer.checkpoint())?.seq).toBe(3);
      expect(checkpointer.stats).toMatchObject({ written: 1, conflicts: 1 });
      expect((await readFile(file, 'utf8')).trim().split('\n')).toHaveLength(1);
      await store.appendAudit(events(2, t0 + 10));
      await checkpointer.checkpoint(); // seq 5
      expect(checkpointer.stats).toMatchObject({ written: 2, conflicts: 2 });
      await rewriteAndRecompute(raw, 4);
      const report = await verify();
      expect(report.checkpoints).toBe(2);
      expect(report.chain).toMatchObject({ ok: false, brokenAt: 4, reason: 'checkpoint', checkpointSeq: 5 });
    });

    it('LOG-1: audit verify fails when events wait for a checkpoint longer than 3 intervals, and not for an idle chain', async () => {
      const { store, checkpointer, verify, clock } = await setup();
      await store.appendAudit(events(2, t0));
      await checkpointer.checkpoint();
      clock.advance(10 * intervalMs);
      expect((await verify()).ok).toBe(true); // idle: nothing after the newest checkpoint
      await store.appendAudit(events(1, clock.now()));
      clock.advance(intervalMs);
      expect((await verify()).ok).toBe(true); // one interval: the next checkpoint is due
      clock.advance(2 * intervalMs + 1);
      const report = await verify();
      expect(report.ok).toBe(false);
      expect(report.chain.ok).toBe(true);
      expect(report.unanchoredSince).toBe(t0 + 10 * intervalMs);
      expect(report.lines.join('\n')).toContain('checkpoints stopped');
      await checkpointer.checkpoint();
      expect((await verify()).ok).toBe(true);
    });

    it('LOG-1: audit verify fails with no checkpoint at all once the chain is older than one interval', async () => {
      const { store, verify, clock } = await setup();
      expect((await verify()).ok).toBe(true); // empty chain
      await store.appendAudit(events(2, t0));
      clock.advance(intervalMs);
      expect((await verify()).ok).toBe(true);
      clock.advance(1);
      const report = await verify();
      expect(report).toMatchObject({ ok: false, checkpoints: 0, unanchoredSince: t0 });
    });

    it('LOG-1: the retention purge runs once per interval across instances, is audited, and audit verify goes on from the first remaining event', async () => {
      const { store, make, clock, checkpointer, verify, raw } = await setup();
      const second = await make();
      open.push(second);
      const user = await store.ensureUser('purge-user', t0);
      await store.upsertCharacter({
        id: 'c',
        name: { zh: '角色', en: 'C' },
        description: { zh: '角色', en: 'C' },
        scope: 'companion',
        relation: 'friend',
        persona: '',
        model: null,
        enabled: true,
      });
      await store.createSession(
        { id: 's1', userId: user.id, characterId: 'c', state: {}, now: t0 },
        events(3, t0),
      );
      await store.commitTurn({
        sessionId: 's1',
        expectedVersion: 1,
        state: {},
        now: t0,
        messages: [
          {
            id: 'm-old',
            sessionId: 's1',
            userId: user.id,
            role: 'user',
            content: 'old',
            contentId: 'c1',
            status: 'delivered',
            createdAt: t0,
          },
        ],
        audit: [],
      });
      await checkpointer.checkpoint(); // seq 3 at t0
      clock.advance(40 * dayMs);
      await store.commitTurn({
        sessionId: 's1',
        expectedVersion: 2,
        state: {},
        now: clock.now(),
        messages: [
          {
            id: 'm-new',
            sessionId: 's1',
            userId: user.id,
            role: 'user',
            content: 'new',
            contentId: 'c2',
            status: 'delivered',
            createdAt: clock.now(),
          },
        ],
        audit: events(2, clock.now()),
      });
      await checkpointer.checkpoint(); // seq 5 at t0 + 40 d
      clock.advance(150 * dayMs); // t0 + 190 d: the first checkpoint is past the 183-day audit retention
      const purgers = [store, second].map((s) =>
        createRetentionPurger({ store: s, clock, retention, intervalMs: dayMs }),
      );
      // Two processes on PostgreSQL race; on SQLite (one process per file: better-sqlite3 blocks while it
      // waits for the lock) they run one after the other.
      const results =
        name === 'postgres'
          ? await Promise.all(purgers.map((p) => p.runDue()))
          : [await purgers[0]?.runDue(), await purgers[1]?.runDue()];
      expect(results.filter((r) => r === null)).toHaveLength(1);
      expect(results.find((r) => r !== null)).toEqual({ auditEvents: 3, messages: 2, staffSessions: 0 });
      expect((await store.listMessages('s1')).map((m) => m.id)).toEqual([]);
      const purged = (await store.listAudit()).filter((e) => e.type === 'retention-purged');
      expect(purged).toHaveLength(1);
      expect(purged[0]).toMatchObject({
        requirement: 'LOG-1',
        data: { auditEvents: 3, messages: 2, auditThrough: 3 },
      });
      await checkpointer.checkpoint();
      const report = await verify();
      expect(report.lines.join('\n')).toContain('older ones purged');
      expect(report.ok).toBe(true);
      expect(report.chain).toEqual({ ok: true, count: 3, from: 4 });
      // Same slot again: nothing runs.
      expect(await purgers[0]?.runDue()).toBeNull();
      // Deleting the first remaining event as if purged, without a checkpoint to stand on, is caught.
      await raw.query(`delete from ${raw.table('audit_events')} where seq = 4`);
      expect((await verify()).chain).toMatchObject({ ok: false, brokenAt: 5, reason: 'link' });
    });

    it('LOG-1: the purge works in short batches, moving the chain start checkpoint by checkpoint; a run cut short is reported by the next', async () => {
      const { store, raw, clock, checkpointer, verify } = await setup();
      const user = await store.ensureUser('batch-user', t0);
      await store.upsertCharacter({
        id: 'c',
        name: { zh: '角色', en: 'C' },
        description: { zh: '角色', en: 'C' },
        scope: 'companion',
        relation: 'friend',
        persona: '',
        model: null,
        enabled: true,
      });
      await store.createSession({ id: 's1', userId: user.id, characterId: 'c', state: {}, now: t0 }, []);
      await store.commitTurn({
        sessionId: 's1',
        expectedVersion: 1,
        state: {},
        now: t0,
        messages: ['a', 'b', 'c', 'd', 'e'].map((id) => ({
          id,
          sessionId: 's1',
          userId: user.id,
          role: 'user' as const,
          content: id,
          contentId: id,
          status: 'delivered' as const,
          createdAt: t0,
        })),
        audit: [],
      });
      for (const n of [2, 2, 4]) {
        await store.appendAudit(events(n, clock.now()));
        await checkpointer.checkpoint(); // seqs 2, 4, 8
      }
      // A row at seq 6 naming another hash makes the third move fail, as a tampered chain would.
      await raw.query(
        `insert into ${raw.table('audit_checkpoints')} (seq, hash, at, key_id, signature) values ($1, $2, $3, $4, $5)`,
        [6, '0'.repeat(64), t0, 'planted', 'x'],
      );
      clock.advance(190 * dayMs);
      const purger = createRetentionPurger({ store, clock, retention, intervalMs: dayMs, batchSize: 2 });
      await expect(purger.runDue()).rejects.toMatchObject({ code: 'store-error' });
      // The moves to seqs 2 and 4 were committed each in its own transaction; nothing reported yet.
      expect(await store.verifyAudit()).toEqual({ ok: true, count: 4, from: 5 });
      expect((await store.listAudit()).filter((e) => e.type === 'retention-purged')).toEqual([]);
      await raw.query(`delete from ${raw.table('audit_checkpoints')} where seq = 6`);
      clock.advance(dayMs);
      expect(await purger.runDue()).toEqual({ auditEvents: 8, messages: 5, staffSessions: 0 });
      const purged = (await store.listAudit()).filter((e) => e.type === 'retention-purged');
      expect(purged.map((e) => e.data)).toMatchObject([{ auditEvents: 8, messages: 5, auditThrough: 8 }]);
      expect(await store.listMessages('s1')).toEqual([]);
      await checkpointer.checkpoint();
      expect((await verify()).chain).toEqual({ ok: true, count: 1, from: 9 });
      // Nothing left to delete: no event.
      clock.advance(dayMs);
      expect(await purger.runDue()).toEqual({ auditEvents: 0, messages: 0, staffSessions: 0 });
      expect((await store.listAudit()).filter((e) => e.type === 'retention-purged')).toHaveLength(1);
    });

    it('LOG-1: a purge point moved to a checkpoint younger than the retention is reported', async () => {
      const { store, checkpointer, clock, verify } = await setup();
      await store.appendAudit(events(3, t0));
      await checkpointer.checkpoint();
      clock.advance(10 * dayMs);
      // An attacker runs the purge with a short retention (the gateway's config refuses one).
      const early = createRetentionPurger({
        store,
        clock,
        retention: { ...retention, auditDays: 1 },
        intervalMs: dayMs,
      });
      expect(await early.runDue()).toMatchObject({ auditEvents: 3 });
      const report = await verify();
      expect(report.chain.ok).toBe(true);
      expect(report.ok).toBe(false);
      expect(report.purgedTooEarly).toEqual([3]);
    });
  });
}

describeAuditTrail('sqlite', sqliteBackend);

describePostgres('audit trail on PostgreSQL', () => {
  const schemas = useTestSchemas();
  describeAuditTrail('postgres', () => ({
    async open() {
      const { schema, url } = await schemas.create('cg_audit');
      return {
        store: () => createStore({ url, masterKey }),
        raw: {
          async query(sql, params = []) {
            return (await schemas.admin.query(sql, params)).rows as Record<string, unknown>[];
          },
          table: (name) => `${schema}.${name}`,
        },
      };
    },
  }));
});

it('LOG-1: publication to the configured endpoint retries, counts failures and never throws', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cg-publish-'));
  try {
    const store = await createStore({ url: join(dir, 'p.sqlite'), masterKey });
    const signingKey = await loadOrCreateSigningKey({ dataDir: dir, env: {} });
    await store.appendAudit(events(1, t0));
    const bodies: string[] = [];
    let calls = 0;
    const fetch = (async (_url: string, init?: RequestInit) => {
      calls += 1;
      bodies.push(String(init?.body));
      if (calls < 3) throw new Error('connection refused');
      return new Response(null, { status: calls === 3 ? 503 : 204 });
    }) as typeof globalThis.fetch;
    const checkpointer = createAuditCheckpointer({
      store,
      signingKey,
      file: join(dir, 'cp.jsonl'),
      publishUrl: 'https://anchor.example/checkpoints',
      clock: createFakeClock(t0),
      logger,
      fetch,
      sleep: async () => undefined,
    });
    const checkpoint = await checkpointer.checkpoint();
    await checkpointer.drain();
    expect(calls).toBe(4);
    expect(JSON.parse(bodies[0] ?? '')).toEqual(checkpoint);
    expect(checkpointer.stats).toEqual({ written: 1, published: 1, publishFailures: 0, conflicts: 0 });
    await store.appendAudit(events(1, t0 + 1));
    calls = -100; // every attempt fails
    await checkpointer.checkpoint();
    await checkpointer.drain();
    expect(checkpointer.stats).toEqual({ written: 2, published: 1, publishFailures: 1, conflicts: 0 });
    await store.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

it('LOG-1: a profile keeping audit or network logs under 6 months is refused with a clear error', () => {
  for (const retention of [{ auditDays: 90 }, { networkLogDays: 182 }]) {
    expect(() => resolveProfile('cn-2026', { retention })).toThrow(
      expect.objectContaining({
        code: 'invalid-profile',
        message: expect.stringMatching(/at least 6 months/),
      }),
    );
  }
  expect(resolveProfile('cn-2026', { retention: { messageDays: 7 } }).retention).toEqual({
    auditDays: 365,
    networkLogDays: 183,
    messageDays: 7,
  });
});

it('LOG-1: companion-guard audit verify exits 0 on an untouched log and 2 naming the first bad entry', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cg-verify-cli-'));
  const run = async (argv: string[]) => {
    const out: string[] = [];
    const code = await runCli(argv, {
      out: (l) => out.push(l),
      err: () => undefined,
      env: {},
      readStdin: async () => '',
    });
    return { code, out: out.join('\n') };
  };
  try {
    const data = join(dir, 'data');
    const config = await loadConfig({ dataDir: data }, {});
    const store = await openStore(config);
    const signingKey = await loadOrCreateSigningKey({ dataDir: data, env: {} });
    const clock = createFakeClock(Date.now());
    const checkpointer = createAuditCheckpointer({
      store,
      signingKey,
      file: config.audit.checkpointFile,
      publishUrl: null,
      clock,
      logger,
    });
    await store.appendAudit(events(2, clock.now()));
    await checkpointer.checkpoint();
    await store.appendAudit(events(2, clock.now()));
    await checkpointer.checkpoint();
    await store.close();
    expect(await run(['audit', 'verify', '--data', data])).toEqual({
      code: 0,
      out: 'audit chain ok: 4 events, anchored by 2 signed checkpoints',
    });
    const file = join(data, 'companion-guard.sqlite');
    await rewriteAndRecompute({ query: (sql, params) => rawSqlite(file, sql, params), table: (n) => n }, 3);
    const broken = await run(['audit', 'verify', '--data', data]);
    expect(broken.code).toBe(2);
    expect(broken.out).toContain('first bad entry seq 3');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
