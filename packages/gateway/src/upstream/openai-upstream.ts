import { CgError } from '@companion-guard/core';
import type { ChatUpstream, UpstreamRequest } from './upstream.js';

export interface OpenAIUpstreamOptions {
  /** e.g. `https://api.deepseek.com/v1` or `http://127.0.0.1:11434/v1`. */
  readonly baseUrl: string;
  readonly apiKey?: string | undefined;
  /** Time allowed until the first byte of the response. */
  readonly timeoutMs: number;
}

/** Reads an SSE body and yields the `data:` payloads. */
async function* sseData(body: ReadableStream<Uint8Array>): AsyncIterable<string> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let nl = buffer.indexOf('\n');
    while (nl >= 0) {
      const line = buffer.slice(0, nl).replace(/\r$/, '');
      buffer = buffer.slice(nl + 1);
      if (line.startsWith('data:')) yield line.slice(5).trimStart();
      nl = buffer.indexOf('\n');
    }
  }
}

interface ChunkShape {
  choices?: { delta?: { content?: string | null } }[];
  error?: { message?: string };
}

/** An OpenAI-compatible upstream (vLLM, Ollama, DeepSeek, Qwen, OpenAI …), always called with `stream: true`. */
export function createOpenAIUpstream(options: OpenAIUpstreamOptions): ChatUpstream {
  const url = `${options.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  return {
    name: `openai-compatible:${new URL(url).host}`,
    async *stream(request: UpstreamRequest) {
      // The timeout covers the wait for the response headers, not the length of the reply.
      const timeout = new AbortController();
      const timer = setTimeout(() => timeout.abort(), options.timeoutMs);
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
          },
          body: JSON.stringify({
            ...request.params,
            model: request.model,
            messages: request.messages,
            stream: true,
          }),
          signal: AbortSignal.any([request.signal, timeout.signal]),
        });
      } catch (cause) {
        if (request.signal.aborted) throw cause;
        if (timeout.signal.aborted) throw new CgError('upstream-timeout', undefined, { cause });
        throw new CgError('upstream-error', 'The upstream model could not be reached.', { cause });
      } finally {
        clearTimeout(timer);
      }
      if (!response.ok || !response.body) {
        await response.body?.cancel();
        throw new CgError('upstream-error', `The upstream model answered HTTP ${response.status}.`);
      }
      try {
        for await (const data of sseData(response.body)) {
          if (data === '[DONE]') return;
          let parsed: ChunkShape;
          try {
            parsed = JSON.parse(data) as ChunkShape;
          } catch (cause) {
            throw new CgError('upstream-error', 'The upstream model sent a malformed stream.', { cause });
          }
          if (parsed.error) throw new CgError('upstream-error', 'The upstream model reported an error.');
          const delta = parsed.choices?.[0]?.delta?.content;
          if (delta) yield delta;
        }
      } catch (cause) {
        if (cause instanceof CgError || request.signal.aborted) throw cause;
        throw new CgError('upstream-error', 'The upstream stream broke off.', { cause });
      }
    },
  };
}
