/**
 * Issue #12, several instances: the per-instance caches of API keys and characters are dropped on every
 * instance when an admin changes them on one, through the live events (Redis here). Each cache also expires
 * on its own (keys 2 s, characters 5 s), timed by `Date.now()`: the test stops that clock (the gateways run in
 * this process), so no cached copy ever expires and only the event can carry the change.
 */
import { afterAll, expect, it, vi } from 'vitest';
import type { RunningServer } from '../../src/cli/serve.js';
import { createApiKey } from '../../src/server/auth/api-keys.js';
import { adminPool, createTestSchema, describePostgres } from '../postgres.js';
import { describeRedis } from '../redis.js';
import { sharedGateways, signInStaff } from './helpers.js';

/** Calls `attempt` until it returns true, for at most 10 s of real time (`Date` is stopped). */
async function until(what: string, attempt: () => Promise<boolean>): Promise<void> {
  const deadline = performance.now() + 10_000;
  while (!(await attempt())) {
    if (performance.now() > deadline) throw new Error(`${what} never reached the other instance`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describePostgres('caches across instances', () => {
  const admin = adminPool();
  afterAll(() => admin.end());

  describeRedis('with Redis', () => {
    it('an API key revoked and a character disabled on instance A are refused on instance B, whose cached copies never expire', async () => {
      const { url } = await createTestSchema(admin, 'cg_caches');
      vi.useFakeTimers({ toFake: ['Date'] });
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
        expect((await chat(b, 'lin')).status).toBe(200);
        expect((await put(false)).status).toBe(200);
        await until('the disabled character', async () => (await chat(b, 'lin')).status === 403);
        expect(((await (await chat(b, 'lin')).json()) as { error: { code: string } }).error.code).toBe(
          'character-disabled',
        );

        // The key, used on B (which has cached it since its first use above), then revoked on A.
        expect((await chat(b, 'xiaonuan')).status).toBe(200);
        const revoked = await fetch(`${a.url}/api/keys/${key.id}/revoke`, { method: 'POST', headers });
        expect(revoked.status).toBe(200);
        await until('the revoked key', async () => (await chat(b, 'xiaonuan')).status === 401);
      } finally {
        await gateways.close();
        vi.useRealTimers();
      }
    }, 30_000);
  });
});
