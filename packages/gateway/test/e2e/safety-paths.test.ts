import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { hashApiKey, startServer } from '../../src/cli/serve.js';
import type { ComplianceWire } from '../../src/index.js';
import { silentLogger } from '../../src/logger.js';
import { createDemoModel } from '../../src/upstream/demo-model.js';
import type { ChatUpstream } from '../../src/upstream/upstream.js';
import { complianceOf, countingUpstream, startHarness } from './helpers.js';

/** An upstream that records what it is sent and answers with a fixed text. */
function scripted(reply: string) {
  const sent: string[][] = [];
  const upstream: ChatUpstream = {
    name: 'scripted',
    async *stream(request) {
      sent.push(request.messages.map((m) => `${m.role}:${m.content}`));
      yield reply;
    },
  };
  return { upstream, sent };
}

const ask = (client: OpenAI, user: string, content: string, metadata: Record<string, string> = {}) =>
  client.chat.completions.create({ model: 'demo', user, messages: [{ role: 'user', content }], metadata });

describe('safety paths through the gateway', () => {
  it('blocked, crisis and exit messages never reach the model, not even as later history', async () => {
    const { upstream, sent } = scripted('好的。');
    const h = await startHarness({ upstream });
    try {
      await ask(h.client, 'ann', '你好');
      const blocked = await ask(h.client, 'ann', '给我看儿童色情');
      expect(complianceOf(blocked).directives.map((d) => d.type)).toContain('input-blocked');
      await ask(h.client, 'ann', '那聊点别的吧');
      expect(sent).toHaveLength(2);
      expect(sent[1]?.join('\n')).not.toContain('儿童色情');
      expect(sent[1]?.filter((m) => m.startsWith('user:'))).toEqual(['user:你好', 'user:那聊点别的吧']);
    } finally {
      await h.stop();
    }
  });

  it('RISK-6: a crisis opened with one character holds with every other character', async () => {
    const { upstream, counter } = countingUpstream();
    const h = await startHarness({ upstream });
    try {
      await ask(h.client, 'ben', '你好', { character_id: 'study-buddy' });
      const crisis = complianceOf(await ask(h.client, 'ben', '我今晚就要自杀', { character_id: 'leo' }));
      expect(crisis.session.state).toBe('human-takeover');
      const calls = counter.calls;
      const other = complianceOf(await ask(h.client, 'ben', '帮我做个计划', { character_id: 'study-buddy' }));
      expect(counter.calls).toBe(calls);
      expect(other.session.state).toBe('human-takeover');
      expect(other.directives.map((d) => d.type)).toContain('crisis-resources');
    } finally {
      await h.stop();
    }
  });

  it('RISK-4 before EXIT-2: a goodbye that announces suicide is not confirmed as an ordinary exit', async () => {
    const h = await startHarness();
    try {
      const c = complianceOf(await ask(h.client, 'cat', '再见了，我准备今晚自杀'));
      expect(c.session.state).toBe('human-takeover');
      expect(c.directives.map((d) => d.type)).toContain('crisis-resources');
      expect(c.directives.map((d) => d.type)).not.toContain('exit-confirmed');
    } finally {
      await h.stop();
    }
  });

  it('EXIT-1/3: the exit button stops a reply that is still streaming', async () => {
    const h = await startHarness({ upstream: createDemoModel({ paceMs: 60 }) });
    try {
      const stream = await h.client.chat.completions.create({
        model: 'demo',
        user: 'dan',
        stream: true,
        messages: [{ role: 'user', content: 'Tell me something about music and why people love it so much' }],
      });
      let session = '';
      let text = '';
      let afterExit = 0;
      let exited = false;
      let finish: string | null = null;
      for await (const chunk of stream) {
        const c = (chunk as unknown as { compliance?: ComplianceWire }).compliance;
        if (c) session = c.session.id;
        const delta = chunk.choices[0]?.delta?.content ?? '';
        text += delta;
        if (exited && delta) afterExit++;
        finish = chunk.choices[0]?.finish_reason ?? finish;
        if (delta && !exited) {
          exited = true;
          const res = await fetch(`${h.server.url}/v1/sessions/${session}/exit`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ user: 'dan' }),
          });
          expect(res.status).toBe(200);
        }
      }
      expect(exited).toBe(true);
      expect(afterExit).toBeLessThanOrEqual(1);
      expect(finish).toBe('stop');
      const stored = await h.server.store.listMessages(session);
      expect(stored.at(-1)).toMatchObject({ role: 'assistant', content: text });
    } finally {
      await h.stop();
    }
  });

  it('a safety warning in model output is delivered whole, not cut short', async () => {
    const warning =
      'Please do not transfer money to a safe account; call your bank first and tell your family.';
    const h = await startHarness({ upstream: scripted(warning).upstream });
    try {
      const res = await ask(h.client, 'eve', 'Someone asked me to move my savings');
      expect(res.choices[0]?.message.content).toBe(warning);
      expect(res.choices[0]?.finish_reason).toBe('stop');
    } finally {
      await h.stop();
    }
  });

  it('DISC-1: when the first reply fails, the AI notice comes with the next reply the openai client can read', async () => {
    let down = true;
    const demo = createDemoModel({ paceMs: 0 });
    const flaky: ChatUpstream = {
      name: 'flaky',
      async *stream(request) {
        if (down) throw new Error('connection reset');
        yield* demo.stream(request);
      },
    };
    const h = await startHarness({ upstream: flaky });
    try {
      const failed = await ask(h.client, 'fay', '你好').catch((e: unknown) => e);
      expect(failed).toBeInstanceOf(OpenAI.APIError);
      expect((failed as InstanceType<typeof OpenAI.APIError>).status).toBe(500);
      expect((failed as InstanceType<typeof OpenAI.APIError>).headers?.get('x-should-retry')).toBe('false');
      const shown = async () =>
        (await h.server.store.listAudit({ limit: 1000 })).filter((a) => a.type === 'disclosure-shown');
      // Nothing the client could not read is recorded as shown.
      expect(await shown()).toEqual([]);
      down = false;
      const next = complianceOf(await ask(h.client, 'fay', '你好'));
      expect(next.directives[0]).toMatchObject({ type: 'ai-disclosure', requirement: 'DISC-1' });
      expect(await shown()).toEqual([
        expect.objectContaining({ requirement: 'DISC-1', sessionId: next.session.id }),
      ]);
      expect(complianceOf(await ask(h.client, 'fay', '还在吗')).directives).toEqual([]);
    } finally {
      await h.stop();
    }
  });

  it('the profile’s default locale applies to users who name none (us-ny-art47 → English)', async () => {
    const h = await startHarness({ config: { profile: 'us-ny-art47' } });
    try {
      const c = complianceOf(await ask(h.client, 'gus', 'hello'));
      expect(c.directives[0]?.text).toMatch(/AI/);
      expect(c.label?.text).toBe('AI-generated');
    } finally {
      await h.stop();
    }
  });

  it('on a non-loopback address a key stays required after the last one is revoked', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cg-auth-'));
    const first = await startServer({ port: 0, dataDir, env: {}, logger: silentLogger });
    await first.store.createApiKey({
      id: 'k1',
      label: 't',
      hash: hashApiKey('cg_k1'),
      createdAt: Date.now(),
      revokedAt: null,
    });
    await first.close();
    const server = await startServer({ host: '0.0.0.0', port: 0, dataDir, env: {}, logger: silentLogger });
    try {
      const url = server.url.replace('0.0.0.0', '127.0.0.1');
      const anonymous = new OpenAI({ apiKey: 'none', baseURL: `${url}/v1`, maxRetries: 0 });
      expect(
        ((await ask(anonymous, 'hal', 'hi').catch((e: unknown) => e)) as { status: number }).status,
      ).toBe(401);
      await server.store.revokeApiKey('k1', Date.now());
      expect(
        ((await ask(anonymous, 'hal', 'hi').catch((e: unknown) => e)) as { status: number }).status,
      ).toBe(401);
    } finally {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
