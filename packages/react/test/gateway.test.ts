import { GatewayError } from '@companion-guard/client';
import { describe, expect, it } from 'vitest';
import { gatewayCalls, type TurnEvent } from '../src/gateway.js';

interface Call {
  readonly url: string;
  readonly method: string;
  readonly body: unknown;
}

/** A fetch that records calls and answers with the given responses in order. */
function fakeFetch(responses: Array<() => Response>): { fetch: typeof fetch; calls: Call[] } {
  const calls: Call[] = [];
  const impl = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : null;
    calls.push({ url: String(input), method: init?.method ?? 'GET', body });
    const next = responses.shift();
    if (!next) throw new Error('unexpected call');
    return next();
  };
  return { fetch: impl as typeof fetch, calls };
}

/** An SSE response whose body arrives in the given byte pieces. */
function sseResponse(pieces: readonly Uint8Array[]): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const piece of pieces) controller.enqueue(piece);
      controller.close();
    },
  });
  return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
}

function jsonResponse(status: number, value: unknown): Response {
  return new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json' } });
}

function chunk(content: string | null, extra: Record<string, unknown> = {}, finish: string | null = null) {
  const delta = content === null ? {} : { content };
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'demo',
    choices: [{ index: 0, delta, finish_reason: finish }],
    ...extra,
  };
}

const firstCompliance = {
  directives: [
    { type: 'ai-disclosure', requirement: 'DISC-1', display: 'popup', text: '我是人工智能，不是真人。' },
    { type: 'mystery', requirement: 'X-1', display: 'sideways', text: 'unknown display' },
  ],
  label: { text: '内容由人工智能生成', content_id: 'cid-1' },
  session: { id: 'sess-1', state: 'active' },
};

const signal = () => new AbortController().signal;

function sseText(chunks: readonly unknown[], done = true): string {
  const lines = chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`);
  if (done) lines.push('data: [DONE]\n\n');
  return lines.join('');
}

/** Splits bytes every `size` bytes, so multi-byte Chinese characters are cut in half. */
function slice(bytes: Uint8Array, size: number): Uint8Array[] {
  const parts: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) parts.push(bytes.slice(i, i + size));
  return parts;
}

describe('gatewayCalls().turn', () => {
  it('sends only the new message with user, character and locale, and streams compliance then deltas', async () => {
    const text = sseText([
      chunk(null, { compliance: firstCompliance }),
      chunk('你好'),
      chunk('，很高兴见到你！'),
      chunk(null, {}, 'stop'),
    ]);
    const { fetch, calls } = fakeFetch([() => sseResponse(slice(new TextEncoder().encode(text), 7))]);
    const api = gatewayCalls({ fetch, baseURL: 'http://gw.test/v1/' });
    const events: TurnEvent[] = [];

    const result = await api.turn(
      { user: 'u-1', model: 'demo', characterId: 'luna', locale: 'zh', content: '你好' },
      (event) => events.push(event),
      signal(),
    );

    expect(result.finishReason).toBe('stop');
    expect(calls).toEqual([
      {
        url: 'http://gw.test/v1/chat/completions',
        method: 'POST',
        body: {
          model: 'demo',
          stream: true,
          user: 'u-1',
          messages: [{ role: 'user', content: '你好' }],
          metadata: { locale: 'zh', character_id: 'luna' },
        },
      },
    ]);
    expect(events.map((e) => e.kind)).toEqual(['compliance', 'delta', 'delta']);
    const first = events[0];
    if (first?.kind !== 'compliance') throw new Error('compliance must come first');
    expect(first.compliance.label).toEqual({ text: '内容由人工智能生成', content_id: 'cid-1' });
    expect(first.compliance.session).toEqual({ id: 'sess-1', state: 'active' });
    expect(first.compliance.directives.map((d) => [d.type, d.display])).toEqual([
      ['ai-disclosure', 'popup'],
      ['mystery', 'sideways'],
    ]);
    const text2 = events.flatMap((e) => (e.kind === 'delta' ? [e.text] : [])).join('');
    expect(text2).toBe('你好，很高兴见到你！');
  });

  it('leaves out character_id when no character is chosen', async () => {
    const { fetch, calls } = fakeFetch([
      () => sseResponse([new TextEncoder().encode(sseText([chunk('hi', {}, 'stop')]))]),
    ]);
    await gatewayCalls({ fetch }).turn(
      { user: 'u', model: 'demo', characterId: null, locale: 'en', content: 'hi' },
      () => undefined,
      signal(),
    );
    expect(calls[0]?.body).toMatchObject({ metadata: { locale: 'en' } });
    expect(calls[0]?.body).not.toHaveProperty('metadata.character_id');
  });

  it('reports a later compliance object and the content_filter finish reason', async () => {
    const withheld = {
      directives: [{ type: 'output-withheld', requirement: 'EXIT-3', display: 'inline', text: 'withheld' }],
      label: { text: 'AI-generated', content_id: 'cid-2' },
      session: { id: 's', state: 'ended' },
    };
    const text = sseText([
      chunk(null, { compliance: { ...firstCompliance, directives: [] } }),
      chunk('Bye for now.', { compliance: withheld }, 'content_filter'),
    ]);
    const { fetch } = fakeFetch([() => sseResponse([new TextEncoder().encode(text)])]);
    const events: TurnEvent[] = [];
    const result = await gatewayCalls({ fetch }).turn(
      { user: 'u', model: 'demo', characterId: null, locale: 'en', content: 'bye' },
      (event) => events.push(event),
      signal(),
    );
    expect(result.finishReason).toBe('content_filter');
    const last = events.filter((e) => e.kind === 'compliance').at(-1);
    if (last?.kind !== 'compliance') throw new Error('expected a second compliance event');
    expect(last.compliance.directives[0]?.type).toBe('output-withheld');
    expect(last.compliance.session?.state).toBe('ended');
  });

  it('turns an OpenAI-shaped error answer into a GatewayError with status and code', async () => {
    const { fetch } = fakeFetch([
      () =>
        jsonResponse(400, {
          error: { message: 'user is required', type: 'invalid_request_error', code: 'missing-user' },
        }),
    ]);
    const failure = await gatewayCalls({ fetch })
      .turn(
        { user: '', model: 'demo', characterId: null, locale: 'en', content: 'x' },
        () => undefined,
        signal(),
      )
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(GatewayError);
    expect(failure).toMatchObject({ status: 400, code: 'missing-user', message: 'user is required' });
  });

  it('rejects on an error chunk inside the stream', async () => {
    const text = sseText(
      [
        chunk('partial'),
        { error: { message: 'upstream failed', type: 'api_error', code: 'upstream-error' } },
      ],
      false,
    );
    const { fetch } = fakeFetch([() => sseResponse([new TextEncoder().encode(text)])]);
    await expect(
      gatewayCalls({ fetch }).turn(
        { user: 'u', model: 'demo', characterId: null, locale: 'en', content: 'x' },
        () => undefined,
        signal(),
      ),
    ).rejects.toMatchObject({ code: 'upstream-error' });
  });

  it('rejects a stream that stops before [DONE] and before any finish reason', async () => {
    const { fetch } = fakeFetch([
      () => sseResponse([new TextEncoder().encode(sseText([chunk('half')], false))]),
    ]);
    await expect(
      gatewayCalls({ fetch }).turn(
        { user: 'u', model: 'demo', characterId: null, locale: 'en', content: 'x' },
        () => undefined,
        signal(),
      ),
    ).rejects.toMatchObject({ code: 'stream-interrupted' });
  });

  it('reads a non-streamed completion the same way', async () => {
    const body = {
      id: 'c',
      object: 'chat.completion',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hello!' }, finish_reason: 'stop' }],
      compliance: firstCompliance,
    };
    const { fetch } = fakeFetch([() => jsonResponse(200, body)]);
    const events: TurnEvent[] = [];
    const result = await gatewayCalls({ fetch }).turn(
      { user: 'u', model: 'demo', characterId: null, locale: 'en', content: 'x' },
      (event) => events.push(event),
      signal(),
    );
    expect(result.finishReason).toBe('stop');
    expect(events.map((e) => e.kind)).toEqual(['compliance', 'delta']);
  });

  it('names a network failure as network-error', async () => {
    const fetch = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof globalThis.fetch;
    await expect(
      gatewayCalls({ fetch }).turn(
        { user: 'u', model: 'demo', characterId: null, locale: 'en', content: 'x' },
        () => undefined,
        signal(),
      ),
    ).rejects.toMatchObject({ status: 0, code: 'network-error' });
  });
});

describe('gatewayCalls sessions', () => {
  it('exits a session through its encoded path and returns the ended state', async () => {
    const { fetch, calls } = fakeFetch([
      () =>
        jsonResponse(200, {
          compliance: {
            directives: [
              { type: 'exit-confirmed', requirement: 'EXIT-1', display: 'inline', text: '已退出' },
            ],
            label: null,
            session: { id: 'a/b', state: 'ended' },
          },
        }),
    ]);
    const compliance = await gatewayCalls({ fetch }).exitSession({
      sessionId: 'a/b',
      user: 'u-9',
      locale: 'zh',
    });
    expect(calls).toEqual([
      {
        url: '/v1/sessions/a%2Fb/exit',
        method: 'POST',
        body: { user: 'u-9', via: 'button', metadata: { locale: 'zh' } },
      },
    ]);
    expect(compliance.session?.state).toBe('ended');
    expect(compliance.label).toBeNull();
    expect(compliance.directives[0]?.type).toBe('exit-confirmed');
  });

  it('starts a session with the character and locale', async () => {
    const { fetch, calls } = fakeFetch([
      () => jsonResponse(200, { compliance: { ...firstCompliance, label: null } }),
    ]);
    const compliance = await gatewayCalls({ fetch }).newSession({
      user: 'u',
      characterId: 'c1',
      locale: 'en',
    });
    expect(calls[0]?.body).toEqual({ user: 'u', metadata: { locale: 'en', character_id: 'c1' } });
    expect(compliance.directives[0]?.type).toBe('ai-disclosure');
  });

  it('refuses a session answer without compliance', async () => {
    const { fetch } = fakeFetch([() => jsonResponse(200, { ok: true })]);
    await expect(
      gatewayCalls({ fetch }).newSession({ user: 'u', characterId: null, locale: 'en' }),
    ).rejects.toMatchObject({ code: 'invalid-response' });
  });

  it('MINOR-5: files an appeal at the path the directive names, on the configured gateway', async () => {
    const { fetch, calls } = fakeFetch([() => jsonResponse(201, { id: 'ap-1', state: 'open' })]);
    await gatewayCalls({ fetch, baseURL: 'https://app.example/api/cg/v1' }).appeal({
      method: 'POST',
      path: '/v1/users/u%2F1/appeals',
      body: { kind: 'minor-mode' },
    });
    expect(calls).toEqual([
      {
        url: 'https://app.example/api/cg/v1/users/u%2F1/appeals',
        method: 'POST',
        body: { kind: 'minor-mode' },
      },
    ]);
  });
});
