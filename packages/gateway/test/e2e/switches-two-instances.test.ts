/**
 * ASSESS-3 across instances: two real gateways on one PostgreSQL schema and one Redis. A switch flipped on one
 * instance reaches the other at once through the live events (the periodic refresh is set to 10 minutes, so
 * only the event can carry it), with no restart; the official `openai` client chats on the other instance.
 */
import { defaultTexts, fillText } from '@companion-guard/core';
import OpenAI from 'openai';
import { afterAll, expect, it } from 'vitest';
import { adminPool, createTestSchema, describePostgres } from '../postgres.js';
import { describeRedis } from '../redis.js';
import { complianceOf, countingUpstream, sharedGateways, signInStaff } from './helpers.js';

/** Waits (bounded) until `check` holds: event delivery between instances is real I/O, not timed behaviour. */
async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describePostgres('ASSESS-3 across instances', () => {
  const admin = adminPool();
  afterAll(async () => {
    await admin.end();
  });

  describeRedis('with Redis', () => {
    it('ASSESS-3: a character switched off on instance A gives its users a feature-off directive on instance B at once, without restart; switched on at B, A serves it again', async () => {
      const { url } = await createTestSchema(admin, 'cg_switch');
      const { upstream, counter } = countingUpstream();
      const gateways = await sharedGateways(url, { controls: { refreshMs: 600_000 } }, { upstream });
      try {
        const a = await gateways.start();
        const b = await gateways.start();
        const onB = new OpenAI({ apiKey: 'none', baseURL: `${b.url}/v1`, maxRetries: 0 });
        const onA = new OpenAI({ apiKey: 'none', baseURL: `${a.url}/v1`, maxRetries: 0 });
        const ask = (client: OpenAI, user: string, content: string) =>
          client.chat.completions.create({
            model: 'demo',
            user,
            messages: [{ role: 'user', content }],
            metadata: { character_id: 'xiaonuan' },
          });
        await ask(onB, 'fan-b', '你好');
        expect(counter.calls).toBe(1);

        const staff = await signInStaff(a, 'compliance'); // the session is in the shared store: B takes it too
        const loadsOfB = b.controls.loads;
        const off = await fetch(`${a.url}/api/switches`, {
          method: 'POST',
          headers: staff,
          body: JSON.stringify({
            scope: 'character',
            target: 'xiaonuan',
            off: true,
            reason: 'major risk found',
          }),
        });
        expect(off.status).toBe(200);
        // B reloads on the event (its own refresh would come only in 10 minutes).
        await until('instance B reloads', () => b.controls.loads > loadsOfB);
        const refused = await ask(onB, 'fan-b', '还在吗');
        expect(counter.calls).toBe(1);
        expect(refused.choices[0]?.message.content).toBe(
          fillText(defaultTexts.featureOffCharacter.zh, { name: '小暖' }),
        );
        expect(complianceOf(refused).directives).toEqual([
          expect.objectContaining({
            type: 'feature-off',
            requirement: 'ASSESS-3',
            data: expect.objectContaining({ scope: 'character', target: 'xiaonuan' }),
          }),
        ]);
        // And on A, where it was switched.
        const onAToo = complianceOf(await ask(onA, 'fan-a0', '你好'));
        expect(onAToo.directives.map((d) => d.type)).toContain('feature-off');
        expect(counter.calls).toBe(1);
        const listed = (await (await fetch(`${b.url}/v1/characters`)).json()) as {
          data: { id: string; off: boolean }[];
        };
        expect(listed.data.find((c) => c.id === 'xiaonuan')?.off).toBe(true);

        const loadsOfA = a.controls.loads;
        const on = await fetch(`${b.url}/api/switches`, {
          method: 'POST',
          headers: staff,
          body: JSON.stringify({ scope: 'character', target: 'xiaonuan', off: false, reason: 'fixed' }),
        });
        expect(on.status).toBe(200);
        await until('instance A reloads', () => a.controls.loads > loadsOfA);
        const served = await ask(onA, 'fan-a', '你好');
        expect(counter.calls).toBe(2);
        expect(complianceOf(served).directives.map((d) => d.type)).not.toContain('feature-off');
      } finally {
        await gateways.close();
      }
    });
  });
});
