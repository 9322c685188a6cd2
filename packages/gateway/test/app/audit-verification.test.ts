import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createAuditCheckpointer } from '../../src/audit/audit-checkpointer.js';
import { silentLogger } from '../../src/logger.js';
import { loadOrCreateSigningKey } from '../../src/storage/signing-key.js';
import { createStaffTestApp, type StaffTestApp } from '../staff-app.js';

let t: StaffTestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('GET /api/audit/verification', () => {
  it('LOG-1: an auditor sees the chain verified against the signed checkpoints, and the first bad seq once a row is deleted', async () => {
    t = await createStaffTestApp();
    const app = t;
    const auditor = await app.login(await app.addStaff('auditor'));
    const checkpointer = createAuditCheckpointer({
      store: app.store,
      signingKey: await loadOrCreateSigningKey({ dataDir: app.dir, env: {} }),
      file: join(app.dir, 'audit-checkpoints.jsonl'),
      publishUrl: null,
      clock: app.clock,
      logger: silentLogger,
    });
    await app.store.appendAudit([
      { type: 'exit', requirement: 'EXIT-1', at: app.clock.now() },
      { type: 'exit', requirement: 'EXIT-1', at: app.clock.now() },
    ]);
    const checkpoint = await checkpointer.checkpoint();
    const ok = await app.request('/api/audit/verification', { session: auditor });
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      ok: true,
      first_bad_seq: null,
      checkpoints: 1,
      newest_checkpoint: { seq: checkpoint?.seq, hash: checkpoint?.hash },
      bad_checkpoints: [],
    });
    const db = new BetterSqlite3(app.dbFile);
    db.prepare('delete from audit_events where seq >= 2').run();
    db.prepare('update audit_head set seq = 1, hash = (select hash from audit_events where seq = 1)').run();
    db.close();
    const broken = (await (
      await app.request('/api/audit/verification', { session: auditor })
    ).json()) as Record<string, unknown>;
    expect(broken).toMatchObject({ ok: false, first_bad_seq: 2, reason: 'truncated' });
  });
});
