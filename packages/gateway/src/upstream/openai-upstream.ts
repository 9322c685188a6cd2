import {
  type ClientRequest,
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingMessage,
  validateHeaderValue,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { urlToHttpOptions } from 'node:url';
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

interface ChunkShape {
  choices?: { delta?: { content?: string | null } }[];
  error?: { message?: string };
}

/** Body bytes held for a busy caller before the socket is paused. */
const maxPendingBytes = 64 * 1024;
/** The longest SSE line accepted (a chunk of a few tokens is well under 1 KiB). */
const maxLineBytes = 1024 * 1024;

const LF = 0x0a;
const CR = 0x0d;

/**
 * An OpenAI-compatible upstream (vLLM, Ollama, DeepSeek, Qwen, OpenAI …), always called with `stream: true`.
 * Calls go over `node:http(s)` with a keep-alive pool; the SSE body is parsed as it arrives.
 */
export function createOpenAIUpstream(options: OpenAIUpstreamOptions): ChatUpstream {
  const url = new URL(`${options.baseUrl.replace(/\/+$/, '')}/chat/completions`);
  const https = url.protocol === 'https:';
  const send = https ? httpsRequest : httpRequest;
  // Idle sockets are closed after 4 s, before a typical server's 5 s keep-alive timeout closes them under a new request.
  const pool = { keepAlive: true, maxSockets: 1024, timeout: 4_000 };
  const target = {
    ...urlToHttpOptions(url),
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      // fetch sent one; some API front ends turn away requests without it.
      'user-agent': 'companion-guard-gateway/1',
      ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
    },
    agent: https ? new HttpsAgent(pool) : new HttpAgent(pool),
  };
  if (options.apiKey) {
    try {
      validateHeaderValue('authorization', `Bearer ${options.apiKey}`);
    } catch (cause) {
      throw new CgError('invalid-config', 'upstream.apiKey has characters a header cannot carry.', { cause });
    }
  }
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
      let response = null as IncomingMessage | null;
      /** Bytes after the last line break seen (a line, maybe a UTF-8 character, cut by a chunk boundary). */
      let rest: Buffer | null = null;
      let req: ClientRequest | null = null;

      const notify = () => {
        const w = wake;
        wake = null;
        w?.();
      };
      const finish = () => {
        ended = true;
        notify();
      };
      const fail = (error: unknown) => {
        if (ended) return;
        failure = { error };
        req?.destroy();
        finish();
      };
      const brokeOff = (cause?: unknown) =>
        new CgError('upstream-error', 'The upstream stream broke off.', { cause });
      const expire = (what: string) => () =>
        fail(new CgError('upstream-timeout', `The upstream model ${what}.`));
      const idle = () => setTimeout(expire('stalled in the middle of its reply'), idleTimeoutMs);

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
          fail(new CgError('upstream-error', 'The upstream model sent a malformed stream.', { cause }));
          return false;
        }
        if (parsed?.error) {
          fail(new CgError('upstream-error', 'The upstream model reported an error.'));
          return false;
        }
        const delta = parsed?.choices?.[0]?.delta?.content;
        if (delta) deltas.push(delta);
        return true;
      };

      const onData = (chunk: Buffer) => {
        if (ended) return;
        pause.refresh();
        const carried = rest?.length ?? 0;
        // Lines are cut on the LF byte, which never occurs inside a multi-byte UTF-8 character.
        const last = chunk.lastIndexOf(LF);
        if (last < 0) {
          rest = rest ? Buffer.concat([rest, chunk]) : chunk;
          // One SSE line carries one small chunk; a line that never ends must not grow without bound.
          if (rest.length > maxLineBytes) {
            fail(new CgError('upstream-error', 'The upstream model sent a malformed stream.'));
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
        if (pending > maxPendingBytes && response && !response.isPaused()) {
          clearTimeout(pause);
          response.pause();
        }
      };

      const turn = setTimeout(expire('did not finish its reply in time'), turnTimeoutMs);
      let pause = setTimeout(expire('did not answer in time'), options.timeoutMs);
      const onAbort = () => fail(signal.reason);
      signal.addEventListener('abort', onAbort);

      try {
        try {
          req = send(target, (res) => {
            response = res;
            res.on('error', (cause) => fail(brokeOff(cause)));
            // After a complete body this is the normal close: no error is built for it.
            res.on('close', () => ended || fail(brokeOff()));
            const status = res.statusCode ?? 0;
            if (status < 200 || status > 299) {
              fail(new CgError('upstream-error', `The upstream model answered HTTP ${status}.`));
              return;
            }
            clearTimeout(pause);
            pause = idle();
            res.on('data', onData);
            res.on('end', finish);
          });
          req.on('error', (cause) =>
            fail(
              response
                ? brokeOff(cause)
                : new CgError('upstream-error', 'The upstream model could not be reached.', { cause }),
            ),
          );
          req.end(
            JSON.stringify({
              ...request.params,
              model: request.model,
              messages: request.messages,
              stream: true,
            }),
          );
        } catch (cause) {
          // A request Node refuses to build (it throws at once): nothing was sent.
          throw new CgError('upstream-error', 'The upstream model could not be reached.', { cause });
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
          if (response?.isPaused()) {
            pause = idle();
            response.resume();
          }
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
        }
      } finally {
        clearTimeout(turn);
        clearTimeout(pause);
        signal.removeEventListener('abort', onAbort);
        // What is still buffered is read past, not taken (nor held for: the socket must flow to its end).
        response?.off('data', onData);
        // A finished body leaves the socket to the pool; anything else (failure, early stop) closes it.
        if (response?.complete) response.resume();
        else if (response && ended && !failure) {
          // `[DONE]` came before the body's last bytes: read them, so the socket goes back to the pool.
          const drop = setTimeout(() => req?.destroy(), 1_000).unref();
          response.once('end', () => clearTimeout(drop)).resume();
        } else req?.destroy();
      }
    },
  };
}
