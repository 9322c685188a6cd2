import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';

/** The PostgreSQL test database (CI sets it). */
export const databaseUrl = process.env.DATABASE_URL;

/**
 * `describe` for tests that need a service named by an environment variable: they run when it is set, are
 * reported as skipped (with the reason in their name) when it is not, and fail when it is missing under
 * `CI=true` (CI provides every service; its tests may not be skipped there).
 */
export function describeWithService(variable: string, name: string, body: () => void): void {
  const set = Boolean(process.env[variable]);
  if (!set && process.env.CI === 'true') {
    describe(name, () => {
      it(`needs ${variable} when CI=true`, () => {
        expect.fail(`${variable} is not set but CI=true: these tests may not be skipped in CI.`);
      });
    });
    return;
  }
  describe.skipIf(!set)(set ? name : `${name} (skipped: ${variable} not set)`, body);
}

/** `describe` for tests that need PostgreSQL (`DATABASE_URL`), see `describeWithService`. */
export function describePostgres(name: string, body: () => void): void {
  describeWithService('DATABASE_URL', name, body);
}

/** An admin pool on the test database. */
export function adminPool(): pg.Pool {
  return new pg.Pool({ connectionString: databaseUrl, max: 2 });
}

/** Creates a fresh schema and returns it with a URL whose connections use it as their search path. */
export async function createTestSchema(
  admin: pg.Pool,
  prefix: string,
): Promise<{ schema: string; url: string }> {
  // The run id lets the global teardown drop this run's schemas once every file is done (global-setup.ts).
  const schema = `${prefix}_${process.env.CG_TEST_RUN ?? 'local'}_${randomBytes(4).toString('hex')}`;
  await admin.query(`create schema ${schema}`);
  const separator = databaseUrl?.includes('?') ? '&' : '?';
  return {
    schema,
    url: `${databaseUrl}${separator}options=${encodeURIComponent(`-c search_path=${schema}`)}`,
  };
}

/**
 * For the `describe` it is called in: an admin pool on the test database and `create(prefix)` for fresh
 * schemas (see `createTestSchema`; the global teardown drops them); after its tests, the pool is ended.
 */
export function useTestSchemas(): {
  readonly admin: pg.Pool;
  create(prefix: string): Promise<{ schema: string; url: string }>;
} {
  const admin = adminPool();
  afterAll(() => admin.end());
  return { admin, create: (prefix) => createTestSchema(admin, prefix) };
}

/** Every row of every table in `schema` as PostgreSQL renders it as text, one row a line. */
export async function renderedRows(admin: pg.Pool, schema: string): Promise<string> {
  const tables = await admin.query<{ table_name: string }>(
    'select table_name from information_schema.tables where table_schema = $1',
    [schema],
  );
  let rendered = '';
  for (const { table_name } of tables.rows) {
    const all = await admin.query<{ row: string }>(`select t::text as row from ${schema}.${table_name} t`);
    rendered += all.rows.map((r) => r.row).join('\n');
  }
  return rendered;
}
