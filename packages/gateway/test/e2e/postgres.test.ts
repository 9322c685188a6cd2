import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { complianceOf, type Harness, startHarness } from './helpers.js';

const databaseUrl = process.env.DATABASE_URL;

if (!databaseUrl && process.env.CI === 'true') {
  describe('gateway on PostgreSQL', () => {
    it('needs DATABASE_URL when CI=true', () => {
      expect.fail(
        'DATABASE_URL is not set but CI=true: the PostgreSQL end-to-end run may not be skipped in CI.',
      );
    });
  });
}

describe.skipIf(!databaseUrl)(
  databaseUrl ? 'gateway on PostgreSQL' : 'gateway on PostgreSQL (skipped: DATABASE_URL not set)',
  () => {
    const schema = `cg_e2e_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Pool({ connectionString: databaseUrl, max: 1 });
    afterAll(async () => {
      await admin.query(`drop schema if exists ${schema} cascade`);
      await admin.end();
    });

    it('serves turns, exits and restarts with PostgreSQL as the store; no plaintext in the rows', async () => {
      await admin.query(`create schema ${schema}`);
      const sep = databaseUrl?.includes('?') ? '&' : '?';
      const url = `${databaseUrl}${sep}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
      const h: Harness = await startHarness({ env: { COMPANION_GUARD_DATABASE_URL: url } });
      try {
        const secret = '只在数据库测试里说的话 walrus-9913';
        const first = await h.client.chat.completions.create({
          model: 'demo',
          user: 'pg-user',
          messages: [{ role: 'user', content: secret }],
        });
        const c = complianceOf(first);
        expect(c.directives[0]).toMatchObject({ type: 'ai-disclosure', requirement: 'DISC-1' });
        await h.restart();
        const bye = await h.client.chat.completions.create({
          model: 'demo',
          user: 'pg-user',
          messages: [{ role: 'user', content: '退出' }],
        });
        expect(complianceOf(bye).session).toEqual({ id: c.session.id, state: 'ended' });
        const rows = await admin.query(`select * from ${schema}.messages`);
        expect(rows.rowCount).toBe(4);
        // Every column of every row, bytes decoded as UTF-8: the sentence must appear nowhere.
        const dump = rows.rows
          .flatMap((r: Record<string, unknown>) => Object.values(r))
          .map((v) => (Buffer.isBuffer(v) ? v.toString('utf8') : String(v)))
          .join('\n');
        expect(dump).toContain(c.session.id);
        expect(dump).not.toContain('walrus-9913');
        expect(dump).not.toContain('只在数据库测试');
        expect((await h.server.store.verifyAudit()).ok).toBe(true);
      } finally {
        await h.stop();
      }
    });
  },
);
