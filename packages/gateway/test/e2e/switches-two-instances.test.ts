/**
 * ASSESS-3 across instances: two real gateways on one PostgreSQL schema and one Redis. A switch flipped on one
 * instance reaches the other at once through the live events (the periodic refresh is set to 10 minutes, so
 * only the event can carry it), with no restart; the official `openai` client chats on the other instance.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultTexts, fillText } from '@companion-guard/core';
import OpenAI from 'openai';
import { afterAll, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../src/cli/serve.js';
import { silentLogger } from '../../src/logger.js';
import { addStaffAccount } from '../../src/server/auth/staff-auth.js';
import { adminPool, createTestSchema, describePostgres } from '../postgres.js';
import { describeRedis, redisUrl } from '../redis.js';
import { complianceOf, countingUpstream } from './helpers.js';

/** Waits (bounded) until `check` holds: event delivery between instances is real I/O, not timed behaviour. */
async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function signIn(server: RunningServer): Promise<Record<string, string>> {
  const email = 'compliance@example.com';
  const password = 'correct horse battery';
  if (!(await server.store.staff.findStaffByEmail(email))) {
    await addStaffAccount(server.store, { email, role: 'compliance', password, now: Date.now(), by: 'test' });
  }
  const login = await fetch(`${server.url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  expect(login.status).toBe(200);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { csrf_token: csrf } = (await login.json()) as { csrf_token: string };
  return { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' };
}

describePostgres('ASSESS-3 across instances', () => {
  const admin = adminPool();
  afterAll(async () => {
    await admin.end();
  });

  describeRedis('with Redis', () => {
    it('ASSESS-3: a character switched off on instance A gives its users a feature-off directive on instance B at once, without restart; switched on at B, A serves it again', async () => {
      const { url } = await createTestSchema(admin, 'cg_switch');
      const dataDir = await mkdtemp(join(tmpdir(), 'cg-switch-'));
      const configFile = join(dataDir, 'config.json');
      const prefix = `cg-switch-${randomBytes(4).toString('hex')}:`;
      await writeFile(
        configFile,
        JSON.stringify({ demo: { paceMs: 0 }, redis: { prefix }, controls: { refreshMs: 600_000 } }),
      );
      const { upstream, counter } = countingUpstream();
      const start = () =>
        startServer({
          port: 0,
          dataDir,
          configFile,
          env: { COMPANION_GUARD_DATABASE_URL: url, COMPANION_GUARD_REDIS_URL: redisUrl ?? '' },
          logger: silentLogger,
          upstream,
        });
      const a = await start();
      const b = await start();
      try {
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

        const loadsOfB = b.controls.loads;
        const off = await fetch(`${a.url}/api/switches`, {
          method: 'POST',
          headers: await signIn(a),
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
          headers: await signIn(b),
          body: JSON.stringify({ scope: 'character', target: 'xiaonuan', off: false, reason: 'fixed' }),
        });
        expect(on.status).toBe(200);
        await until('instance A reloads', () => a.controls.loads > loadsOfA);
        const served = await ask(onA, 'fan-a', '你好');
        expect(counter.calls).toBe(2);
        expect(complianceOf(served).directives.map((d) => d.type)).not.toContain('feature-off');
      } finally {
        await Promise.all([a.close(), b.close()]);
        await rm(dataDir, { recursive: true, force: true });
      }
    });
  });
});
