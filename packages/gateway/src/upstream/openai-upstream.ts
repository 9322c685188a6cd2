import { validateHeaderValue } from 'node:http';
import { CgError } from '@companion-guard/core';
import { type Dispatcher, Pool } from 'undici';
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

interface ChunkShape {
  choices?: { delta?: { content?: string | null } }[];
  error?: { message?: string };
}

/** The messages of the turn-ending upstream failures: an app may show them to its user, so both languages. */
const texts = {
  brokeOff: 'The upstream stream broke off. 上游模型的输出流中断了。',
  malformed: 'The upstream model sent a malformed stream. 上游模型发来的数据流格式有误。',
  reported: 'The upstream model reported an error. 上游模型报告了错误。',
  unreachable: 'The upstream model could not be reached. 无法连接上游模型。',
  status: (status: number) => `The upstream model answered HTTP ${status}. 上游模型返回了 HTTP ${status}。`,
  idle: 'The upstream model stalled in the middle of its reply. 上游模型在回答中途停止了输出。',
  turn: 'The upstream model did not finish its reply in time. 上游模型未能在限定时间内答完。',
};

/** Body bytes held for a busy caller before the socket is paused. */
const maxPendingBytes = 64 * 1024;
/** The longest SSE line accepted (a chunk of a few tokens is well under 1 KiB). */
const maxLineBytes = 1024 * 1024;

const LF = 0x0a;
const CR = 0x0d;

/**
 * An OpenAI-compatible upstream (vLLM, Ollama, DeepSeek, Qwen, OpenAI …), always called with `stream: true`.
 * Calls go over an undici connection pool at its dispatch level (no web streams, no body stream object); the
 * SSE body is parsed from Buffers as it arrives.
 */
export function createOpenAIUpstream(options: OpenAIUpstreamOptions): ChatUpstream {
  const url = new URL(`${options.baseUrl.replace(/\/+$/, '')}/chat/completions`);
  const headers = {
    'content-type': 'application/json',
    // fetch sent one; some API front ends turn away requests without it.
    'user-agent': 'companion-guard-gateway/1',
    ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
  };
  if (options.apiKey) {
    try {
      validateHeaderValue('authorization', `Bearer ${options.apiKey}`);
    } catch (cause) {
      throw new CgError('invalid-config', 'upstream.apiKey has characters a header cannot carry.', { cause });
    }
  }
  // The deadlines below are this module's own (undici's are off). An idle socket is closed after 4 s, before
  // a typical server's 5 s keep-alive timeout closes it under a new request; a server that announces a longer
  // one (`Keep-Alive: timeout=…`) has its sockets kept until shortly before that.
  const pool = new Pool(url.origin, {
    connections: 1024,
    keepAliveTimeout: 4_000,
    headersTimeout: 0,
    bodyTimeout: 0,
  });
  const path = `${url.pathname}${url.search}`;
  const idleTimeoutMs = options.idleTimeoutMs ?? 30_000;
  const turnTimeoutMs = options.turnTimeoutMs ?? 180_000;

  return {
    name: `openai-compatible:${url.host}`,
    async *stream(request: UpstreamRequest) {
      const { signal } = request;
      signal.throwIfAborted();
      /** Content deltas parsed and not yet taken by the caller, and the body bytes they came in. */
      let deltas: string[] = [];
      let pending = 0;
      /** Set once the call is over: `[DONE]`, the end of the body, or a failure (then `failure` is set). */
      let ended = false;
      let failure = null as { error: unknown } | null; // `as`: set in callbacks, so not narrowed to null
      let wake: (() => void) | null = null;
      /** Set when the response starts; the body is paused and aborted through it. */
      let controller = null as Dispatcher.DispatchController | null;
      /** The request is to be dropped (set before undici hands over the controller, it drops it then). */
      let dropped = false;
      /** The response has started; its body has been read to the end (the connection went back to the pool). */
      let started = false;
      let complete = false;
      /** Bytes after the last line break seen (a line, maybe a UTF-8 character, cut by a chunk boundary). */
      let rest: Buffer | null = null;

      const notify = () => {
        const w = wake;
        wake = null;
        w?.();
      };
      const finish = () => {
        ended = true;
        notify();
      };
      const drop = () => {
        dropped = true;
        if (!complete) controller?.abort(new Error('The call was dropped.'));
      };
      const fail = (error: unknown) => {
        if (ended) return;
        failure = { error };
        finish();
        drop();
      };
      const brokeOff = (cause?: unknown) => new CgError('upstream-error', texts.brokeOff, { cause });
      const expire = (message?: string) => () => fail(new CgError('upstream-timeout', message));
      const idle = () => setTimeout(expire(texts.idle), idleTimeoutMs);

      /** Takes one `data:` payload; false when it ends the call. */
      const take = (data: string): boolean => {
        if (data === '[DONE]') {
          finish();
          return false;
        }
        let parsed: ChunkShape | null;
        try {
          parsed = JSON.parse(data) as ChunkShape | null;
        } catch (cause) {
          fail(new CgError('upstream-error', texts.malformed, { cause }));
          return false;
        }
        if (parsed?.error) {
          fail(new CgError('upstream-error', texts.reported));
          return false;
        }
        const delta = parsed?.choices?.[0]?.delta?.content;
        if (delta) deltas.push(delta);
        return true;
      };

      const onData = (chunk: Buffer) => {
        pause.refresh();
        const carried = rest?.length ?? 0;
        // Lines are cut on the LF byte, which never occurs inside a multi-byte UTF-8 character.
        const last = chunk.lastIndexOf(LF);
        if (last < 0) {
          rest = rest ? Buffer.concat([rest, chunk]) : chunk;
          // One SSE line carries one small chunk; a line that never ends must not grow without bound.
          if (rest.length > maxLineBytes) {
            fail(new CgError('upstream-error', texts.malformed));
          }
          return;
        }
        const text = rest
          ? Buffer.concat([rest, chunk.subarray(0, last + 1)]).toString()
          : chunk.toString('utf8', 0, last + 1);
        rest = last + 1 < chunk.length ? chunk.subarray(last + 1) : null;
        for (let start = 0; start < text.length; ) {
          const nl = text.indexOf('\n', start);
          const end = nl > start && text.charCodeAt(nl - 1) === CR ? nl - 1 : nl;
          if (text.startsWith('data:', start) && !take(text.slice(start + 5, end).trimStart())) return;
          start = nl + 1;
        }
        if (deltas.length === 0) return;
        if (wake) {
          notify();
          return;
        }
        // The caller is busy: what has arrived waits for it, and is taken in one piece (one scan, one write
        // to the client); past a bound the socket is paused until the caller asks for more.
        pending += carried + last + 1;
        // While paused the idle deadline waits: the model is not stalled, the caller is busy.
        if (pending > maxPendingBytes && controller && !controller.paused) {
          clearTimeout(pause);
          controller.pause();
        }
      };

      const handler: Dispatcher.DispatchHandler = {
        onRequestStart(c) {
          controller = c;
          if (dropped) c.abort(new Error('The call was dropped.'));
        },
        onResponseStart(_c, status) {
          started = true;
          if (status < 200 || status > 299) {
            fail(new CgError('upstream-error', texts.status(status)));
            return;
          }
          clearTimeout(pause);
          pause = idle();
        },
        // What comes after the call is over is read past, not taken (the socket must flow to its end).
        onResponseData(_c, chunk) {
          if (!ended) onData(chunk);
        },
        onResponseEnd() {
          complete = true;
          clearTimeout(drain);
          finish();
        },
        onResponseError(_c, cause) {
          fail(started ? brokeOff(cause) : new CgError('upstream-error', texts.unreachable, { cause }));
        },
      };

      const turn = setTimeout(expire(texts.turn), turnTimeoutMs);
      let pause = setTimeout(expire(), options.timeoutMs);
      let drain: NodeJS.Timeout | undefined;
      const onAbort = () => fail(signal.reason);
      signal.addEventListener('abort', onAbort);

      try {
        try {
          const body = JSON.stringify({
            ...request.params,
            model: request.model,
            messages: request.messages,
            stream: true,
          });
          pool.dispatch({ path, method: 'POST', headers, body }, handler);
        } catch (cause) {
          // A request that cannot be built (it throws at once): nothing was sent.
          throw new CgError('upstream-error', texts.unreachable, { cause });
        }
        for (;;) {
          if (deltas.length > 0) {
            const taken = deltas.join('');
            deltas = [];
            pending = 0;
            yield taken;
            continue;
          }
          if (failure) throw failure.error;
          if (ended) return;
          if (controller?.paused) {
            pause = idle();
            // Undici parses what the socket holds at once: it may bring pieces, or the end, before the wait.
            controller.resume();
            continue;
          }
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
        }
      } finally {
        clearTimeout(turn);
        clearTimeout(pause);
        signal.removeEventListener('abort', onAbort);
        if (ended && !failure && !complete) {
          // `[DONE]` came before the body's last bytes: read them, so the socket goes back to the pool.
          controller?.resume();
          drain = setTimeout(drop, 1_000).unref();
        } else drop();
      }
    },
  };
}
