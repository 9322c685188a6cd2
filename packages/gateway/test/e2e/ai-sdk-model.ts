import type { LanguageModelV3CallOptions, LanguageModelV3StreamPart } from '@ai-sdk/provider';
import { MockLanguageModelV3 } from 'ai/test';
import { createDemoModel, demoReply } from '../../src/upstream/demo-model.js';
import type { UpstreamMessage } from '../../src/upstream/upstream.js';

const usage = {
  inputTokens: { total: 3, noCache: 3, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 5, text: 5, reasoning: undefined },
};

/** An AI SDK prompt as plain messages (text parts only). */
export function promptMessages(options: LanguageModelV3CallOptions): UpstreamMessage[] {
  return options.prompt.map((m) => ({
    role: m.role === 'tool' ? 'user' : m.role,
    content:
      typeof m.content === 'string'
        ? m.content
        : m.content.map((p) => (p.type === 'text' ? p.text : '')).join(''),
  }));
}

/**
 * A stub AI SDK model (`MockLanguageModelV3`) that answers exactly as the gateway's demo model does: the
 * same scripted reply, streamed in the same pieces — so a turn through the middleware and one through the
 * gateway with the demo upstream can be compared. `calls` holds the prompts it was sent.
 */
export function demoLanguageModel(options: { before?: (messages: UpstreamMessage[]) => Promise<void> } = {}) {
  const calls: UpstreamMessage[][] = [];
  const seen = async (o: LanguageModelV3CallOptions) => {
    const messages = promptMessages(o);
    calls.push(messages);
    await options.before?.(messages);
    return messages;
  };
  const model = new MockLanguageModelV3({
    provider: 'stub',
    modelId: 'demo',
    async doGenerate(o) {
      const text = demoReply(await seen(o));
      return {
        content: [{ type: 'text', text }],
        finishReason: { unified: 'stop', raw: 'stop' },
        usage,
        providerMetadata: { stub: { replied: true } },
        warnings: [],
      };
    },
    async doStream(o) {
      const messages = await seen(o);
      const parts: LanguageModelV3StreamPart[] = [
        { type: 'stream-start', warnings: [] },
        { type: 'text-start', id: 't' },
      ];
      const demo = createDemoModel({ paceMs: 0 });
      const signal = new AbortController().signal;
      for await (const delta of demo.stream({ model: 'demo', messages, params: {}, signal })) {
        parts.push({ type: 'text-delta', id: 't', delta });
      }
      parts.push(
        { type: 'text-end', id: 't' },
        { type: 'finish', usage, finishReason: { unified: 'stop', raw: 'stop' } },
      );
      return {
        stream: new ReadableStream({
          start(controller) {
            for (const part of parts) controller.enqueue(part);
            controller.close();
          },
        }),
      };
    },
  });
  return { model, calls };
}
