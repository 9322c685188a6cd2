import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complianceOf, type Harness, startHarness } from './helpers.js';

/** A recorded-style OpenAI SSE reply: role chunk, content chunks, finish chunk, usage chunk, [DONE]. */
function sseFixture(pieces: readonly string[]): string {
  const base = {
    id: 'chatcmpl-up',
    object: 'chat.completion.chunk',
    created: 1795000000,
    model: 'qwen-test',
  };
  const chunk = (delta: object, finish: string | null) =>
    `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  return [
    chunk({ role: 'assistant', content: '' }, null),
    ...pieces.map((p) => chunk({ content: p }, null)),
    chunk({}, 'stop'),
    `data: ${JSON.stringify({ ...base, choices: [], usage: { prompt_tokens: 9, completion_tokens: 7, total_tokens: 16 } })}\n\n`,
    'data: [DONE]\n\n',
  ].join('');
}

type Mode = 'ok' | 'error' | 'hang' | 'broken';

async function upstreamStub() {
  const state = { mode: 'ok' as Mode, requests: [] as { auth?: string; body: Record<string, unknown> }[] };
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d: Buffer) => {
      raw += d.toString();
    });
    req.on('end', () => {
      state.requests.push({
        auth: req.headers.authorization,
        body: JSON.parse(raw) as Record<string, unknown>,
      });
      if (state.mode === 'hang') return;
      if (state.mode === 'error') {
        res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"message":"boom"}}');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      if (state.mode === 'broken') {
        res.end('data: {"choices":[{"delta":{"content":"半句"}}]}\n\ndata: {not json\n\n');
        return;
      }
      res.end(sseFixture(['你好，', '我是上游', '模型。']));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return {
    state,
    url,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

describe('an OpenAI-compatible upstream behind the gateway', () => {
  let stub: Awaited<ReturnType<typeof upstreamStub>>;
  let h: Harness;
  beforeAll(async () => {
    stub = await upstreamStub();
    h = await startHarness({
      config: { upstream: { baseUrl: stub.url, apiKey: 'sk-upstream', timeoutMs: 400 } },
    });
  });
  afterAll(async () => {
    await h.stop();
    stub.state.mode = 'ok';
    await stub.close();
  });

  const ask = (user: string, content: string, stream = false) =>
    h.client.chat.completions.create({
      model: 'qwen-test',
      user,
      temperature: 0.3,
      stream,
      messages: [{ role: 'user', content }],
    } as OpenAI.ChatCompletionCreateParamsNonStreaming);

  it('forwards the turn (persona, history, params, key) and relays the reply, non-streamed and streamed', async () => {
    stub.state.mode = 'ok';
    const res = await ask('uma', '你好');
    expect(res.choices[0]?.message.content).toBe('你好，我是上游模型。');
    expect(res.model).toBe('qwen-test');
    const sent = stub.state.requests.at(-1);
    expect(sent?.auth).toBe('Bearer sk-upstream');
    expect(sent?.body).toMatchObject({ model: 'qwen-test', stream: true, temperature: 0.3 });
    const messages = sent?.body.messages as { role: string; content: string }[];
    expect(messages[0]?.role).toBe('system');
    expect(messages.at(-1)).toEqual({ role: 'user', content: '你好' });
    expect(sent?.body).not.toHaveProperty('user');
    expect(sent?.body).not.toHaveProperty('metadata');

    const stream = await h.client.chat.completions.create({
      model: 'qwen-test',
      user: 'uma',
      stream: true,
      messages: [{ role: 'user', content: '再说一次' }],
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toBe('你好，我是上游模型。');
    const history = stub.state.requests.at(-1)?.body.messages as { role: string; content: string }[];
    expect(history.filter((m) => m.role !== 'system').map((m) => m.content)).toEqual([
      '你好',
      '你好，我是上游模型。',
      '再说一次',
    ]);
  });

  it('maps upstream failures to stable codes; exit and crisis paths never wait for the model', async () => {
    stub.state.mode = 'error';
    const failed = await ask('vic', '你好').catch((e: unknown) => e);
    expect((failed as InstanceType<typeof OpenAI.APIError>).status).toBe(502);
    expect((failed as InstanceType<typeof OpenAI.APIError>).code).toBe('upstream-error');

    stub.state.mode = 'broken';
    const broken = await ask('vic', '你好').catch((e: unknown) => e);
    expect((broken as InstanceType<typeof OpenAI.APIError>).code).toBe('upstream-error');

    stub.state.mode = 'hang';
    const slow = await ask('vic', '你好').catch((e: unknown) => e);
    expect((slow as InstanceType<typeof OpenAI.APIError>).status).toBe(504);
    expect((slow as InstanceType<typeof OpenAI.APIError>).code).toBe('upstream-timeout');

    const requests = stub.state.requests.length;
    const crisis = complianceOf(await ask('vic', '我不想活了'));
    expect(crisis.directives.map((d) => d.type)).toContain('crisis-resources');
    const bye = complianceOf(await ask('wes', '退出'));
    expect(bye.session.state).toBe('ended');
    expect(stub.state.requests.length).toBe(requests);
  });
});
