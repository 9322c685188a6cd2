import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlledUpstream } from '../app/harness.js';
import { complianceOf, type Harness, startHarness } from './helpers.js';

/**
 * A client that goes away over a real socket cancels its turn: the model call is aborted and only what was
 * produced before is stored. The streamed reply is written to the Node response directly, so this covers
 * that path (the app tests run without sockets and cover the web stream one).
 */
describe('a client that disconnects mid-reply (real server)', () => {
  const up = controlledUpstream();
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ upstream: up.upstream });
  });
  afterAll(() => h.stop());

  const post = (body: Record<string, unknown>, signal: AbortSignal) =>
    fetch(`${h.server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'tell me a story' }], ...body }),
      signal,
    });

  it('streamed: the model call is aborted and the reply is stored as far as it was sent', async () => {
    const gone = new AbortController();
    const res = await post({ user: 'sam', stream: true }, gone.signal);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const reader = (res.body as ReadableStream<Uint8Array>).pipeThrough(new TextDecoderStream()).getReader();
    let received = '';
    const readUntil = async (text: string) => {
      while (!received.includes(text)) received += (await reader.read()).value ?? '';
    };
    await readUntil('\n\n');
    const first = JSON.parse(received.slice('data: '.length, received.indexOf('\n\n')));
    const session = complianceOf(first).session.id;
    await up.called(1);
    const story = 'Once upon a time, there was a lighthouse. ';
    up.send('Once upon a time, ');
    up.send('there was a lighthouse. ');
    await readUntil('Once upon');
    await up.demand();
    gone.abort();
    await expect.poll(() => up.requests[0]?.signal.aborted).toBe(true);
    // What was written before the disconnect (the output scan may hold back the tail) is stored, no more.
    await expect.poll(async () => (await h.server.store.listMessages(session)).length).toBe(2);
    const [, reply] = await h.server.store.listMessages(session);
    expect(reply?.role).toBe('assistant');
    expect(reply?.content).toMatch(/^Once upon/);
    expect(story.startsWith(reply?.content ?? '')).toBe(true);
  });

  it('non-streamed: the model call is aborted and the reply is stored as interrupted', async () => {
    const opened = await fetch(`${h.server.url}/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'nia' }),
    });
    const session = complianceOf(await opened.json()).session.id;
    const gone = new AbortController();
    const pending = post({ user: 'nia' }, gone.signal).catch((e: unknown) => e);
    await up.called(2);
    up.send('Once upon a time, ');
    await up.demand();
    gone.abort();
    expect(await pending).toBeInstanceOf(Error);
    await expect.poll(() => up.requests[1]?.signal.aborted).toBe(true);
    await expect
      .poll(async () => (await h.server.store.listMessages(session)).map((m) => [m.role, m.status]))
      .toEqual([
        ['user', 'accepted'],
        ['assistant', 'interrupted'],
      ]);
  });
});
