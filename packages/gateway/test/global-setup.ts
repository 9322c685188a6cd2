import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * Vitest global set-up. Each run names its PostgreSQL test schemas with a run id (`CG_TEST_RUN`, read by
 * `createTestSchema`) and drops them only when every test file is done: a schema dropped while another
 * store migrates breaks that migration (Kysely's introspection resolves every table of every schema by
 * name, and fails with 3F000 on one that vanished), so no test drops schemas while others run.
 */
export default function setup(): () => Promise<void> {
  const runId = randomBytes(4).toString('hex');
  process.env.CG_TEST_RUN = runId;
  return async () => {
    const url = process.env.DATABASE_URL;
    if (!url) return;
    const admin = new pg.Pool({ connectionString: url, max: 1 });
    try {
      const { rows } = await admin.query<{ name: string }>(
        'select nspname as name from pg_namespace where nspname like $1',
        [`%\\_${runId}\\_%`],
      );
      for (const { name } of rows) await admin.query(`drop schema if exists "${name}" cascade`);
    } finally {
      await admin.end();
    }
  };
}
