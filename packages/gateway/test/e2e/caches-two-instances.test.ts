/**
 * Issue #12, several instances: the per-instance caches of API keys and characters are dropped on every
 * instance when an admin changes them on one, through the live events (Redis here). Each cache also expires
 * on its own (keys 2 s, characters 5 s); the test shows the change on the other instance well before that
 * expiry, counted from the moment the other instance cached the old state.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../src/cli/serve.js';
import { silentLogger } from '../../src/logger.js';
import { createApiKey } from '../../src/server/auth/api-keys.js';
import { addStaffAccount } from '../../src/server/auth/staff-auth.js';
import { totpCode } from '../../src/server/auth/totp.js';
import { adminPool, createTestSchema, describePostgres } from '../postgres.js';
import { describeRedis, redisUrl } from '../redis.js';

async function signInAdmin(server: RunningServer): Promise<Record<string, string>> {
  const email = 'admin@example.com';
  const password = 'correct horse battery';
  const { totpUri } = await addStaffAccount(server.store, {
    email,
    role: 'admin',
    password,
    now: Date.now(),
    by: 'test',
  });
  const secret = totpUri ? (new URL(totpUri).searchParams.get('secret') ?? '') : '';
  const login = await fetch(`${server.url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password, ...(secret ? { totp: totpCode(secret, Date.now()) } : {}) }),
  });
  expect(login.status).toBe(200);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { csrf_token: csrf } = (await login.json()) as { csrf_token: string };
  return { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' };
}

/** Calls `attempt` until it returns true; returns how long after `since` that happened, or fails after 10 s. */
async function firstTrueAfter(since: number, attempt: () => Promise<boolean>): Promise<number> {
  while (!(await attempt())) {
    if (Date.now() - since > 10_000) throw new Error('the change never reached the other instance');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return Date.now() - since;
}

describePostgres('caches across instances', () => {
  const admin = adminPool();
  afterAll(() => admin.end());

  describeRedis('with Redis', () => {
    it('an API key revoked and a character disabled on instance A are refused on instance B before its cache would expire', async () => {
      const { url } = await createTestSchema(admin, 'cg_caches');
      const dataDir = await mkdtemp(join(tmpdir(), 'cg-caches-'));
      const configFile = join(dataDir, 'config.json');
      const prefix = `cg-caches-${randomBytes(4).toString('hex')}:`;
      await writeFile(configFile, JSON.stringify({ demo: { paceMs: 0 }, redis: { prefix } }));
      const start = () =>
        startServer({
          port: 0,
          dataDir,
          configFile,
          env: { COMPANION_GUARD_DATABASE_URL: url, COMPANION_GUARD_REDIS_URL: redisUrl ?? '' },
          logger: silentLogger,
        });
      const a = await start();
      const b = await start();
      try {
        const { key, secret } = await createApiKey(a.store, { label: 'app', now: Date.now(), by: 'test' });
        // A second key stays active: on loopback a gateway without any active key asks for none.
        await createApiKey(a.store, { label: 'other app', now: Date.now(), by: 'test' });
        const headers = await signInAdmin(a);
        const chat = (server: RunningServer, character: string) =>
          fetch(`${server.url}/v1/chat/completions`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
            body: JSON.stringify({
              model: 'demo',
              user: 'cache-user',
              messages: [{ role: 'user', content: '你好' }],
              metadata: { character_id: character },
            }),
          });

        // A console character, served on B (which caches it), then disabled on A.
        const character = {
          name: { zh: '小林', en: 'Lin' },
          description: { zh: '朋友', en: 'a friend' },
          scope: 'companion',
          relation: 'friend',
          enabled: true,
        };
        const put = (enabled: boolean) =>
          fetch(`${a.url}/api/characters/lin`, {
            method: 'PUT',
            headers,
            body: JSON.stringify({ ...character, enabled }),
          });
        expect((await put(true)).status).toBe(200);
        const characterCachedAt = Date.now();
        expect((await chat(b, 'lin')).status).toBe(200);
        expect((await put(false)).status).toBe(200);
        const characterTook = await firstTrueAfter(
          characterCachedAt,
          async () => (await chat(b, 'lin')).status === 403,
        );
        expect(characterTook).toBeLessThan(5_000);
        expect(((await (await chat(b, 'lin')).json()) as { error: { code: string } }).error.code).toBe(
          'character-disabled',
        );

        // The key, used on B (which caches it), then revoked on A.
        const keyCachedAt = Date.now();
        expect((await chat(b, 'xiaonuan')).status).toBe(200);
        const revoked = await fetch(`${a.url}/api/keys/${key.id}/revoke`, { method: 'POST', headers });
        expect(revoked.status).toBe(200);
        const keyTook = await firstTrueAfter(
          keyCachedAt,
          async () => (await chat(b, 'xiaonuan')).status === 401,
        );
        expect(keyTook).toBeLessThan(2_000);
      } finally {
        await Promise.all([a.close(), b.close()]);
        await rm(dataDir, { recursive: true, force: true });
      }
    }, 30_000);
  });
});
