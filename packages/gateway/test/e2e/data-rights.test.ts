import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DeletionReceipt } from '@companion-guard/core';
import { createFakeClock } from '@companion-guard/core/testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/server/auth/api-keys.js';
import { type Harness, startHarness } from './helpers.js';

/** An OpenAI-moderation-style guard that counts the texts it was sent and flags none. */
async function countingGuard() {
  const seen: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => {
      body += d.toString();
    });
    req.on('end', () => {
      seen.push((JSON.parse(body) as { input: string }).input);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ results: [{ flagged: false, categories: {}, category_scores: {} }] }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    seen,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => server.close(),
  };
}

describe('DATA-2..4: data rights through the gateway with an app key and the openai client', () => {
  let guard: Awaited<ReturnType<typeof countingGuard>>;
  let h: Harness;
  let client: OpenAI;
  let headers: Record<string, string>;
  // Daytime in UTC, outside minors' quiet hours (a suspected minor chats below).
  const clock = createFakeClock(Date.UTC(2026, 6, 15, 10));
  beforeAll(async () => {
    guard = await countingGuard();
    h = await startHarness({
      clock,
      config: {
        secondOpinions: {
          // On loopback, but declared a third party (as a hosted moderation API would be).
          guards: [{ kind: 'openai-moderation', baseUrl: guard.url, name: 'hosted-mod', thirdParty: true }],
          alwaysAsk: ['prohibited'],
        },
      },
    });
    const { secret } = await createApiKey(h.server.store, { label: 'app', now: Date.now(), by: 'cli' });
    client = new OpenAI({ apiKey: secret, baseURL: `${h.server.url}/v1`, maxRetries: 0 });
    headers = { authorization: `Bearer ${secret}`, 'content-type': 'application/json' };
  });
  afterAll(async () => {
    await h.stop();
    guard.close();
  });

  const call = (path: string, init: RequestInit = {}) =>
    fetch(`${h.server.url}${path}`, { ...init, headers: { ...headers, ...(init.headers as object) } });
  const ask = (user: string, content: string) =>
    client.chat.completions.create({ model: 'demo', user, messages: [{ role: 'user', content }] });

  it('DATA-2: a third-party guard sees no text of a user without consent (audited), and does once the consent is given (a minor’s, a suspected minor’s too: the guardian’s)', async () => {
    await ask('hana', 'first words without consent');
    expect(guard.seen).not.toContain('first words without consent');
    const skipped = (await h.server.store.listAudit({ limit: 1000 })).filter(
      (e) => e.type === 'guard-skipped',
    );
    expect(skipped.at(-1)).toMatchObject({
      requirement: 'DATA-2',
      data: { guards: ['hosted-mod'], reason: 'no-third-party-consent' },
    });
    expect(
      (await call('/v1/users/hana/consents', { method: 'PUT', body: '{"third_party":true}' })).status,
    ).toBe(200);
    await ask('hana', 'now with consent');
    expect(guard.seen).toContain('now with consent');

    // A minor's own consent does not count; the guardian's does.
    await call('/v1/users/ivy', { method: 'PUT', body: '{"age":13}' });
    await call('/v1/users/ivy/consents', { method: 'PUT', body: '{"third_party":true}' });
    await ask('ivy', 'minor asks alone');
    expect(guard.seen).not.toContain('minor asks alone');
    await call('/v1/users/ivy/consents', {
      method: 'PUT',
      body: '{"third_party":true,"given_by":"guardian"}',
    });
    await ask('ivy', 'minor with the guardian consent');
    expect(guard.seen).toContain('minor with the guardian consent');

    // A suspected minor (age unknown, minor mode on) is a minor here too.
    const kai = await h.server.store.ensureUser('kai', clock.now());
    await h.server.store.minors.enter(kai.id, { reason: 'suspected', now: clock.now() });
    await call('/v1/users/kai/consents', { method: 'PUT', body: '{"third_party":true}' });
    await ask('kai', 'suspected minor asks alone');
    expect(guard.seen).not.toContain('suspected minor asks alone');
    await call('/v1/users/kai/consents', {
      method: 'PUT',
      body: '{"third_party":true,"given_by":"guardian"}',
    });
    await ask('kai', 'suspected minor with the guardian consent');
    expect(guard.seen).toContain('suspected minor with the guardian consent');
  });

  it('DATA-3, DATA-4: with the app key: the copy holds the conversation; deletion returns a signed receipt', async () => {
    const reply = await ask('jun', 'please remember my holiday plans');
    const copy = (await (await call('/v1/users/jun/export?format=json')).json()) as {
      messages: { content: string; content_id: string; AIGC?: { ProduceID: string } }[];
    };
    expect(copy.messages.map((m) => m.content)).toContain('please remember my holiday plans');
    const ai = copy.messages.find((m) => m.AIGC);
    expect(ai?.content).toBe(reply.choices[0]?.message.content);
    expect(ai?.AIGC?.ProduceID).toBe(ai?.content_id);

    const deleted = await call('/v1/users/jun/history', { method: 'DELETE' });
    expect(deleted.status).toBe(200);
    const receipt = (await deleted.json()) as DeletionReceipt;
    expect(receipt).toMatchObject({ externalUserId: 'jun', messagesDeleted: 2 });
    expect(receipt.signature).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const after = (await (await call('/v1/users/jun/export')).json()) as { messages: unknown[] };
    expect(after.messages).toEqual([]);
    // The conversation goes on after the deletion.
    const next = await ask('jun', 'a fresh start');
    expect(next.choices[0]?.message.content).toBeTruthy();
  });
});
