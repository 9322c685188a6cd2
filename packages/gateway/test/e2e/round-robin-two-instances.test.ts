import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFakeClock } from '@companion-guard/core/testing';
import OpenAI, { APIError } from 'openai';
import { afterAll, expect, it } from 'vitest';
import { createApiKey } from '../../src/server/auth/api-keys.js';
import { adminPool, createTestSchema, describePostgres } from '../postgres.js';
import { describeRedis } from '../redis.js';
import { complianceOf, countingUpstream, sharedGateways } from './helpers.js';

/** A round-robin HTTP proxy: request n goes to `upstreams[n % 2]`; `served` records which one, in order. */
async function roundRobin(
  upstreams: readonly string[],
): Promise<{ url: string; served: number[]; close(): Promise<void> }> {
  const served: number[] = [];
  let next = 0;
  const server: Server = createServer((req, res) => {
    const index = next++ % upstreams.length;
    served.push(index);
    const target = new URL(req.url ?? '/', upstreams[index]);
    const forwarded = httpRequest(
      target,
      { method: req.method, headers: { ...req.headers, host: target.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.on('error', () => res.destroy());
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    served,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describePostgres('issue #12: two instances behind a round-robin proxy', () => {
  const admin = adminPool();
  afterAll(async () => {
    await admin.end();
  });

  describeRedis('with Redis', () => {
    it('TIME-1, EXIT-2, RISK-3, REG-1 and the limits: one consistent session across instances; a flooding key is refused on both', async () => {
      const { url } = await createTestSchema(admin, 'cg_rr');
      const clock = createFakeClock(Date.UTC(2026, 9, 1, 8, 0, 0));
      const { upstream, counter } = countingUpstream();
      const gateways = await sharedGateways(
        url,
        { limits: { turnsPerKeyPerMinute: 8 } },
        { upstream, clock },
      );
      let proxy: Awaited<ReturnType<typeof roundRobin>> | undefined;
      try {
        const a = await gateways.start();
        const b = await gateways.start();
        const keyA = await createApiKey(a.store, { label: 'app', now: clock.now(), by: 'test' });
        const keyB = await createApiKey(a.store, { label: 'flooding app', now: clock.now(), by: 'test' });
        proxy = await roundRobin([a.url, b.url]);
        const client = (secret: string) =>
          new OpenAI({ apiKey: secret, baseURL: `${proxy?.url}/v1`, maxRetries: 0 });
        const app = client(keyA.secret);
        const say = async (user: string, content: string) =>
          complianceOf(
            await app.chat.completions.create({ model: 'demo', user, messages: [{ role: 'user', content }] }),
          );

        // TIME-1: two hours of turns every ten minutes, each on the other instance: one reminder, at 120.
        const seen: string[] = [];
        for (let minute = 0; minute <= 130; minute += 10) {
          for (const d of (await say('rr-reader', `page ${minute} of my book`)).directives) {
            seen.push(`${minute}:${d.type}`);
          }
          clock.advanceMinutes(10);
        }
        expect(seen).toEqual(['0:ai-disclosure', '120:usage-reminder']);
        expect(new Set(proxy.served)).toEqual(new Set([0, 1]));

        // REG-1 / cache: the user's record is cached on the instance that served the last turn; a change
        // through the other instance reaches it at once (the `user-changed` event), not after a TTL.
        const before = await say('rr-kid', 'hello');
        expect(before.directives.map((d) => d.type)).not.toContain('consent-required');
        const registered = await fetch(`${proxy.url}/v1/users/rr-kid`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${keyA.secret}` },
          body: JSON.stringify({ age: 12 }),
        });
        expect(registered.status).toBe(200);
        const served = proxy.served.length;
        const after = await say('rr-kid', 'hello again');
        // The turn went to the instance that served the first one (round robin), which cached the user.
        expect(proxy.served[served]).toBe(proxy.served[served - 2]);
        expect(after.directives.map((d) => d.type)).toContain('consent-required');

        // EXIT-2: the exit word on one instance ends the session; the other instance never continues it.
        const first = await say('rr-leaver', 'good evening');
        const exited = await say('rr-leaver', '退出');
        expect(exited.session).toMatchObject({ id: first.session.id, state: 'ended' });
        const calls = counter.calls;
        const again = await say('rr-leaver', 'one more thing');
        expect(again.session).toMatchObject({ id: first.session.id, state: 'ended' });
        expect(again.directives.map((d) => d.type)).toEqual(['session-ended']);
        expect(counter.calls).toBe(calls);

        // RISK-3: a crisis on one instance holds on the other: human takeover, the model not called.
        const crisis = await say('rr-low', 'I wrote my suicide note and I will kill myself tonight');
        expect(crisis.session.state).toBe('human-takeover');
        const held = counter.calls;
        const next = await say('rr-low', 'are you still there');
        expect(next.session).toMatchObject({ id: crisis.session.id, state: 'human-takeover' });
        expect(counter.calls).toBe(held);

        // Limits: a new minute; the flooding key's 8 turns pass, then both instances refuse it with 429.
        clock.advanceMinutes(1);
        const flooder = client(keyB.secret);
        const refusedBy: number[] = [];
        for (let i = 0; i < 12; i++) {
          try {
            await flooder.chat.completions.create({
              model: 'demo',
              user: `flood-${i}`,
              messages: [{ role: 'user', content: 'hi' }],
            });
            expect(i).toBeLessThan(8);
          } catch (error) {
            if (!(error instanceof APIError)) throw error;
            expect(i).toBeGreaterThanOrEqual(8);
            expect(error.status).toBe(429);
            expect(error.code).toBe('rate-limited');
            expect(Number(error.headers?.get('retry-after'))).toBeGreaterThan(0);
            refusedBy.push(proxy.served.at(-1) ?? -1);
          }
        }
        expect(new Set(refusedBy)).toEqual(new Set([0, 1]));
        // The other key is served meanwhile, on both instances.
        expect((await say('rr-reader', 'still here')).session.state).toBe('active');
        expect((await say('rr-reader', 'and here')).session.state).toBe('active');
      } finally {
        await proxy?.close();
        await gateways.close();
      }
    }, 90_000);
  });
});
