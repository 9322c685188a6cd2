import { expect, it } from 'vitest';
import { describePostgres, useTestSchemas } from '../postgres.js';
import { complianceOf, type Harness, startHarness } from './helpers.js';

describePostgres('gateway on PostgreSQL', () => {
  const schemas = useTestSchemas();

  it('serves turns, exits and restarts with PostgreSQL as the store; no plaintext in the rows', async () => {
    const { schema, url } = await schemas.create('cg_e2e');
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
      const rows = await schemas.admin.query(`select * from ${schema}.messages`);
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
});
