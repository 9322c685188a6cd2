import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadOrCreateSigningKey, signingKeyEnvVar, verifySignature } from './signing-key.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cg-sign-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe('signing key (LOG-1, DATA-4)', () => {
  it('is created once as a private file, then read back with the same key id', async () => {
    const dataDir = await tempDir();
    const [a, b] = await Promise.all([
      loadOrCreateSigningKey({ dataDir, env: {} }),
      loadOrCreateSigningKey({ dataDir, env: {} }),
    ]);
    expect(a.keyId).toBe(b.keyId);
    expect([a.source, b.source].sort()).toEqual(['created', 'file']);
    expect((await stat(join(dataDir, 'signing.key'))).mode & 0o777).toBe(0o600);
    const again = await loadOrCreateSigningKey({ dataDir, env: {} });
    expect(again.keyId).toBe(a.keyId);
    expect(verifySignature(again.publicKeyPem, 'payload', a.sign('payload'))).toBe(true);
  });

  it('rejects a changed payload, another key and garbage', async () => {
    const one = await loadOrCreateSigningKey({ dataDir: await tempDir(), env: {} });
    const two = await loadOrCreateSigningKey({ dataDir: await tempDir(), env: {} });
    const signature = one.sign('checkpoint 7');
    expect(verifySignature(one.publicKeyPem, 'checkpoint 8', signature)).toBe(false);
    expect(verifySignature(two.publicKeyPem, 'checkpoint 7', signature)).toBe(false);
    expect(verifySignature('not a key', 'checkpoint 7', signature)).toBe(false);
  });

  it('takes the key from the environment, and refuses one that is not Ed25519 PEM', async () => {
    const dataDir = await tempDir();
    const file = await loadOrCreateSigningKey({ dataDir, env: {} });
    const { readFile } = await import('node:fs/promises');
    const pem = await readFile(join(dataDir, 'signing.key'), 'utf8');
    const fromEnv = await loadOrCreateSigningKey({
      dataDir: await tempDir(),
      env: { [signingKeyEnvVar]: pem },
    });
    expect(fromEnv).toMatchObject({ source: 'env', path: null, keyId: file.keyId });
    await expect(
      loadOrCreateSigningKey({ dataDir, env: { [signingKeyEnvVar]: 'nope' } }),
    ).rejects.toMatchObject({ code: 'invalid-config' });
  });
});
