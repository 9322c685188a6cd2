/**
 * The session events stream against a local HTTP server: parsing, reconnection with backoff and
 * `Last-Event-ID`, errors that stop it, and aborting. Delays are a few milliseconds; none is asserted.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { GatewayError, type SessionEvent, sessionEvents } from '../src/index.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A server that answers the n-th request with the n-th handler, recording each request's headers. */
async function scripted(handlers: Handler[]) {
  const requests: IncomingMessage['headers'][] = [];
  const server = createServer((req, res) => {
    requests.push(req.headers);
    const handler = handlers[requests.length - 1];
    if (handler) handler(req, res);
    else res.writeHead(500).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/sessions/s-1/events?user=u-1`;
  servers.push(server);
  return { url, requests };
}
const servers: ReturnType<typeof createServer>[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

const compliance = (state: string) => ({ directives: [], label: null, session: { id: 's-1', state } });
const sse = (res: ServerResponse) => res.writeHead(200, { 'content-type': 'text/event-stream' });
const event = (e: object, id?: string) => `${id ? `id: ${id}\n` : ''}data: ${JSON.stringify(e)}\n\n`;
const ended = { type: 'session-ended', compliance: compliance('ended') };
const takeover = { type: 'takeover-start', compliance: compliance('human-takeover') };

async function collect(iterable: AsyncIterable<SessionEvent>) {
  const out: SessionEvent[] = [];
  for await (const e of iterable) out.push(e);
  return out;
}

describe('sessionEvents', () => {
  it('parses events split across chunks, CRLF lines, multi-line data and comments; ends after session-ended', async () => {
    const message = {
      type: 'operator-message',
      message: { id: 'm-1', content: '你好，我在。', created_at: '2026-11-30T00:00:00.000Z' },
      compliance: { ...compliance('human-takeover'), author: 'human' },
    };
    const json = JSON.stringify(message);
    const { url, requests } = await scripted([
      (_req, res) => {
        sse(res);
        res.write(': ready\r\n\r\n');
        // One event's data over two `data:` lines (joined by a newline, still JSON), split mid-line and
        // between `\r` and `\n`.
        const cut = json.indexOf('"message"');
        const text = `data: ${json.slice(0, cut)}\r\ndata:${json.slice(cut)}\r\n\r\n`;
        const bytes = Buffer.from(text);
        res.write(bytes.subarray(0, 9));
        res.write(bytes.subarray(9, text.indexOf('\r\n') + 1));
        res.write(bytes.subarray(text.indexOf('\r\n') + 1));
        res.write(`: ping\n\nevent: other\ndata: {}\n\n${event(ended)}`);
        res.end(event(takeover)); // after session-ended: never read
      },
    ]);
    const opens: number[] = [];
    const events = await collect(
      sessionEvents({ url, headers: { authorization: 'Bearer k' }, onOpen: () => opens.push(1) }),
    );
    expect(events).toEqual([message, ended]);
    expect(opens).toHaveLength(1);
    expect(requests[0]?.authorization).toBe('Bearer k');
    expect(requests[0]?.accept).toBe('text/event-stream');
  });

  it('reconnects after the stream closes early, sending Last-Event-ID, and goes on', async () => {
    const { url, requests } = await scripted([
      (_req, res) => {
        sse(res);
        res.end(event(takeover, 'e-7'));
      },
      (_req, res) => {
        sse(res);
        res.end(event(ended, 'e-8'));
      },
    ]);
    const retries: { attempt: number; delayMs: number }[] = [];
    const events = await collect(
      sessionEvents({
        url,
        minDelayMs: 1,
        onRetry: ({ attempt, delayMs }) => retries.push({ attempt, delayMs }),
      }),
    );
    expect(events).toEqual([takeover, ended]);
    expect(retries).toEqual([{ attempt: 1, delayMs: 1 }]);
    expect(requests[0]?.['last-event-id']).toBeUndefined();
    expect(requests[1]?.['last-event-id']).toBe('e-7');
  });

  it('backs off, doubling up to the maximum, on 5xx, 429 and dropped connections; a good connection resets it', async () => {
    const { url } = await scripted([
      (_req, res) => res.writeHead(503).end(),
      (_req, res) => res.writeHead(429).end(),
      (_req, res) => res.destroy(),
      (_req, res) => res.writeHead(502, { 'content-type': 'application/json' }).end('{}'),
      (_req, res) => {
        sse(res);
        res.end(': ready\n\n');
      },
      (_req, res) => res.writeHead(500).end(),
      (_req, res) => {
        sse(res);
        res.end(event(ended));
      },
    ]);
    const delays: number[] = [];
    const errors: unknown[] = [];
    const events = await collect(
      sessionEvents({
        url,
        minDelayMs: 1,
        maxDelayMs: 5,
        onRetry: ({ delayMs, error }) => {
          delays.push(delayMs);
          errors.push(error);
        },
      }),
    );
    expect(events).toEqual([ended]);
    expect(delays).toEqual([1, 2, 4, 5, 1, 2]);
    expect(errors[0]).toMatchObject({ name: 'GatewayError', status: 503, code: 'http-503' });
  });

  it('waits at least what the stream asked for with `retry:`', async () => {
    const { url } = await scripted([
      (_req, res) => {
        sse(res);
        res.end('retry: 7\n\n');
      },
      (_req, res) => {
        sse(res);
        res.end(event(ended));
      },
    ]);
    const delays: number[] = [];
    await collect(sessionEvents({ url, minDelayMs: 1, onRetry: ({ delayMs }) => delays.push(delayMs) }));
    expect(delays).toEqual([7]);
  });

  it('throws the gateway error, without retrying, when retrying cannot mend it (404, 401)', async () => {
    const body = JSON.stringify({
      error: {
        message: 'No such session for this user.',
        type: 'not_found_error',
        code: 'not-found',
        param: null,
      },
    });
    const { url, requests } = await scripted([
      (_req, res) => res.writeHead(404, { 'content-type': 'application/json' }).end(body),
    ]);
    const error = await collect(sessionEvents({ url, minDelayMs: 1 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({
      status: 404,
      code: 'not-found',
      message: 'No such session for this user.',
    });
    expect(requests).toHaveLength(1);

    const second = await scripted([(_req, res) => res.writeHead(401).end()]);
    await expect(collect(sessionEvents({ url: second.url, minDelayMs: 1 }))).rejects.toMatchObject({
      status: 401,
      code: 'http-401',
    });
  });

  it('gives up after maxAttempts failures in a row, throwing the last error', async () => {
    const { url, requests } = await scripted([
      (_req, res) => res.writeHead(503).end(),
      (_req, res) => res.writeHead(504).end(),
    ]);
    await expect(collect(sessionEvents({ url, minDelayMs: 1, maxAttempts: 2 }))).rejects.toMatchObject({
      status: 504,
    });
    expect(requests).toHaveLength(2);
  });

  it('an event that is not JSON is an error, not a reconnection loop', async () => {
    const { url, requests } = await scripted([
      (_req, res) => {
        sse(res);
        res.end('data: {not json\n\n');
      },
    ]);
    await expect(collect(sessionEvents({ url, minDelayMs: 1 }))).rejects.toMatchObject({
      code: 'invalid-response',
    });
    expect(requests).toHaveLength(1);
  });

  it('aborting the signal ends the iteration without an error and closes the connection', async () => {
    let closed!: () => void;
    const connectionClosed = new Promise<void>((resolve) => {
      closed = resolve;
    });
    const { url } = await scripted([
      (req, res) => {
        sse(res);
        res.write(event(takeover));
        req.on('close', closed);
      },
    ]);
    const stop = new AbortController();
    const events: SessionEvent[] = [];
    for await (const e of sessionEvents({ url, signal: stop.signal })) {
      events.push(e);
      stop.abort();
    }
    expect(events).toEqual([takeover]);
    await connectionClosed;
  });

  it('aborting during the backoff wait ends at once', async () => {
    const { url, requests } = await scripted([(_req, res) => res.writeHead(503).end()]);
    const stop = new AbortController();
    // A long wait that the abort cuts short; the iteration ends with no events and no error.
    const events = await collect(
      sessionEvents({ url, signal: stop.signal, minDelayMs: 60_000, onRetry: () => stop.abort() }),
    );
    expect(events).toEqual([]);
    expect(requests).toHaveLength(1);
  });

  it('leaving the loop closes the connection', async () => {
    let closed!: () => void;
    const connectionClosed = new Promise<void>((resolve) => {
      closed = resolve;
    });
    const { url } = await scripted([
      (req, res) => {
        sse(res);
        res.write(event(takeover));
        req.on('close', closed);
      },
    ]);
    for await (const e of sessionEvents({ url })) {
      expect(e).toEqual(takeover);
      break;
    }
    await connectionClosed;
  });
});
