import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isCgError } from '@companion-guard/core';
import { afterAll, describe, expect, it } from 'vitest';
import { loadOrCreateMasterKey, masterKeyEnvVar, parseMasterKey } from './master-key.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cg-master-key-'));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

function invalidConfig(work: () => unknown): string {
  try {
    work();
  } catch (error) {
    expect(isCgError(error, 'invalid-config')).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected invalid-config');
}

describe('parseMasterKey', () => {
  const key = randomBytes(32);

  it.each([
    ['hex', key.toString('hex')],
    ['HEX upper case', key.toString('hex').toUpperCase()],
    ['base64', key.toString('base64')],
    ['base64url', key.toString('base64url')],
    ['base64 with surrounding whitespace', `  ${key.toString('base64')}\n`],
  ])('reads %s', (_, text) => {
    expect(Buffer.from(parseMasterKey(text, 'KEY')).equals(key)).toBe(true);
  });

  it.each([
    ['too short hex', key.subarray(0, 16).toString('hex')],
    ['too long base64', randomBytes(33).toString('base64')],
    ['not an encoding', 'correct horse battery staple!'],
    ['63 hex digits', key.toString('hex').slice(1)],
  ])('refuses %s with invalid-config that does not echo the value', (_, text) => {
    const message = invalidConfig(() => parseMasterKey(text, masterKeyEnvVar));
    expect(message).toContain(masterKeyEnvVar);
    expect(message).not.toContain(text.trim());
  });
});

describe('loadOrCreateMasterKey', () => {
  it('creates <dataDir>/master.key (mode 0600) on first start and reads the same key afterwards', async () => {
    const dataDir = join(await tempDir(), 'nested', 'data');
    const created = await loadOrCreateMasterKey({ dataDir, env: {} });
    expect(created.source).toBe('created');
    expect(created.path).toBe(join(dataDir, 'master.key'));
    expect(created.key.length).toBe(32);
    const info = await stat(join(dataDir, 'master.key'));
    expect(info.mode & 0o777).toBe(0o600);
    expect((await readFile(join(dataDir, 'master.key'), 'utf8')).trim()).toBe(
      Buffer.from(created.key).toString('base64'),
    );

    const again = await loadOrCreateMasterKey({ dataDir, env: {} });
    expect(again).toEqual({ ...created, source: 'file', warnings: [] });
  });

  it('concurrent first starts agree on one key', async () => {
    const dataDir = await tempDir();
    const keys = await Promise.all(
      Array.from({ length: 8 }, () => loadOrCreateMasterKey({ dataDir, env: {} })),
    );
    const distinct = new Set(keys.map((k) => Buffer.from(k.key).toString('hex')));
    expect(distinct.size).toBe(1);
    expect(keys.filter((k) => k.source === 'created')).toHaveLength(1);
  });

  it('prefers COMPANION_GUARD_MASTER_KEY and then writes no file', async () => {
    const dataDir = await tempDir();
    const key = randomBytes(32);
    const loaded = await loadOrCreateMasterKey({ dataDir, env: { [masterKeyEnvVar]: key.toString('hex') } });
    expect(loaded).toEqual({
      key: Buffer.from(key),
      source: 'env',
      path: null,
      warnings: [],
      previous: null,
    });
    await expect(stat(join(dataDir, 'master.key'))).rejects.toThrow();
  });

  it('treats an empty variable as unset', async () => {
    const dataDir = await tempDir();
    expect((await loadOrCreateMasterKey({ dataDir, env: { [masterKeyEnvVar]: '  ' } })).source).toBe(
      'created',
    );
  });

  it('refuses a malformed key from the environment or the file with invalid-config', async () => {
    const dataDir = await tempDir();
    await expect(loadOrCreateMasterKey({ dataDir, env: { [masterKeyEnvVar]: 'abc' } })).rejects.toMatchObject(
      {
        code: 'invalid-config',
      },
    );
    await writeFile(join(dataDir, 'master.key'), 'not a key\n', { mode: 0o600 });
    await expect(loadOrCreateMasterKey({ dataDir, env: {} })).rejects.toMatchObject({
      code: 'invalid-config',
    });
  });

  it('warns when the key file is readable by others', async () => {
    const dataDir = await tempDir();
    await loadOrCreateMasterKey({ dataDir, env: {} });
    await chmod(join(dataDir, 'master.key'), 0o644);
    const loaded = await loadOrCreateMasterKey({ dataDir, env: {} });
    expect(loaded.warnings).toHaveLength(1);
    expect(loaded.warnings[0]).toContain('chmod 600');
  });
});
