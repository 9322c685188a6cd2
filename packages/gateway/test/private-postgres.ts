import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * A PostgreSQL server of its own for one test, which it may stop and start (the shared test server may not
 * be: other test files use it at the same time). Needs Debian's PostgreSQL binaries; as root, the server runs
 * as the `postgres` user. `fsync` is off: the test restarts the server, it does not crash the machine.
 */
export interface PrivatePostgres {
  readonly url: string;
  /** `pg_ctl stop -m fast`: every session is ended and the server shuts down cleanly, as in a restart. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server (if running) and removes its files. */
  close(): Promise<void>;
}

/** The newest installed PostgreSQL's `bin` directory, or why there is none. */
export function postgresBin(): { dir: string } | { reason: string } {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  const dir = newest && join(root, newest, 'bin');
  return dir && existsSync(join(dir, 'initdb')) ? { dir } : { reason: `no initdb under ${root}/*/bin` };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startPrivatePostgres(bin: string): Promise<PrivatePostgres> {
  const dir = await mkdtemp(join(tmpdir(), 'cg-pg-'));
  const asRoot = process.getuid?.() === 0;
  const run = (tool: string, args: string[]) =>
    promisify(execFile)(
      asRoot ? 'runuser' : join(bin, tool),
      asRoot ? ['-u', 'postgres', '--', join(bin, tool), ...args] : args,
      { timeout: 30_000 },
    );
  const data = join(dir, 'data');
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const start = async () => {
    await run('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', 'start']);
  };
  /** Stops the server whenever one may be running (a start that failed half-way too), then removes it all. */
  const close = async () => {
    if (existsSync(join(data, 'postmaster.pid'))) {
      await run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    if (asRoot) await chown(dir, Number(await id('-u')), Number(await id('-g')));
    await run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync']);
    await start();
  } catch (error) {
    await close();
    throw error;
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: () => run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']).then(() => undefined),
    start,
    close,
  };
}

/** The `postgres` user's uid (`-u`) or gid (`-g`). */
async function id(flag: '-u' | '-g'): Promise<string> {
  return (await promisify(execFile)('id', [flag, 'postgres'])).stdout.trim();
}
