/**
 * The calls `useCompanionChat` makes to the gateway: a streamed chat turn (the OpenAI stream with its
 * `compliance` chunks), new chat, exit, an appeal. Answers are read defensively: a directive type or a
 * session state this kit does not know is kept, anything malformed is dropped or named as an error.
 */
import type { Author, Compliance as ComplianceWire, ErrorCode } from '@companion-guard/client';
import type { AppealAction, DirectiveLike } from './directive-logic.js';
import { createSseParser } from './sse.js';

/**
 * The stable codes of a failed call: the gateway's own (`missing-user`, `upstream-error`, …) or the kit's:
 * `network-error` (the gateway could not be reached), `stream-interrupted` (the reply stream broke off),
 * `invalid-response` (an answer the kit cannot read), `http-<status>` (an error answer without a body).
 */
export type ChatErrorCode =
  | ErrorCode
  | 'network-error'
  | 'stream-interrupted'
  | 'invalid-response'
  | `http-${number}`
  | (string & {});

/** A failed call to the gateway, with a stable `code` to branch on and the HTTP `status` (0 if none). */
export class CompanionChatError extends Error {
  readonly code: ChatErrorCode;
  readonly status: number;

  constructor(code: ChatErrorCode, message: string, status = 0, cause?: unknown) {
    super(message, { cause });
    this.name = 'CompanionChatError';
    this.code = code;
    this.status = status;
  }
}

/** The explicit AI label of a reply and its content ID (DISC-4). */
export interface ReplyLabel {
  readonly text: string;
  readonly contentId: string;
}

/** The `compliance` extension as the kit reads it. */
export interface ComplianceInfo {
  readonly directives: readonly DirectiveLike[];
  readonly label: ReplyLabel | null;
  /** `null` when the answer did not name the session. */
  readonly session: {
    readonly id: string;
    readonly state: ComplianceWire['session']['state'] | (string & {});
  } | null;
  /** `human` when an operator wrote the reply (RISK-4; it has no AI label), `system` for a fixed one. */
  readonly author: Author | null;
}

export type TurnEvent =
  | { readonly kind: 'compliance'; readonly compliance: ComplianceInfo }
  | { readonly kind: 'delta'; readonly text: string };

/** Where the gateway is and how to reach it. */
export interface GatewayOptions {
  /** Origin (and optional path prefix) of the gateway, e.g. `https://chat.example.com`; default: the page's origin. */
  readonly baseUrl?: string | undefined;
  /** Sent as `Authorization: Bearer …` when set. Keep app keys on a server you control, not in a public page. */
  readonly apiKey?: string | undefined;
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a wire `compliance` object; `null` when it is not one. */
export function readCompliance(value: unknown): ComplianceInfo | null {
  if (!isRecord(value)) return null;
  const directives: DirectiveLike[] = [];
  for (const d of Array.isArray(value.directives) ? value.directives : []) {
    if (!isRecord(d) || typeof d.type !== 'string' || typeof d.text !== 'string') continue;
    directives.push({
      type: d.type,
      requirement: typeof d.requirement === 'string' ? d.requirement : '',
      display: typeof d.display === 'string' ? d.display : 'inline',
      text: d.text,
      data: isRecord(d.data) ? d.data : null,
    });
  }
  const label =
    isRecord(value.label) && typeof value.label.text === 'string'
      ? {
          text: value.label.text,
          contentId: typeof value.label.content_id === 'string' ? value.label.content_id : '',
        }
      : null;
  const s = value.session;
  const session =
    isRecord(s) && typeof s.id === 'string'
      ? { id: s.id, state: typeof s.state === 'string' ? s.state : 'active' }
      : null;
  const author =
    value.author === 'user' || value.author === 'ai' || value.author === 'human' || value.author === 'system'
      ? value.author
      : null;
  return { directives, label, session, author };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new CompanionChatError(
      'invalid-response',
      'The gateway sent an answer that is not JSON.',
      0,
      cause,
    );
  }
}

/** An OpenAI-shaped `{ error }` (or a route's `{ code, message }`) as an error; `null` if it is not one. */
function errorOf(body: unknown, status: number): CompanionChatError | null {
  if (!isRecord(body)) return null;
  const e = isRecord(body.error) ? body.error : 'code' in body && 'message' in body ? body : null;
  if (!e) return null;
  const code = typeof e.code === 'string' ? e.code : `http-${status}`;
  return new CompanionChatError(code, typeof e.message === 'string' ? e.message : 'Unknown error.', status);
}

/** The gateway's calls, bound to one gateway. */
export interface GatewayCalls {
  /** Sends a turn; `onEvent` gets each compliance object and each content delta in arrival order. */
  turn(
    request: TurnRequest,
    onEvent: (event: TurnEvent) => void,
    signal: AbortSignal,
  ): Promise<{ finishReason: string | null }>;
  newSession(request: {
    user: string;
    characterId: string | null;
    locale: 'zh' | 'en';
  }): Promise<ComplianceInfo>;
  exitSession(request: { user: string; sessionId: string }): Promise<ComplianceInfo>;
  /** Files the appeal a `minor-mode` directive offers (MINOR-5). */
  appeal(action: AppealAction): Promise<void>;
}

export function gatewayCalls(options: GatewayOptions = {}): GatewayCalls {
  const base = (options.baseUrl ?? '').replace(/\/+$/, '');
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);

  async function call(path: string, body: unknown, signal?: AbortSignal): Promise<Response> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    };
    if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
    const init: RequestInit = { method: 'POST', headers, body: JSON.stringify(body) };
    if (signal) init.signal = signal;
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, init);
    } catch (cause) {
      if (signal?.aborted) throw cause;
      throw new CompanionChatError('network-error', 'The gateway could not be reached.', 0, cause);
    }
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      let body: unknown = null;
      try {
        body = JSON.parse(text);
      } catch {
        // Not JSON: the status says all there is.
      }
      throw (
        errorOf(body, response.status) ??
        new CompanionChatError(
          `http-${response.status}`,
          `The gateway answered with HTTP ${response.status}.`,
          response.status,
        )
      );
    }
    return response;
  }

  async function complianceAnswer(response: Response): Promise<ComplianceInfo> {
    const body = parseJson(await response.text());
    const compliance = isRecord(body) ? readCompliance(body.compliance) : null;
    if (!compliance)
      throw new CompanionChatError('invalid-response', 'The answer carried no compliance object.');
    return compliance;
  }

  return {
    async turn(request, onEvent, signal) {
      const metadata: Record<string, string> = { locale: request.locale };
      if (request.characterId) metadata.character_id = request.characterId;
      const response = await call(
        '/v1/chat/completions',
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
        return readCompletion(parseJson(await response.text()), onEvent);
      }
      if (!response.body) throw new CompanionChatError('stream-interrupted', 'The reply stream was empty.');
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
        const error = errorOf(chunk, 200);
        if (error) throw error;
        finishReason = readChunk(chunk, onEvent) ?? finishReason;
      };
      try {
        while (!done) {
          const { value, done: ended } = await reader.read();
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
        throw new CompanionChatError('stream-interrupted', 'The reply stream ended early.');
      }
      return { finishReason };
    },

    async newSession(request) {
      const metadata: Record<string, string> = { locale: request.locale };
      if (request.characterId) metadata.character_id = request.characterId;
      return complianceAnswer(await call('/v1/sessions', { user: request.user, metadata }));
    },

    async exitSession(request) {
      const path = `/v1/sessions/${encodeURIComponent(request.sessionId)}/exit`;
      return complianceAnswer(await call(path, { user: request.user }));
    },

    async appeal(action) {
      await call(action.path, action.body ?? {});
    },
  };
}

/** Emits the events of one stream chunk; returns its finish reason, if any. */
function readChunk(chunk: unknown, onEvent: (event: TurnEvent) => void): string | null {
  if (!isRecord(chunk)) return null;
  if ('compliance' in chunk) {
    const compliance = readCompliance(chunk.compliance);
    if (compliance) onEvent({ kind: 'compliance', compliance });
  }
  const choice: unknown = Array.isArray(chunk.choices) ? chunk.choices[0] : null;
  if (!isRecord(choice)) return null;
  const delta = choice.delta;
  if (isRecord(delta) && typeof delta.content === 'string' && delta.content !== '') {
    onEvent({ kind: 'delta', text: delta.content });
  }
  return typeof choice.finish_reason === 'string' ? choice.finish_reason : null;
}

/** A non-streamed completion (a gateway may answer a fixed reply so), read as the stream would be. */
function readCompletion(body: unknown, onEvent: (event: TurnEvent) => void): { finishReason: string | null } {
  if (!isRecord(body)) throw new CompanionChatError('invalid-response', 'The reply could not be read.');
  const compliance = readCompliance(body.compliance);
  if (compliance) onEvent({ kind: 'compliance', compliance });
  const choice: unknown = Array.isArray(body.choices) ? body.choices[0] : null;
  if (!isRecord(choice)) return { finishReason: null };
  const message = choice.message;
  if (isRecord(message) && typeof message.content === 'string' && message.content !== '') {
    onEvent({ kind: 'delta', text: message.content });
  }
  return { finishReason: typeof choice.finish_reason === 'string' ? choice.finish_reason : null };
}
