import { chmod, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFakeClock } from '@companion-guard/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuditCheckpointer } from '../audit/audit-checkpointer.js';
import { loadConfig } from '../config.js';
import { createLogger, silentLogger } from '../logger.js';
import { loadOrCreateSigningKey } from '../storage/signing-key.js';
import { openStore } from './serve.js';

let root = '';
let umask = 0;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'cg-modes-'));
  // The most permissive usual umask: the modes must not depend on it.
  umask = process.umask(0o000);
});
afterEach(async () => {
  process.umask(umask);
  await rm(root, { recursive: true, force: true });
});

const mode = async (path: string) => (await stat(path)).mode & 0o777;

describe.skipIf(process.platform === 'win32')('private data directory (LOG-1, DATA-1)', () => {
  it('LOG-1: a new data dir is 0700 and the database, its WAL and SHM, key and checkpoint files 0600, whatever the umask', async () => {
    const dataDir = join(root, 'data');
    const config = await loadConfig({ dataDir }, {});
    const store = await openStore(config, silentLogger);
    const user = await store.ensureUser('modes-user', 1);
    await store.appendAudit([{ type: 'exit', requirement: 'EXIT-1', at: 1, userId: user.id }]);
    const signingKey = await loadOrCreateSigningKey({ dataDir, env: {} });
    const checkpointer = createAuditCheckpointer({
      store,
      signingKey,
      file: config.audit.checkpointFile,
      publishUrl: null,
      clock: createFakeClock(1),
      logger: silentLogger,
    });
    expect(await checkpointer.checkpoint()).not.toBeNull();
    const files = (await readdir(dataDir)).sort();
    expect(files).toEqual([
      'audit-checkpoints.jsonl',
      'companion-guard.sqlite',
      'companion-guard.sqlite-shm',
      'companion-guard.sqlite-wal',
      'master.key',
      'signing.key',
    ]);
    expect(await mode(dataDir)).toBe(0o700);
    for (const file of files) expect([file, await mode(join(dataDir, file))]).toEqual([file, 0o600]);
    await store.close();
  });

  it('LOG-1: an existing data dir and database open to others are tightened at start, with a warning', async () => {
    const dataDir = join(root, 'data');
    await mkdir(dataDir, { mode: 0o755 });
    await chmod(dataDir, 0o755);
    const config = await loadConfig({ dataDir }, {});
    await (await openStore(config, silentLogger)).close();
    await chmod(join(dataDir, 'companion-guard.sqlite'), 0o644);
    await writeFile(join(dataDir, 'companion-guard.sqlite-wal'), '', { mode: 0o666 });
    await chmod(dataDir, 0o755);
    const lines: string[] = [];
    const store = await openStore(config, createLogger({ level: 'warn', write: (line) => lines.push(line) }));
    await store.close();
    expect(await mode(dataDir)).toBe(0o700);
    expect(await mode(join(dataDir, 'companion-guard.sqlite'))).toBe(0o600);
    const warnings = lines.map((line) => JSON.parse(line) as { level: string; msg: string });
    expect(warnings.filter((w) => w.level === 'warn').map((w) => w.msg)).toEqual([
      expect.stringMatching(/data directory .*\(mode 755\); tightened to 700/),
      expect.stringMatching(/companion-guard\.sqlite was open .*\(mode 644\); tightened to 600/),
      expect.stringMatching(/companion-guard\.sqlite-wal was open .*\(mode 666\); tightened to 600/),
    ]);
  });
});
