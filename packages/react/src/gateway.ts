/**
 * The calls `useCompanionChat` makes to the gateway. The chat turn is read here (a `fetch` of the OpenAI
 * stream with its `compliance` chunks, so the kit needs no `openai` package); new chat, exit and the live
 * session events go through `@companion-guard/client`, and every answer is read with its `complianceOf` and
 * `errorOf`. A directive type or a session state this kit does not know is kept, not dropped.
 */
import {
  type Compliance,
  complianceOf,
  createGatewayClient,
  errorOf,
  type GatewayClient,
  GatewayError,
} from '@companion-guard/client';
import type { AppealAction } from './directive-logic.js';
import { createSseParser } from './sse.js';

export type TurnEvent =
  | { readonly kind: 'compliance'; readonly compliance: Compliance }
  | { readonly kind: 'delta'; readonly text: string };

/** Where the gateway is and how to reach it (as `createGatewayClient` of `@companion-guard/client` takes it). */
export interface GatewayOptions {
  /**
   * The gateway's `/v1` URL, e.g. `https://chat.example.com/v1`; default `/v1` of the page's origin. In a
   * public app this is your backend, which forwards to the gateway with the API key.
   */
  readonly baseURL?: string | undefined;
  /** Sent as `Authorization: Bearer …`. Only for trusted pages: never ship an app key to a browser. */
  readonly apiKey?: string | undefined;
  /** Headers sent with every call (e.g. your backend's own session header). */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly fetch?: typeof fetch | undefined;
}

export interface TurnRequest {
  readonly user: string;
  readonly model: string;
  readonly characterId: string | null;
  readonly locale: 'zh' | 'en';
  /** Only the new message: the gateway keeps the session's history. */
  readonly content: string;
}

/** The gateway's calls, bound to one gateway. */
export interface GatewayCalls {
  /** Sends a turn; `onEvent` gets each compliance object and each content delta in arrival order. */
  turn(
    request: TurnRequest,
    onEvent: (event: TurnEvent) => void,
    signal: AbortSignal,
  ): Promise<{ finishReason: string | null }>;
  newSession(request: { user: string; characterId: string | null; locale: 'zh' | 'en' }): Promise<Compliance>;
  exitSession(request: { user: string; sessionId: string; locale: 'zh' | 'en' }): Promise<Compliance>;
  /** Files the appeal a `minor-mode` directive offers (MINOR-5). */
  appeal(action: AppealAction): Promise<void>;
  /** The client of `@companion-guard/client` the calls use (for the live session events). */
  readonly client: GatewayClient;
}

/** Why `fetch` itself failed: the gateway could not be reached (`network-error`). */
function unreachable(): GatewayError {
  return new GatewayError(0, 'network-error', 'The gateway could not be reached.');
}

function invalid(message: string): GatewayError {
  return new GatewayError(0, 'invalid-response', message);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw invalid('The gateway sent an answer that is not JSON.');
  }
}

/** A `fetch` failure (not an abort) as `network-error`; anything else as it is. */
async function reaching<T>(call: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  try {
    return await call();
  } catch (cause) {
    if (cause instanceof GatewayError || signal?.aborted) throw cause;
    throw unreachable();
  }
}

export function gatewayCalls(options: GatewayOptions = {}): GatewayCalls {
  const baseURL = (options.baseURL ?? '/v1').replace(/\/+$/, '');
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const headers: Record<string, string> = {
    ...options.headers,
    ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
  };
  const client = createGatewayClient({ baseURL, headers, fetch: doFetch });

  /** POSTs JSON to `url`; an error answer throws a `GatewayError` with the gateway's code. */
  async function post(url: string, body: unknown, signal?: AbortSignal): Promise<Response> {
    const init: RequestInit = {
      method: 'POST',
      headers: {
        ...headers,
        'content-type': 'application/json',
        accept: 'text/event-stream, application/json',
      },
      body: JSON.stringify(body),
    };
    if (signal) init.signal = signal;
    const response = await reaching(() => doFetch(url, init), signal);
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      let json: unknown = null;
      try {
        json = JSON.parse(text);
      } catch {
        // Not JSON (a proxy's page): the status says all there is.
      }
      const info = errorOf(json);
      throw new GatewayError(
        response.status,
        info?.code ?? `http-${response.status}`,
        info?.message || `The gateway answered with HTTP ${response.status}.`,
      );
    }
    return response;
  }

  return {
    client,

    async turn(request, onEvent, signal) {
      const metadata: Record<string, string> = { locale: request.locale };
      if (request.characterId) metadata.character_id = request.characterId;
      const response = await post(
        `${baseURL}/chat/completions`,
        {
          model: request.model,
          stream: true,
          user: request.user,
          messages: [{ role: 'user', content: request.content }],
          metadata,
        },
        signal,
      );
      if (!(response.headers.get('content-type') ?? '').includes('text/event-stream')) {
        // A gateway may answer a fixed reply without streaming: read it as the stream would be.
        return readCompletion(parseJson(await response.text()), onEvent);
      }
      if (!response.body) throw new GatewayError(0, 'stream-interrupted', 'The reply stream was empty.');
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      const parser = createSseParser();
      let finishReason: string | null = null;
      let done = false;
      let drained = false;
      const handle = (payload: string) => {
        if (done) return;
        if (payload === '[DONE]') {
          done = true;
          return;
        }
        const chunk = parseJson(payload);
        const error = errorOf(chunk);
        if (error) throw new GatewayError(error.status ?? 200, error.code, error.message);
        finishReason = readChunk(chunk, onEvent) ?? finishReason;
      };
      try {
        while (!done) {
          const { value, done: ended } = await reading(() => reader.read(), signal);
          if (ended) {
            drained = true;
            break;
          }
          for (const payload of parser.push(value)) handle(payload);
        }
        for (const payload of parser.end()) handle(payload);
      } finally {
        // Stop reading what is left (after [DONE], an error chunk or an abort) so the connection is freed.
        if (!drained) await reader.cancel().catch(() => undefined);
      }
      if (!done && finishReason === null) {
        throw new GatewayError(0, 'stream-interrupted', 'The reply stream ended early.');
      }
      return { finishReason };
    },

    newSession: ({ user, characterId, locale }) =>
      reaching(() => client.newChat(user, { locale, ...(characterId ? { characterId } : {}) })),

    exitSession: ({ user, sessionId, locale }) => reaching(() => client.exit(sessionId, user, { locale })),

    async appeal(action) {
      // Only a path on this gateway (never another origin), as the directive names it under `/v1`.
      const path = action.path.startsWith('/v1/') ? action.path.slice(3) : action.path;
      await post(`${baseURL}${path}`, action.body ?? {});
    },
  };
}

/** A read of the stream; a connection lost mid-stream (not an abort) is `stream-interrupted`. */
async function reading<T>(read: () => Promise<T>, signal: AbortSignal): Promise<T> {
  try {
    return await read();
  } catch (cause) {
    if (signal.aborted) throw cause;
    throw new GatewayError(0, 'stream-interrupted', 'The reply stream broke off.');
  }
}

/** Emits the events of one stream chunk; returns its finish reason, if any. */
function readChunk(chunk: unknown, onEvent: (event: TurnEvent) => void): string | null {
  const compliance = complianceOf(chunk);
  if (compliance) onEvent({ kind: 'compliance', compliance });
  const choices = (chunk as { choices?: unknown } | null)?.choices;
  const choice = Array.isArray(choices) ? (choices[0] as Record<string, unknown> | undefined) : undefined;
  if (typeof choice !== 'object' || choice === null) return null;
  const delta = choice.delta as { content?: unknown } | null | undefined;
  if (typeof delta?.content === 'string' && delta.content !== '')
    onEvent({ kind: 'delta', text: delta.content });
  return typeof choice.finish_reason === 'string' ? choice.finish_reason : null;
}

/** A non-streamed completion, read as the stream would be. */
function readCompletion(body: unknown, onEvent: (event: TurnEvent) => void): { finishReason: string | null } {
  if (typeof body !== 'object' || body === null) throw invalid('The reply could not be read.');
  const compliance = complianceOf(body);
  if (compliance) onEvent({ kind: 'compliance', compliance });
  const choices = (body as { choices?: unknown }).choices;
  const choice = Array.isArray(choices) ? (choices[0] as Record<string, unknown> | undefined) : undefined;
  if (typeof choice !== 'object' || choice === null) return { finishReason: null };
  const message = choice.message as { content?: unknown } | null | undefined;
  if (typeof message?.content === 'string' && message.content !== '') {
    onEvent({ kind: 'delta', text: message.content });
  }
  return { finishReason: typeof choice.finish_reason === 'string' ? choice.finish_reason : null };
}
