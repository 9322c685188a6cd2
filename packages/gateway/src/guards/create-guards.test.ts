import { isCgError } from '@companion-guard/core';
import { describe, expect, it } from 'vitest';
import { createGuards, type GuardSpec } from './create-guards.js';

describe('createGuards', () => {
  it('builds the listed guards in order, with their names and detectors', () => {
    const guards = createGuards([
      { kind: 'openai-moderation', baseUrl: 'https://api.example.com/v1', apiKey: 'k' },
      {
        kind: 'chat-guard',
        baseUrl: 'http://127.0.0.1:8000/v1',
        model: 'Qwen/Qwen3Guard-Gen-0.6B',
        format: 'qwen3guard',
      },
      { kind: 'chat-guard', baseUrl: 'http://127.0.0.1:8001/v1', model: 'llama-guard', name: 'lg' },
    ]);
    expect(guards.map((g) => g.name)).toEqual(['openai-moderation', 'qwen3guard', 'lg']);
    for (const g of guards) expect(g.detectors).toEqual(['crisis', 'prohibited']);
  });

  it('passes the injected fetch through', async () => {
    const calls: string[] = [];
    const [guard] = createGuards([{ kind: 'openai-moderation', baseUrl: 'http://stub.local/v1' }], {
      fetch: async (url) => {
        calls.push(url);
        return new Response(
          JSON.stringify({ results: [{ flagged: false, categories: {}, category_scores: {} }] }),
          {
            status: 200,
          },
        );
      },
    });
    expect(await guard?.classify('hello', { side: 'input' })).toEqual({
      label: 'safe',
      categories: [],
      score: 0,
      status: 'ok',
    });
    expect(calls).toEqual(['http://stub.local/v1/moderations']);
  });

  it.each([
    [[{ kind: 'openai-moderation', baseUrl: 'not a url' }], 'invalid baseUrl'],
    [[{ kind: 'nope', baseUrl: 'http://h/v1' }], 'unknown guard kind'],
    [
      [
        { kind: 'chat-guard', baseUrl: 'http://h/v1', model: 'a' },
        { kind: 'chat-guard', baseUrl: 'http://h2/v1', model: 'b' },
      ],
      'two guards named chat-guard',
    ],
    [
      [{ kind: 'gpt-oss-safeguard', baseUrl: 'http://h/v1', model: 'm', policies: { crisis: ' ' } }],
      'no policy given',
    ],
  ])('rejects %j', (specs, message) => {
    try {
      createGuards(specs as unknown as GuardSpec[]);
      expect.unreachable();
    } catch (e) {
      expect(isCgError(e, 'invalid-config')).toBe(true);
      expect((e as Error).message).toContain(message);
    }
  });
});
