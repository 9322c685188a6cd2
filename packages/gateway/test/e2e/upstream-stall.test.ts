import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complianceOf, type Harness, startHarness } from './helpers.js';

/**
 * A model that sends its headers and one piece, then goes silent (`stall`), or keeps sending a piece every
 * 20 ms without ever finishing (`drip`): neither ends by itself, only the gateway's deadlines end the turn.
 */
async function stallingUpstream() {
  const state = { mode: 'stall' as 'stall' | 'drip', open: new Set<ServerResponse>() };
  const piece = (content: string) =>
    `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      state.open.add(res);
      res.on('close', () => state.open.delete(res));
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(piece('我在想'));
      if (state.mode === 'drip') {
        const timer = setInterval(() => res.write(piece('…')), 20);
        res.on('close', () => clearInterval(timer));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    state,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

describe('an upstream that stalls mid-reply (idle and turn deadlines)', () => {
  let stub: Awaited<ReturnType<typeof stallingUpstream>>;
  let h: Harness;
  beforeAll(async () => {
    stub = await stallingUpstream();
    h = await startHarness({
      config: {
        upstream: { baseUrl: stub.url, timeoutMs: 1_000, idleTimeoutMs: 150, turnTimeoutMs: 400 },
      },
    });
  });
  afterAll(async () => {
    await h.stop();
    await stub.close();
  });

  /** The stored messages and the NOTICE-1 failure audit of a session. */
  async function stored(sessionId: string) {
    const messages = await h.server.store.listMessages(sessionId);
    const failures = (await h.server.store.listAudit({ sessionId })).filter(
      (e) => e.type === 'upstream-failed',
    );
    return {
      messages: messages.map((m) => [m.role, m.content, m.status]),
      failures: failures.map((e) => e.data),
    };
  }

  it('streamed: headers and one piece, then silence, end with an upstream-timeout error event; the reply is not stored', async () => {
    stub.state.mode = 'stall';
    const stream = await h.client.chat.completions.create({
      model: 'm',
      user: 'stella',
      stream: true,
      messages: [{ role: 'user', content: '给我讲个长故事' }],
    });
    let sessionId = '';
    let text = '';
    const failure = await (async () => {
      for await (const chunk of stream) {
        sessionId ||= complianceOf(chunk)?.session.id ?? '';
        text += chunk.choices[0]?.delta?.content ?? '';
      }
    })().catch((e: unknown) => e);
    // The idle deadline (150 ms) ended it, not the header one (1 s). The openai client turns the gateway's error event into an APIError carrying its stable code.
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect((failure as InstanceType<typeof OpenAI.APIError>).error).toMatchObject({
      code: 'upstream-timeout',
      message: 'The upstream model stalled in the middle of its reply. 上游模型在回答中途停止了输出。',
    });
    expect(text).toBe('我在想'); // what was released before the stall reached the user
    expect(await stored(sessionId)).toEqual({
      messages: [['user', '给我讲个长故事', 'accepted']],
      failures: [{ code: 'upstream-timeout' }],
    });
    await expect.poll(() => stub.state.open.size).toBe(0); // the stalled upstream request was cancelled
  });

  it('non-streamed: a stall is a 504 with the stable code upstream-timeout', async () => {
    stub.state.mode = 'stall';
    const res = await fetch(`${h.server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'm',
        user: 'stella',
        messages: [{ role: 'user', content: 'still there?' }],
      }),
    });
    expect(res.status).toBe(504);
    expect(res.headers.get('x-should-retry')).toBe('false');
    expect(await res.json()).toMatchObject({
      error: {
        code: 'upstream-timeout',
        message: 'The upstream model stalled in the middle of its reply. 上游模型在回答中途停止了输出。',
      },
    });
  });

  it('a model that keeps talking past the turn deadline is cut off with upstream-timeout', async () => {
    // Pieces every 20 ms never trip the 150 ms idle deadline; the 400 ms turn deadline ends the call.
    stub.state.mode = 'drip';
    const res = await fetch(`${h.server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'm',
        user: 'derek',
        messages: [{ role: 'user', content: 'go on forever' }],
      }),
    });
    expect(res.status).toBe(504);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error).toMatchObject({
      code: 'upstream-timeout',
      message: 'The upstream model did not finish its reply in time. 上游模型未能在限定时间内答完。',
    });
    const sessions = await h.server.store.listAudit({});
    const failure = sessions.filter((e) => e.type === 'upstream-failed').at(-1);
    expect(failure?.data).toEqual({ code: 'upstream-timeout' });
    const messages = await h.server.store.listMessages(failure?.sessionId ?? '');
    expect(messages.filter((m) => m.role === 'assistant')).toEqual([]);
  });
});
