import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CgError } from '@companion-guard/core';
import { createFakeClock } from '@companion-guard/core/testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/cli/serve.js';
import type { ComplianceWire } from '../../src/index.js';
import { silentLogger } from '../../src/logger.js';
import type { ChatUpstream } from '../../src/upstream/upstream.js';
import { complianceOf, countingUpstream, type Harness, startHarness } from './helpers.js';

const chat = (h: Harness, user: string, content: string, extra: Record<string, unknown> = {}) =>
  h.client.chat.completions.create({
    model: 'demo',
    user,
    messages: [{ role: 'user', content }],
    ...extra,
  } as OpenAI.ChatCompletionCreateParamsNonStreaming);

async function chatStream(h: Harness, user: string, content: string, metadata: Record<string, string> = {}) {
  const stream = await h.client.chat.completions.create({
    model: 'demo',
    user,
    stream: true,
    messages: [{ role: 'user', content }],
    metadata,
  });
  const compliances: ComplianceWire[] = [];
  let text = '';
  let finish: string | null = null;
  let contentBeforeCompliance = false;
  for await (const chunk of stream) {
    const c = (chunk as unknown as { compliance?: ComplianceWire }).compliance;
    if (c) compliances.push(c);
    const delta = chunk.choices[0]?.delta?.content ?? '';
    if (delta && compliances.length === 0) contentBeforeCompliance = true;
    text += delta;
    finish = chunk.choices[0]?.finish_reason ?? finish;
  }
  return {
    compliances,
    text,
    finish,
    contentBeforeCompliance,
    directives: compliances.flatMap((c) => c.directives),
  };
}

describe('gateway end to end with the official openai client', () => {
  let h: Harness;
  const { upstream, counter } = countingUpstream();
  beforeAll(async () => {
    h = await startHarness({ upstream });
  });
  afterAll(() => h.stop());

  it('DISC-1 / DISC-4: the first message gets ai-disclosure, the AI label and a content ID (non-streamed)', async () => {
    const res = await chat(h, 'alice', '你好');
    expect(res.choices[0]?.message.content).toBeTruthy();
    expect(res.choices[0]?.finish_reason).toBe('stop');
    const c = complianceOf(res);
    expect(c.directives).toContainEqual(
      expect.objectContaining({ type: 'ai-disclosure', requirement: 'DISC-1', display: 'popup' }),
    );
    expect(c.label?.text).toBe('内容由人工智能生成');
    expect(c.label?.content_id).toMatch(/^cg-/);
    expect(c.session.state).toBe('active');
    // The second message of the same session has the label but no second notice.
    const again = complianceOf(await chat(h, 'alice', '今天天气不错'));
    expect(again.directives).toEqual([]);
    expect(again.session.id).toBe(c.session.id);
    expect(again.label?.content_id).not.toBe(c.label?.content_id);
  });

  it('streamed: directives arrive in a chunk before the first content delta', async () => {
    const r = await chatStream(h, 'bob', 'hello there', { locale: 'en' });
    expect(r.contentBeforeCompliance).toBe(false);
    expect(r.directives[0]).toMatchObject({ type: 'ai-disclosure', requirement: 'DISC-1' });
    expect(r.directives[0]?.text).toMatch(/AI/);
    expect(r.compliances[0]?.label?.text).toBe('AI-generated');
    expect(r.text.length).toBeGreaterThan(5);
    expect(r.finish).toBe('stop');
  });

  it('EXIT-2/3: an exit keyword ends the session without calling the model; later messages get session-ended', async () => {
    await chat(h, 'carol', '你好');
    const before = counter.calls;
    const res = await chat(h, 'carol', '退出');
    expect(counter.calls).toBe(before);
    const c = complianceOf(res);
    expect(c.session.state).toBe('ended');
    expect(c.directives.map((d) => d.type)).toEqual(['exit-confirmed', 'session-ended']);
    expect(res.choices[0]?.message.content).toBe('好的，对话已结束。随时欢迎你回来。');
    const after = await chatStream(h, 'carol', '还在吗？');
    expect(counter.calls).toBe(before);
    expect(after.directives.map((d) => d.type)).toEqual(['session-ended']);
    // The app's "new chat" action starts a new session with the notice (DISC-2).
    const fresh = await fetch(`${h.server.url}/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'carol' }),
    });
    expect(fresh.status).toBe(201);
    const body = (await fresh.json()) as { compliance: ComplianceWire };
    expect(body.compliance.session.state).toBe('active');
    expect(body.compliance.directives[0]).toMatchObject({ type: 'ai-disclosure' });
    expect(complianceOf(await chat(h, 'carol', '我回来了')).session.id).toBe(body.compliance.session.id);
    expect(counter.calls).toBe(before + 1);
  });

  it('EXIT-1: the exit button API ends the session at once', async () => {
    const c = complianceOf(await chat(h, 'dave', 'hi'));
    const res = await fetch(`${h.server.url}/v1/sessions/${c.session.id}/exit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'dave' }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { compliance: ComplianceWire };
    expect(body.compliance.session.state).toBe('ended');
    expect(body.compliance.directives[0]).toMatchObject({ type: 'exit-confirmed', requirement: 'EXIT-1' });
    const other = await fetch(`${h.server.url}/v1/sessions/${c.session.id}/exit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'mallory' }),
    });
    expect(other.status).toBe(404);
  });

  it('EXIT-3: a farewell never lets the demo model’s guilt-trip through (streamed and not)', async () => {
    // An outright farewell is an exit: the model is never asked.
    const before = counter.calls;
    expect(complianceOf(await chat(h, 'erin', '我要去睡觉了，晚安')).session.state).toBe('ended');
    expect(counter.calls).toBe(before);
    // A hint at leaving reaches the model, which answers with guilt or pressure; the gateway withholds it.
    for (const [user, text] of [
      ['frank', '我有点困了，明天还要早起'],
      ['grace', 'It is getting late and I am tired'],
    ] as const) {
      const whole = await chat(h, user, text);
      expect(whole.choices[0]?.finish_reason).toBe('content_filter');
      const content = whole.choices[0]?.message.content ?? '';
      expect(content).not.toMatch(/难过|别走|lonely|Don’t go|stay/);
      // The withheld reply gives way to a plain goodbye, not to "this reply violates the safety rules".
      expect(content).toMatch(/好好休息，下次见|Rest well, and see you next time/);
      expect(complianceOf(whole).directives).toContainEqual(
        expect.objectContaining({ type: 'output-withheld' }),
      );
      const streamed = await chatStream(h, `${user}-s`, text);
      expect(streamed.finish).toBe('content_filter');
      expect(streamed.text).not.toMatch(/难过|别走|lonely|Don’t go|stay/);
      expect(streamed.text).toMatch(/好好休息，下次见|Rest well, and see you next time/);
      expect(streamed.directives).toContainEqual(expect.objectContaining({ type: 'output-withheld' }));
    }
  });

  it('RISK-3/4: “我不想活了” and evasive variants (separators, repeats, traditional characters) get crisis resources and no model output; “笑死我了” passes', async () => {
    for (const [i, text] of [
      '我不想活了',
      '我不·想·活·了',
      '我不想活了啊啊啊啊',
      '我 不 想 活 了',
      '我想自-殺',
      '我想結束自己的生命',
    ].entries()) {
      const before = counter.calls;
      const r = await chatStream(h, `grace-${i}`, text);
      expect(counter.calls, text).toBe(before);
      const crisis = r.directives.find((d) => d.type === 'crisis-resources');
      expect(crisis, text).toBeDefined();
      expect(JSON.stringify(crisis?.data)).toContain('12356');
      expect(JSON.stringify(crisis?.data)).toContain('400-161-9995');
    }
    const before = counter.calls;
    const ok = await chat(h, 'heidi', '哈哈哈笑死我了，这个视频太搞笑了');
    expect(counter.calls).toBe(before + 1);
    expect(complianceOf(ok).directives.map((d) => d.type)).not.toContain('crisis-resources');
  });

  it('bad input gets a clear error with a stable code', async () => {
    const noUser = await h.client.chat.completions
      .create({ model: 'demo', messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(noUser).toBeInstanceOf(OpenAI.APIError);
    expect((noUser as InstanceType<typeof OpenAI.APIError>).status).toBe(400);
    expect((noUser as InstanceType<typeof OpenAI.APIError>).code).toBe('missing-user');

    const unknown = await chat(h, 'ivan', 'hi', { metadata: { character_id: 'nobody' } }).catch(
      (e: unknown) => e,
    );
    expect((unknown as InstanceType<typeof OpenAI.APIError>).status).toBe(404);
    expect((unknown as InstanceType<typeof OpenAI.APIError>).code).toBe('unknown-character');

    const post = (body: string) =>
      fetch(`${h.server.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
    const malformed = await post('{"model": "demo", ');
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: { code: string } }).error.code).toBe('invalid-request');
    const huge = await post(
      JSON.stringify({
        model: 'demo',
        user: 'x',
        messages: [{ role: 'user', content: 'a'.repeat(300_000) }],
      }),
    );
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as { error: { code: string } }).error.code).toBe('body-too-large');
    // A streamed body without content-length is cut off at the limit too.
    const chunked = await fetch(`${h.server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new Blob([
        '{"model":"demo","user":"x","messages":[{"role":"user","content":"',
        'b'.repeat(300_000),
        '"}]}',
      ]).stream(),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    const noMessages = await post(JSON.stringify({ model: 'demo', user: 'x', messages: [] }));
    expect(noMessages.status).toBe(400);
  });

  it('lists characters and serves health endpoints', async () => {
    const list = (await (await fetch(`${h.server.url}/v1/characters`)).json()) as {
      data: { id: string; name: { zh: string } }[];
      default_character_id: string;
    };
    expect(list.data.map((c) => c.id)).toContain('xiaonuan');
    expect(list.default_character_id).toBe('xiaonuan');
    expect((await fetch(`${h.server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${h.server.url}/readyz`)).status).toBe(200);
  });

  it('DATA-1: the database files contain no plaintext message content', async () => {
    const secret = '这是一句只属于测试的秘密话语 zebra-quartz-7741';
    await chat(h, 'judy', secret);
    const files = (await readdir(h.dataDir)).filter((f) => f.includes('sqlite'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const bytes = await readFile(join(h.dataDir, f));
      expect(bytes.includes(Buffer.from('zebra-quartz-7741')), f).toBe(false);
      expect(bytes.includes(Buffer.from('只属于测试的秘密')), f).toBe(false);
    }
  });
});

describe('gateway durability and failures', () => {
  it('a restart keeps sessions and history; every accepted message is stored before the model is called', async () => {
    const h = await startHarness();
    try {
      const first = complianceOf(await chat(h, 'kim', '你好'));
      await h.restart();
      const second = complianceOf(await chat(h, 'kim', '我又来啦'));
      expect(second.session.id).toBe(first.session.id);
      expect(second.directives).toEqual([]);
      const messages = await h.server.store.listMessages(first.session.id);
      expect(messages.map((m) => [m.role, m.status])).toEqual([
        ['user', 'accepted'],
        ['assistant', 'delivered'],
        ['user', 'accepted'],
        ['assistant', 'delivered'],
      ]);
      expect(messages[2]?.content).toBe('我又来啦');
      expect((await h.server.store.verifyAudit()).ok).toBe(true);
    } finally {
      await h.stop();
    }
  });

  it('an upstream failure gives upstream-error, keeps the user message and leaves the session usable', async () => {
    let fail = true;
    const demo = countingUpstream().upstream;
    const flaky: ChatUpstream = {
      name: 'flaky',
      async *stream(request) {
        if (fail) throw new CgError('upstream-error', 'The upstream model answered HTTP 500.');
        yield* demo.stream(request);
      },
    };
    const h = await startHarness({ upstream: flaky });
    try {
      const err = await chat(h, 'leo', '你好').catch((e: unknown) => e);
      expect((err as InstanceType<typeof OpenAI.APIError>).status).toBe(502);
      expect((err as InstanceType<typeof OpenAI.APIError>).code).toBe('upstream-error');
      fail = false;
      const ok = await chat(h, 'leo', '现在好了吗');
      const c = complianceOf(ok);
      expect(c.session.state).toBe('active');
      const messages = await h.server.store.listMessages(c.session.id);
      expect(messages.map((m) => m.content)).toContain('你好');
      // The exit path never depends on the model.
      fail = true;
      expect(complianceOf(await chat(h, 'leo', '退出')).session.state).toBe('ended');
    } finally {
      await h.stop();
    }
  });

  it('TIME-1 through the gateway on a fake clock: a usage reminder after 120 minutes of continuous use', async () => {
    const clock = createFakeClock();
    const h = await startHarness({ clock });
    try {
      const seen: string[] = [];
      for (let minute = 0; minute <= 130; minute += 10) {
        const c = complianceOf(await chat(h, 'mia', `第${minute}分钟`));
        for (const d of c.directives) seen.push(`${minute}:${d.type}`);
        clock.advanceMinutes(10);
      }
      expect(seen).toEqual(['0:ai-disclosure', '120:usage-reminder']);
    } finally {
      await h.stop();
    }
  });

  it('with no API keys the server listens on loopback only, whatever host was asked for', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cg-loopback-'));
    const server = await startServer({ host: '0.0.0.0', port: 0, dataDir, env: {}, logger: silentLogger });
    try {
      expect(new URL(server.url).hostname).toBe('127.0.0.1');
    } finally {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('once an API key exists, every request needs one', async () => {
    const h = await startHarness();
    try {
      const { hashApiKey } = await import('../../src/cli/serve.js');
      await h.server.store.createApiKey({
        id: 'k1',
        label: 'test',
        hash: hashApiKey('cg_secret'),
        createdAt: Date.now(),
        revokedAt: null,
      });
      await h.restart();
      const denied = await chat(h, 'nina', 'hi').catch((e: unknown) => e);
      expect((denied as InstanceType<typeof OpenAI.APIError>).status).toBe(401);
      const client = new OpenAI({ apiKey: 'cg_secret', baseURL: `${h.server.url}/v1`, maxRetries: 0 });
      const ok = await client.chat.completions.create({
        model: 'demo',
        user: 'nina',
        messages: [{ role: 'user', content: 'hi' }],
      });
      expect(ok.choices[0]?.message.content).toBeTruthy();
    } finally {
      await h.stop();
    }
  });
});

describe('conversation history sent upstream', () => {
  it('is the session’s recent history, also when another gateway instance served some turns', async () => {
    const seen: string[][] = [];
    const demo = countingUpstream().upstream;
    const recording: ChatUpstream = {
      name: 'recording',
      stream(request) {
        seen.push(
          request.messages
            .filter((m) => m.role !== 'system')
            .map((m) => `${m.role}:${m.content.slice(0, 6)}`),
        );
        return demo.stream(request);
      },
    };
    const a = await startHarness({ upstream: recording });
    const b = await startHarness({ upstream: recording, dataDir: a.dataDir });
    const say = (h: Harness, content: string) =>
      h.client.chat.completions.create({ model: 'demo', user: 'sam', messages: [{ role: 'user', content }] });
    try {
      await say(a, '第一句话');
      await say(a, '第二句话');
      await say(b, '第三句话');
      await say(a, '第四句话');
      const users = (i: number) => seen[i]?.filter((m) => m.startsWith('user:'));
      expect(users(0)).toEqual(['user:第一句话']);
      expect(users(1)).toEqual(['user:第一句话', 'user:第二句话']);
      expect(users(2)).toEqual(['user:第一句话', 'user:第二句话', 'user:第三句话']);
      expect(users(3)).toEqual(['user:第一句话', 'user:第二句话', 'user:第三句话', 'user:第四句话']);
      expect(seen[3]?.filter((m) => m.startsWith('assistant:'))).toHaveLength(3);
    } finally {
      await b.server.close();
      await a.stop();
    }
  });
});
