/**
 * Issue #12, several instances: the per-instance caches of API keys and characters are dropped on every
 * instance when an admin changes them on one, through the live events (Redis here). Each cache also expires
 * on its own (keys 2 s, characters 5 s); the test shows the change on the other instance well before that
 * expiry, counted from the moment the other instance cached the old state.
 */
import { afterAll, expect, it } from 'vitest';
import type { RunningServer } from '../../src/cli/serve.js';
import { createApiKey } from '../../src/server/auth/api-keys.js';
import { adminPool, createTestSchema, describePostgres } from '../postgres.js';
import { describeRedis } from '../redis.js';
import { sharedGateways, signInStaff } from './helpers.js';

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
      const gateways = await sharedGateways(url);
      try {
        const a = await gateways.start();
        const b = await gateways.start();
        const { key, secret } = await createApiKey(a.store, { label: 'app', now: Date.now(), by: 'test' });
        // A second key stays active: on loopback a gateway without any active key asks for none.
        await createApiKey(a.store, { label: 'other app', now: Date.now(), by: 'test' });
        const headers = await signInStaff(a, 'admin');
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
        await gateways.close();
      }
    }, 30_000);
  });
});
