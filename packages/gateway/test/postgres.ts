import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';

/** The PostgreSQL test database (CI sets it). */
export const databaseUrl = process.env.DATABASE_URL;

/**
 * `describe` for tests that need PostgreSQL: they run when `DATABASE_URL` is set, are reported as skipped
 * (with the reason in their name) when it is not, and fail when it is missing under `CI=true`.
 */
export function describePostgres(name: string, body: () => void): void {
  if (!databaseUrl && process.env.CI === 'true') {
    describe(name, () => {
      it('needs DATABASE_URL when CI=true', () => {
        expect.fail('DATABASE_URL is not set but CI=true: PostgreSQL tests may not be skipped in CI.');
      });
    });
    return;
  }
  describe.skipIf(!databaseUrl)(databaseUrl ? name : `${name} (skipped: DATABASE_URL not set)`, body);
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
  const schema = `${prefix}_${randomBytes(4).toString('hex')}`;
  await admin.query(`create schema ${schema}`);
  const separator = databaseUrl?.includes('?') ? '&' : '?';
  return {
    schema,
    url: `${databaseUrl}${separator}options=${encodeURIComponent(`-c search_path=${schema}`)}`,
  };
}
