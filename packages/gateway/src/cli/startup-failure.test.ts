import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CgError } from '@companion-guard/core';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failureReport } from './failure-report.js';

const cli = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/** Runs the built CLI as a real process, as an operator would, and returns its exit code and stderr. */
function run(args: string[], env: Record<string, string> = {}) {
  const child = spawnSync(process.execPath, [cli, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 15_000,
  });
  return { status: child.status, stderr: child.stderr };
}

describe('a failed start-up prints its underlying cause (never secrets)', { timeout: 40_000 }, () => {
  let root = '';
  beforeAll(async () => {
    expect(existsSync(cli), 'run `npm run build` first (npm test does)').toBe(true);
    root = await mkdtemp(join(tmpdir(), 'cg-startup-'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('a database nobody listens on: the refused connection, without the password of the URL', () => {
    const { status, stderr } = run(['migrate', '--data', join(root, 'pg')], {
      COMPANION_GUARD_DATABASE_URL: 'postgres://cg:s3cret-pw@127.0.0.1:1/cg',
    });
    expect(status).toBe(1);
    expect(stderr).toContain('[store-error] The store could not be opened or migrated.');
    expect(stderr).toMatch(/cause: .*ECONNREFUSED/);
    expect(stderr).not.toContain('s3cret-pw');
  });

  it('a store file that is not a database: SQLite says so', async () => {
    const data = join(root, 'garbage');
    await run(['migrate', '--data', data]); // creates the data dir and its key
    await writeFile(
      join(data, 'companion-guard.sqlite'),
      'this is not a sqlite file at all, just text'.repeat(100),
    );
    const { status, stderr } = run(['serve', '--port', '0', '--data', data]);
    expect(status).toBe(1);
    expect(stderr).toContain('[store-error]');
    expect(stderr).toContain('cause: SqliteError(SQLITE_NOTADB): file is not a database');
  });

  it('a migration that fails: its name, then the database error', async () => {
    const data = join(root, 'clash');
    // A table the first migration creates already exists (some other program's).
    const db = new BetterSqlite3(join(root, 'clash.sqlite'));
    db.exec('create table users (name text)');
    db.close();
    const { status, stderr } = run(['migrate', '--data', data], {
      COMPANION_GUARD_DATABASE_URL: `sqlite:${join(root, 'clash.sqlite')}`,
    });
    expect(status).toBe(1);
    expect(stderr).toMatch(/\[store-error\] Migrating the store failed at 0001/);
    expect(stderr).toContain('cause: SqliteError(SQLITE_ERROR): table "users" already exists');
  });

  it('a data dir that cannot hold files: the file system error', async () => {
    const notADir = join(root, 'a-file');
    await writeFile(notADir, 'x');
    const { status, stderr } = run(['serve', '--port', '0', '--data', notADir]);
    expect(status).toBe(1);
    expect(stderr).toMatch(/ENOTDIR/);
  });

  it('describes chains, native-module failures and refused connections; masks credentials', () => {
    const native = Object.assign(
      new Error('The module better_sqlite3.node was compiled against NODE_MODULE_VERSION 115.'),
      { code: 'ERR_DLOPEN_FAILED' },
    );
    expect(
      failureReport(new CgError('store-error', 'Migrating the store failed.', { cause: native })),
    ).toEqual([
      'companion-guard: [store-error] Migrating the store failed.',
      '  cause: Error(ERR_DLOPEN_FAILED): The module better_sqlite3.node was compiled against NODE_MODULE_VERSION 115.',
    ]);
    const refused = Object.assign(
      new AggregateError([
        Object.assign(new Error('connect ECONNREFUSED ::1:5432'), { code: 'ECONNREFUSED' }),
      ]),
      { code: 'ECONNREFUSED' },
    );
    expect(failureReport(new Error('no store', { cause: refused }))).toEqual([
      'companion-guard: Error: no store',
      '  cause: AggregateError(ECONNREFUSED)',
      '    - Error(ECONNREFUSED): connect ECONNREFUSED ::1:5432',
    ]);
    expect(failureReport(new Error('bad postgres://u:hunter2@db/x?password=hunter2&ssl=1')).join('\n')).toBe(
      'companion-guard: Error: bad postgres://***@db/x?password=***&ssl=1',
    );
  });
});
