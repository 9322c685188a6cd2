import { describe, expect, it } from 'vitest';
import type { Compliance } from '../chat/compliance.js';
import { completionChunks, complianceWire } from './wire.js';

describe('completionChunks', () => {
  const id = 'chatcmpl-"1"';
  const model = 'qwen\\plus "中文"';
  const chunks = completionChunks(id, 1_700_000_000, model);
  /** The event as serializing the whole chunk object, in OpenAI's key order, writes it. */
  const event = (choice: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    `data: ${JSON.stringify({
      id,
      object: 'chat.completion.chunk',
      created: 1_700_000_000,
      model,
      choices: [{ index: 0, ...choice }],
      ...extra,
    })}\n\n`;

  it('writes content deltas as the whole chunk object would serialize', () => {
    for (const text of ['你好', 'a "quote" \\ and\nnewline', '', '\u2028😀']) {
      expect(chunks.content(text)).toBe(
        event({ delta: { content: text }, logprobs: null, finish_reason: null }),
      );
    }
  });

  it('writes the first and the last chunk with their compliance envelope, if any', () => {
    const compliance: Compliance = {
      directives: [],
      label: { text: '由AI生成', contentId: 'c1', machineReadable: { producer: 'svc' } },
      session: { id: 's1', state: 'active' },
    };
    expect(chunks.chunk({ role: 'assistant', content: '' }, null, compliance)).toBe(
      event(
        { delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null },
        { compliance: complianceWire(compliance) },
      ),
    );
    expect(chunks.chunk({}, 'content_filter', null)).toBe(
      event({ delta: {}, logprobs: null, finish_reason: 'content_filter' }),
    );
  });
});
