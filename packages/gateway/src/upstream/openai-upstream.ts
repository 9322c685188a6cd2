import { CgError } from '@companion-guard/core';
import type { ChatUpstream, UpstreamRequest } from './upstream.js';

export interface OpenAIUpstreamOptions {
  /** e.g. `https://api.deepseek.com/v1` or `http://127.0.0.1:11434/v1`. */
  readonly baseUrl: string;
  readonly apiKey?: string | undefined;
  /** Time allowed until the response headers. */
  readonly timeoutMs: number;
  /** Longest silence allowed between two pieces of the response body. Default 30 s. */
  readonly idleTimeoutMs?: number | undefined;
  /** Time allowed for the whole model call, headers to the last piece. Default 180 s. */
  readonly turnTimeoutMs?: number | undefined;
}

/**
 * Three deadlines of one model call: the response headers (`timeoutMs`), the silence between body pieces
 * (`idleTimeoutMs`) and the whole call (`turnTimeoutMs`). `signal` aborts when one passes; `expired` names it.
 */
function callDeadlines(options: OpenAIUpstreamOptions) {
  const controller = new AbortController();
  let expired: string | null = null;
  const expire = (what: string) => () => {
    expired = what;
    controller.abort();
  };
  const turn = setTimeout(expire('did not finish its reply in time'), options.turnTimeoutMs ?? 180_000);
  let pause = setTimeout(expire('did not answer in time'), options.timeoutMs);
  return {
    signal: controller.signal,
    get expired() {
      return expired;
    },
    /** The headers (or a piece of the body) arrived: the next silence is measured from now. */
    progress() {
      clearTimeout(pause);
      pause = setTimeout(expire('stalled in the middle of its reply'), options.idleTimeoutMs ?? 30_000);
    },
    clear() {
      clearTimeout(turn);
      clearTimeout(pause);
    },
  };
}

/** Reads an SSE body and yields the `data:` payloads. */
async function* sseData(body: ReadableStream<Uint8Array>, onPiece: () => void): AsyncIterable<string> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    onPiece();
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
      const deadlines = callDeadlines(options);
      /** The error a failure is when a deadline passed (the caller's own abort stays as it is). */
      const timedOut = (cause: unknown) =>
        !request.signal.aborted && deadlines.expired
          ? new CgError('upstream-timeout', `The upstream model ${deadlines.expired}.`, { cause })
          : null;
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
          signal: AbortSignal.any([request.signal, deadlines.signal]),
        });
      } catch (cause) {
        deadlines.clear();
        if (request.signal.aborted) throw cause;
        throw (
          timedOut(cause) ??
          new CgError('upstream-error', 'The upstream model could not be reached.', { cause })
        );
      }
      try {
        if (!response.ok || !response.body) {
          await response.body?.cancel();
          throw new CgError('upstream-error', `The upstream model answered HTTP ${response.status}.`);
        }
        deadlines.progress();
        for await (const data of sseData(response.body, deadlines.progress)) {
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
        throw timedOut(cause) ?? new CgError('upstream-error', 'The upstream stream broke off.', { cause });
      } finally {
        deadlines.clear();
      }
    },
  };
}
