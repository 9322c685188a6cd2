import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CgError } from '@companion-guard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAIUpstream, type OpenAIUpstreamOptions } from './openai-upstream.js';

/** A local model stub: each test sets `handle`; requests (client port, key, body) are recorded. */
let handle: (req: IncomingMessage, res: ServerResponse) => void = () => {};
const requests: { port: number; auth: string | undefined; agent: string | undefined; body: string }[] = [];
let server: Server;
let baseUrl = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => {
      body += d.toString();
    });
    req.on('end', () => {
      requests.push({
        port: req.socket.remotePort ?? 0,
        auth: req.headers.authorization,
        agent: req.headers['user-agent'],
        body,
      });
      handle(req, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(
  () =>
    new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    }),
);

const piece = (content: string) => `data: ${JSON.stringify({ choices: [{ delta: { content } }] })}\n\n`;

function upstream(options: Partial<OpenAIUpstreamOptions> = {}) {
  return createOpenAIUpstream({ baseUrl, timeoutMs: 2_000, ...options });
}

function call(options: Partial<OpenAIUpstreamOptions> = {}, signal = new AbortController().signal) {
  return upstream(options).stream({
    model: 'm',
    messages: [{ role: 'user', content: '你好' }],
    params: {},
    signal,
  });
}

async function collect(deltas: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const delta of deltas) out.push(delta);
  return out;
}

/** The stable code and message of a failed call. */
async function failure(deltas: AsyncIterable<string>) {
  const error = await collect(deltas).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CgError);
  return { code: (error as CgError).code, message: (error as CgError).message };
}

/** Sends the body as separate HTTP chunks (each arrives as its own 'data' piece). */
function sendChunks(res: ServerResponse, chunks: readonly (string | Buffer)[]) {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  for (const chunk of chunks) res.write(chunk);
  res.end();
}

describe('the OpenAI-compatible upstream', () => {
  it('parses lines cut by chunk boundaries, also inside a UTF-8 character and the data: prefix', async () => {
    const body = Buffer.from(`${piece('你好，')}${piece('世界')}data: [DONE]\n\n`);
    const inChar = body.indexOf(Buffer.from('好')) + 1; // between the first and second byte of 好
    const inPrefix = body.indexOf('data:', 10) + 2; // "da" | "ta:" of the second line
    const inSecondChar = body.indexOf(Buffer.from('界')) + 2;
    handle = (_req, res) =>
      sendChunks(res, [
        body.subarray(0, inChar),
        body.subarray(inChar, inPrefix),
        body.subarray(inPrefix, inSecondChar),
        body.subarray(inSecondChar, inSecondChar + 1),
        body.subarray(inSecondChar + 1),
      ]);
    // Pieces that arrive while the caller is busy come as one: only the text is fixed.
    expect((await collect(call())).join('')).toBe('你好，世界');
  });

  it('pieces that arrived together come as one; a piece that comes later comes on its own', async () => {
    let more = () => {};
    handle = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(piece('一') + piece('二'));
      more = () => res.end(`${piece('三')}data: [DONE]\n\n`);
    };
    const deltas = call()[Symbol.asyncIterator]();
    expect((await deltas.next()).value).toBe('一二');
    more();
    expect((await deltas.next()).value).toBe('三');
    expect((await deltas.next()).done).toBe(true);
  });

  it('a line that never ends is an upstream-error once it passes 1 MiB, not a growing buffer', async () => {
    handle = (_req, res) =>
      sendChunks(res, [`data: {"choices":[{"delta":{"content":"${'x'.repeat(1_100_000)}`]);
    expect(await failure(call())).toEqual({
      code: 'upstream-error',
      message: 'The upstream model sent a malformed stream. 上游模型发来的数据流格式有误。',
    });
  });

  it('reads CRLF line ends, ignores comments, other fields and empty deltas, and stops at [DONE]', async () => {
    handle = (_req, res) =>
      sendChunks(res, [
        ': keep-alive\r\n\r\nevent: message\r\n',
        `data: ${JSON.stringify({ choices: [{ delta: { role: 'assistant', content: '' } }] })}\r\n\r\n`,
        `data:${JSON.stringify({ choices: [{ delta: { content: 'a\r\nb' } }] })}\r\n\r\n`,
        'data: [DONE]\r\n\r\n',
        piece('after done'),
      ]);
    expect(await collect(call())).toEqual(['a\r\nb']);
  });

  it('a finished call (with or without [DONE]) leaves its connection to the next call', async () => {
    const up = upstream();
    const ask = async () =>
      (
        await collect(
          up.stream({ model: 'm', messages: [], params: {}, signal: new AbortController().signal }),
        )
      ).join('');
    const before = requests.length;
    handle = (_req, res) => sendChunks(res, [piece('一'), piece('二'), 'data: [DONE]\n\n']);
    expect(await ask()).toBe('一二');
    await new Promise((r) => setImmediate(r));
    // A body that ends without [DONE] ends the reply; an unfinished last line is dropped.
    handle = (_req, res) =>
      sendChunks(res, [piece('一'), piece('二'), 'data: {"choices":[{"delta":{"content":"cut']);
    expect(await ask()).toBe('一二');
    await new Promise((r) => setImmediate(r));
    expect(await ask()).toBe('一二');
    const ports = requests.slice(before).map((r) => r.port);
    expect(ports).toEqual([ports[0], ports[0], ports[0]]); // one socket, reused
  });

  it('[DONE] before the body has ended: the rest is read and the socket still goes back to the pool', async () => {
    const up = upstream();
    const ask = () =>
      collect(up.stream({ model: 'm', messages: [], params: {}, signal: new AbortController().signal }));
    const before = requests.length;
    handle = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`${piece('一')}data: [DONE]\n\n`);
      // The chunked terminator comes later (as uvicorn-style servers flush it).
      setTimeout(() => res.end(), 30);
    };
    expect(await ask()).toEqual(['一']);
    await new Promise((r) => setTimeout(r, 60));
    expect(await ask()).toEqual(['一']);
    const ports = requests.slice(before).map((r) => r.port);
    expect(ports[1]).toBe(ports[0]);
  });

  it('a key no header can carry is refused at start; a request Node cannot build is upstream-error', async () => {
    expect(() => upstream({ apiKey: 'sk-x\nevil' })).toThrow(
      expect.objectContaining({ code: 'invalid-config' }),
    );
    // JSON cannot carry a BigInt: Node never sends the request, and nothing is left running.
    const deltas = upstream().stream({
      model: 'm',
      messages: [],
      params: { seed: 1n },
      signal: new AbortController().signal,
    });
    expect(await failure(deltas)).toEqual({
      code: 'upstream-error',
      message: 'The upstream model could not be reached. 无法连接上游模型。',
    });
  });

  it('sends the key, a user agent, the params and stream: true', async () => {
    handle = (_req, res) => sendChunks(res, [piece('ok')]);
    const deltas = createOpenAIUpstream({ baseUrl, apiKey: 'sk-x', timeoutMs: 2_000 }).stream({
      model: 'qwen',
      messages: [{ role: 'user', content: '你好' }],
      params: { temperature: 0.2 },
      signal: new AbortController().signal,
    });
    expect(await collect(deltas)).toEqual(['ok']);
    const sent = requests.at(-1);
    expect(sent?.auth).toBe('Bearer sk-x');
    expect(sent?.agent).toBe('companion-guard-gateway/1');
    expect(JSON.parse(sent?.body ?? '')).toEqual({
      temperature: 0.2,
      model: 'qwen',
      messages: [{ role: 'user', content: '你好' }],
      stream: true,
    });
    await collect(call());
    expect(requests.at(-1)?.auth).toBeUndefined();
  });

  it('maps a non-2xx answer, a malformed line and an error chunk to upstream-error', async () => {
    handle = (_req, res) => res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":{}}');
    expect(await failure(call())).toEqual({
      code: 'upstream-error',
      message: 'The upstream model answered HTTP 503. 上游模型返回了 HTTP 503。',
    });

    handle = (_req, res) => sendChunks(res, [piece('半句'), 'data: {not json\n\n']);
    const deltas = call();
    const got: string[] = [];
    const error = await (async () => {
      for await (const d of deltas) got.push(d);
    })().catch((e: unknown) => e);
    expect(got).toEqual(['半句']);
    expect(error).toMatchObject({
      code: 'upstream-error',
      message: 'The upstream model sent a malformed stream. 上游模型发来的数据流格式有误。',
    });

    handle = (_req, res) =>
      sendChunks(res, [`data: ${JSON.stringify({ error: { message: 'overloaded' } })}\n\n`]);
    expect(await failure(call())).toEqual({
      code: 'upstream-error',
      message: 'The upstream model reported an error. 上游模型报告了错误。',
    });
  });

  it('a server that cannot be reached, and a stream that breaks off, are upstream-error', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    expect(
      await failure(
        createOpenAIUpstream({ baseUrl: `http://127.0.0.1:${port}/v1`, timeoutMs: 2_000 }).stream({
          model: 'm',
          messages: [],
          params: {},
          signal: new AbortController().signal,
        }),
      ),
    ).toEqual({
      code: 'upstream-error',
      message: 'The upstream model could not be reached. 无法连接上游模型。',
    });

    handle = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(piece('一'), () => res.socket?.destroy());
    };
    expect(await failure(call())).toEqual({
      code: 'upstream-error',
      message: 'The upstream stream broke off. 上游模型的输出流中断了。',
    });
  });

  it('a caller busy for longer than the idle timeout while the socket is held for it is not a stalled model', async () => {
    let more = () => {};
    handle = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' }).write(piece('一'));
      more = () =>
        res.end(`${Array.from({ length: 400 }, () => piece('二'.repeat(300))).join('')}data: [DONE]\n\n`);
    };
    let received = 0;
    for await (const delta of call({ idleTimeoutMs: 100 })) {
      received += delta.length;
      if (delta !== '一') continue;
      more();
      await new Promise((r) => setTimeout(r, 300));
    }
    expect(received).toBe(1 + 400 * 300);
  });

  it('the header, idle and turn deadlines end the call with upstream-timeout and close the connection', async () => {
    const open = new Set<ServerResponse>();
    const hold = (res: ServerResponse) => {
      open.add(res);
      res.on('close', () => open.delete(res));
    };
    handle = (_req, res) => hold(res);
    expect(await failure(call({ timeoutMs: 50 }))).toEqual({
      code: 'upstream-timeout',
      message: 'The upstream model did not answer in time. 上游模型未能及时回答。',
    });
    await expect.poll(() => open.size).toBe(0);

    handle = (_req, res) => {
      hold(res);
      res.writeHead(200, { 'content-type': 'text/event-stream' }).write(piece('一'));
    };
    expect(await failure(call({ idleTimeoutMs: 50 }))).toEqual({
      code: 'upstream-timeout',
      message: 'The upstream model stalled in the middle of its reply. 上游模型在回答中途停止了输出。',
    });
    await expect.poll(() => open.size).toBe(0);

    handle = (_req, res) => {
      hold(res);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const timer = setInterval(() => res.write(piece('…')), 10);
      res.on('close', () => clearInterval(timer));
    };
    expect(await failure(call({ idleTimeoutMs: 1_000, turnTimeoutMs: 100 }))).toEqual({
      code: 'upstream-timeout',
      message: 'The upstream model did not finish its reply in time. 上游模型未能在限定时间内答完。',
    });
    await expect.poll(() => open.size).toBe(0);
  });

  it("the caller's abort, mid-stream or before the headers, ends the call with its own reason and closes the socket", async () => {
    const open = new Set<ServerResponse>();
    handle = (_req, res) => {
      open.add(res);
      res.on('close', () => open.delete(res));
      res.writeHead(200, { 'content-type': 'text/event-stream' }).write(piece('一'));
    };
    const controller = new AbortController();
    const reason = new Error('client left');
    const got: string[] = [];
    const error = await (async () => {
      for await (const d of call({}, controller.signal)) {
        got.push(d);
        controller.abort(reason);
      }
    })().catch((e: unknown) => e);
    expect(got).toEqual(['一']);
    expect(error).toBe(reason);
    await expect.poll(() => open.size).toBe(0);

    handle = () => {};
    const early = new AbortController();
    const pending = collect(call({}, early.signal)).catch((e: unknown) => e);
    early.abort(reason);
    expect(await pending).toBe(reason);
    expect(await collect(call({}, early.signal)).catch((e: unknown) => e)).toBe(reason);
  });

  it('a caller that stops reading early closes the request', async () => {
    const open = new Set<ServerResponse>();
    handle = (_req, res) => {
      open.add(res);
      res.on('close', () => open.delete(res));
      res.writeHead(200, { 'content-type': 'text/event-stream' }).write(piece('一'));
    };
    for await (const delta of call()) {
      expect(delta).toBe('一');
      expect(open.size).toBe(1);
      break;
    }
    await expect.poll(() => open.size).toBe(0);
  });
});
