/**
 * The session events stream (`GET /v1/sessions/{id}/events`, Server-Sent Events) read with `fetch`, so it
 * works in browsers and Node alike, sends the API key in a header (which `EventSource` cannot), and
 * reconnects with backoff.
 */
import { errorFrom, GatewayError } from './compliance.js';
import type { SessionEvent } from './wire.js';

/** One dispatched SSE message. */
interface SseMessage {
  readonly event: string;
  readonly data: string;
}

/** What a stream tells its reader about reconnecting: the last event id, and the delay it asks for. */
interface Reconnection {
  lastEventId: string | undefined;
  retryMs: number | undefined;
}

/**
 * Reads a `text/event-stream` body into messages, per the HTML spec's parsing rules; comments are skipped;
 * `id` and `retry` fields update `reconnection`. `live` is called when bytes arrive (the gateway's first are
 * `: ready`).
 */
async function* readSse(
  body: ReadableStream<Uint8Array>,
  reconnection: Reconnection,
  live: () => void,
): AsyncGenerator<SseMessage> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let event = '';
  let data: string[] = [];
  let id = reconnection.lastEventId;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (value?.length) live();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      for (;;) {
        const end = buffer.search(/\r\n|\n|\r/);
        // A lone `\r` at the end may be the first half of `\r\n`: wait for the next chunk.
        if (end === -1 || (end === buffer.length - 1 && buffer.endsWith('\r') && !done)) break;
        const line = buffer.slice(0, end);
        buffer = buffer.slice(buffer.startsWith('\r\n', end) ? end + 2 : end + 1);
        if (line === '') {
          reconnection.lastEventId = id;
          if (data.length > 0) yield { event: event || 'message', data: data.join('\n') };
          event = '';
          data = [];
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        const raw = colon === -1 ? '' : line.slice(colon + 1);
        const value = raw.startsWith(' ') ? raw.slice(1) : raw;
        if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
        else if (field === 'id' && !value.includes('\0')) id = value;
        else if (field === 'retry' && /^\d+$/.test(value)) reconnection.retryMs = Number(value);
      }
      if (done) return;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

export interface SessionEventsOptions {
  /** The stream's URL, `…/v1/sessions/{id}/events?user=…` (`createGatewayClient` builds it). */
  readonly url: string;
  /** Request headers, e.g. `authorization`. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Defaults to the global `fetch`. */
  readonly fetch?: typeof fetch;
  /** Ends the stream: the iteration finishes without an error. */
  readonly signal?: AbortSignal;
  /** The first reconnection delay; it doubles after each failure in a row up to `maxDelayMs`. Default 1000. */
  readonly minDelayMs?: number;
  /** Default 30000. */
  readonly maxDelayMs?: number;
  /** Give up (throw the last error) after this many failures in a row. Default: never. */
  readonly maxAttempts?: number;
  /**
   * Called each time the stream is (re)connected, when its first bytes arrive: the gateway sends `: ready`
   * once it listens, so events published after this reach the stream.
   */
  readonly onOpen?: () => void;
  /** Called before each reconnection, with why and how long it waits. */
  readonly onRetry?: (info: {
    readonly attempt: number;
    readonly delayMs: number;
    readonly error: unknown;
  }) => void;
}

/** Statuses worth retrying: the gateway or a proxy in between is unwell, or asks to slow down. */
function retryable(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * The session's live events, in order: an operator's messages, the fallback, takeover start and end, and
 * `session-ended`, after which the iteration finishes. A dropped connection (network error, a 5xx, 408 or
 * 429, the stream closing early) is reopened after a backoff; it sends `Last-Event-ID` when the stream gave
 * event ids. An answer that retrying cannot mend (401, 403, 404, 400) throws a `GatewayError`. Aborting
 * `signal`, or leaving the `for await` loop, closes the connection.
 *
 * The gateway sends each waiting message once (it is then marked delivered) and gives no event ids: what is
 * waiting when a stream (re)opens is sent at once, so a reconnection misses nothing still waiting.
 *
 * @example
 * for await (const event of sessionEvents({ url, headers, signal })) {
 *   if (event.type === 'operator-message') show(event.message.content);
 * }
 */
export async function* sessionEvents(options: SessionEventsOptions): AsyncGenerator<SessionEvent> {
  const { signal } = options;
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const minDelay = options.minDelayMs ?? 1000;
  const maxDelay = options.maxDelayMs ?? 30_000;
  let failures = 0;
  const reconnection: Reconnection = { lastEventId: undefined, retryMs: undefined };
  while (!signal?.aborted) {
    let error: unknown;
    /** An answer retrying cannot mend. */
    let fatal: Error | undefined;
    try {
      const res = await doFetch(options.url, {
        headers: {
          ...options.headers,
          accept: 'text/event-stream',
          ...(reconnection.lastEventId ? { 'last-event-id': reconnection.lastEventId } : {}),
        },
        ...(signal ? { signal } : {}),
      });
      if (!res.ok || !res.body) {
        const failure = errorFrom(res.status, await res.json().catch(() => null));
        if (retryable(res.status)) error = failure;
        else fatal = failure;
      } else {
        let opened = false;
        const live = () => {
          if (opened) return;
          opened = true;
          failures = 0;
          options.onOpen?.();
        };
        for await (const m of readSse(res.body, reconnection, live)) {
          if (m.event !== 'message') continue;
          let event: SessionEvent;
          try {
            event = JSON.parse(m.data) as SessionEvent;
          } catch {
            fatal = new GatewayError(
              502,
              'invalid-response',
              'The events stream sent an event that is not JSON.',
            );
            break;
          }
          yield event;
          if (event.type === 'session-ended') return;
        }
        error = new Error('The events stream closed.');
      }
    } catch (e) {
      if (signal?.aborted) return;
      error = e;
    }
    if (fatal) throw fatal;
    failures++;
    if (options.maxAttempts !== undefined && failures >= options.maxAttempts) throw error;
    const delayMs = Math.min(maxDelay, Math.max(reconnection.retryMs ?? 0, minDelay * 2 ** (failures - 1)));
    options.onRetry?.({ attempt: failures, delayMs, error });
    await wait(delayMs, signal);
  }
}
