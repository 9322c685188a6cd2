/**
 * Typed HTTP client for the companion-guard gateway, as the demo chat uses it.
 *
 * The console talks to the gateway only through this module. Wire fields (snake_case) are read
 * defensively and turned into the camelCase shapes below; anything malformed is dropped rather than
 * trusted.
 */
import type { AiLabelWire, ComplianceWire, DirectiveWire } from '@companion-guard/gateway';
import { createSseParser } from './sse.js';
import {
  ApiError,
  errorBodyOf,
  httpError,
  invalidResponse,
  isRecord,
  type LocalizedText,
  parseJsonText,
  readLocalized,
  unreachable,
} from './wire-read.js';

export type Locale = 'zh' | 'en';

export interface Character {
  readonly id: string;
  readonly name: LocalizedText;
  readonly description: LocalizedText;
  readonly scope: string;
  readonly relation: string;
}

export interface CharacterList {
  readonly characters: readonly Character[];
  /** The character the gateway uses when a request names none; `null` when the gateway did not say. */
  readonly defaultCharacterId: string | null;
}

// The page's view of the gateway's wire contract (`ComplianceWire`, one definition in the gateway), read
// defensively: types and states this page does not know yet are kept, absent parts are `null`.

/** A UI instruction from the gateway. `text` is already in the user's locale. */
export interface Directive extends Omit<DirectiveWire, 'type' | 'data'> {
  readonly type: DirectiveWire['type'] | (string & {});
  readonly data: NonNullable<DirectiveWire['data']> | null;
}

export interface AiLabel {
  /** Explicit AI label, e.g. "内容由人工智能生成". */
  readonly text: AiLabelWire['text'];
  readonly contentId: AiLabelWire['content_id'];
}

/** `active`, `ended` or `crisis` today; kept open so a newer gateway cannot break the page. */
export type SessionState = ComplianceWire['session']['state'] | (string & {});

export interface Compliance {
  readonly directives: readonly Directive[];
  readonly label: AiLabel | null;
  readonly session: { readonly id: string; readonly state: SessionState } | null;
}

export interface Hotline {
  readonly name: string;
  readonly number: string;
}

export interface ChatRequest {
  /** The end user's id (the OpenAI `user` field). */
  readonly user: string;
  /** `null` lets the gateway pick its default character. */
  readonly characterId: string | null;
  readonly locale: Locale;
  /** Only the new user message: the gateway keeps the history of the session. */
  readonly content: string;
}

export type ChatStreamEvent =
  | { readonly kind: 'compliance'; readonly compliance: Compliance }
  | { readonly kind: 'delta'; readonly text: string };

export interface ChatStreamResult {
  /** `stop`, `content_filter`, …; `null` if the stream ended without saying. */
  readonly finishReason: string | null;
}

export interface SessionRequest {
  readonly user: string;
  readonly characterId: string | null;
  readonly locale: Locale;
}

export interface ApiClientOptions {
  /** Origin (and optional path prefix) of the gateway; default: the page's own origin. */
  readonly baseUrl?: string;
  /** Sent as a bearer token when set; the keyless local demo needs none. */
  readonly apiKey?: string;
  readonly fetch?: typeof fetch;
}

export interface ApiClient {
  listCharacters(): Promise<CharacterList>;
  /**
   * Sends one user message and streams the reply. `onEvent` gets each `compliance` object and each
   * content delta in arrival order. Rejects with `ApiError` on an error answer or a broken stream,
   * and with the abort reason when `signal` aborts.
   */
  streamChat(
    request: ChatRequest,
    onEvent: (event: ChatStreamEvent) => void,
    signal?: AbortSignal,
  ): Promise<ChatStreamResult>;
  /** Starts a new session ("new chat"); the answer carries the AI notice among its directives. */
  startSession(request: SessionRequest): Promise<Compliance>;
  /** Ends a session at once (EXIT-1). */
  exitSession(request: { readonly sessionId: string; readonly user: string }): Promise<Compliance>;
  /** The user's copy of their history as an HTML page with the AI labels and AIGC metadata (DATA-3, DISC-5). */
  exportHistory(user: string): Promise<Blob>;
}

export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const base = (options.baseUrl ?? '').replace(/\/+$/, '');
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);

  function headers(json: boolean): Record<string, string> {
    const result: Record<string, string> = { accept: json ? 'application/json' : 'text/event-stream' };
    if (json) result['content-type'] = 'application/json';
    if (options.apiKey) result.authorization = `Bearer ${options.apiKey}`;
    return result;
  }

  async function send(path: string, init: RequestInit): Promise<Response> {
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, init);
    } catch (cause) {
      if (init.signal?.aborted) throw cause;
      throw unreachable(cause);
    }
    if (!response.ok) throw await readErrorResponse(response);
    return response;
  }

  async function postJson(path: string, body: unknown): Promise<unknown> {
    const response = await send(path, { method: 'POST', headers: headers(true), body: JSON.stringify(body) });
    return readJson(response);
  }

  return {
    async exportHistory(user) {
      const path = `/v1/users/${encodeURIComponent(user)}/export?format=html`;
      const response = await send(path, {
        method: 'GET',
        headers: { ...headers(true), accept: 'text/html' },
      });
      return response.blob();
    },
    async listCharacters() {
      const response = await send('/v1/characters', { method: 'GET', headers: headers(true) });
      return parseCharacterList(await readJson(response));
    },

    async streamChat(request, onEvent, signal) {
      const metadata: Record<string, string> = { locale: request.locale };
      if (request.characterId) metadata.character_id = request.characterId;
      const body = {
        model: 'demo',
        stream: true,
        user: request.user,
        messages: [{ role: 'user', content: request.content }],
        metadata,
      };
      const init: RequestInit = {
        method: 'POST',
        headers: { ...headers(false), 'content-type': 'application/json' },
        body: JSON.stringify(body),
      };
      if (signal) init.signal = signal;
      const response = await send('/v1/chat/completions', init);

      const contentType = response.headers.get('content-type') ?? '';
      if (!contentType.includes('text/event-stream')) {
        // A gateway may answer without streaming (e.g. a fixed reply); handle the plain completion too.
        return readPlainCompletion(await readJson(response), onEvent);
      }
      if (!response.body) throw brokenStream('The reply stream was empty.');

      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      const parser = createSseParser();
      let finishReason: string | null = null;
      let done = false;
      let drained = false;
      const handle = (payload: string): void => {
        if (done) return;
        if (payload === '[DONE]') {
          done = true;
          return;
        }
        const chunk = parseJsonText(payload);
        const error = readErrorBody(chunk, 200);
        if (error) throw error;
        const reason = handleChunk(chunk, onEvent);
        if (reason) finishReason = reason;
      };
      try {
        for (;;) {
          const { value, done: ended } = await reader.read();
          if (ended) {
            drained = true;
            break;
          }
          for (const payload of parser.push(value)) handle(payload);
          if (done) break;
        }
        for (const payload of parser.end()) handle(payload);
      } finally {
        // Stop reading what is left (after [DONE], an error chunk or an abort) so the connection is freed.
        if (!drained) await reader.cancel().catch(() => undefined);
      }
      if (!done && finishReason === null) throw brokenStream('The reply stream ended early.');
      return { finishReason };
    },

    async startSession(request) {
      const metadata: Record<string, string> = { locale: request.locale };
      if (request.characterId) metadata.character_id = request.characterId;
      const answer = await postJson('/v1/sessions', { user: request.user, metadata });
      return requireCompliance(answer);
    },

    async exitSession(request) {
      const answer = await postJson(`/v1/sessions/${encodeURIComponent(request.sessionId)}/exit`, {
        user: request.user,
      });
      return requireCompliance(answer);
    },
  };
}

/** Reads the `hotlines` of a `crisis-resources` directive; malformed entries are left out. */
export function readHotlines(directive: Directive): Hotline[] {
  const list = directive.data?.hotlines;
  if (!Array.isArray(list)) return [];
  const result: Hotline[] = [];
  for (const entry of list) {
    if (!isRecord(entry)) continue;
    const name = entry.name;
    const number = entry.number;
    if (typeof name === 'string' && (typeof number === 'string' || typeof number === 'number')) {
      result.push({ name, number: String(number) });
    }
  }
  return result;
}

/** Parses a wire `compliance` object; `null` when it is not one. */
export function parseCompliance(value: unknown): Compliance | null {
  if (!isRecord(value)) return null;
  const directives: Directive[] = [];
  if (Array.isArray(value.directives)) {
    for (const item of value.directives) {
      const directive = parseDirective(item);
      if (directive) directives.push(directive);
    }
  }
  let label: AiLabel | null = null;
  if (isRecord(value.label) && typeof value.label.text === 'string') {
    const contentId = value.label.content_id;
    label = { text: value.label.text, contentId: typeof contentId === 'string' ? contentId : '' };
  }
  let session: Compliance['session'] = null;
  if (isRecord(value.session) && typeof value.session.id === 'string') {
    const state = value.session.state;
    session = { id: value.session.id, state: typeof state === 'string' ? state : 'active' };
  }
  return { directives, label, session };
}

function parseDirective(value: unknown): Directive | null {
  if (!isRecord(value) || typeof value.type !== 'string') return null;
  const display = value.display;
  return {
    type: value.type,
    requirement: typeof value.requirement === 'string' ? value.requirement : '',
    display: display === 'popup' || display === 'banner' ? display : 'inline',
    text: typeof value.text === 'string' ? value.text : '',
    data: isRecord(value.data) ? value.data : null,
  };
}

function parseCharacterList(value: unknown): CharacterList {
  if (!isRecord(value) || !Array.isArray(value.data)) {
    throw invalidResponse('The character list could not be read.');
  }
  const characters: Character[] = [];
  for (const item of value.data) {
    if (!isRecord(item) || typeof item.id !== 'string') continue;
    characters.push({
      id: item.id,
      name: readLocalized(item.name, item.id),
      description: readLocalized(item.description, ''),
      scope: typeof item.scope === 'string' ? item.scope : '',
      relation: typeof item.relation === 'string' ? item.relation : '',
    });
  }
  const fallback = value.default_character_id;
  return { characters, defaultCharacterId: typeof fallback === 'string' ? fallback : null };
}

/** Emits the events of one `chat.completion.chunk`; returns its finish reason, if any. */
function handleChunk(chunk: unknown, onEvent: (event: ChatStreamEvent) => void): string | null {
  if (!isRecord(chunk)) return null;
  if ('compliance' in chunk) {
    const compliance = parseCompliance(chunk.compliance);
    if (compliance) onEvent({ kind: 'compliance', compliance });
  }
  let finishReason: string | null = null;
  if (Array.isArray(chunk.choices)) {
    const choice: unknown = chunk.choices[0];
    if (isRecord(choice)) {
      const delta = choice.delta;
      if (isRecord(delta) && typeof delta.content === 'string' && delta.content !== '') {
        onEvent({ kind: 'delta', text: delta.content });
      }
      if (typeof choice.finish_reason === 'string') finishReason = choice.finish_reason;
    }
  }
  return finishReason;
}

function readPlainCompletion(body: unknown, onEvent: (event: ChatStreamEvent) => void): ChatStreamResult {
  if (!isRecord(body)) throw invalidResponse('The reply could not be read.');
  const compliance = parseCompliance(body.compliance);
  if (compliance) onEvent({ kind: 'compliance', compliance });
  let finishReason: string | null = null;
  if (Array.isArray(body.choices)) {
    const choice: unknown = body.choices[0];
    if (isRecord(choice)) {
      const message = choice.message;
      if (isRecord(message) && typeof message.content === 'string' && message.content !== '') {
        onEvent({ kind: 'delta', text: message.content });
      }
      if (typeof choice.finish_reason === 'string') finishReason = choice.finish_reason;
    }
  }
  return { finishReason };
}

function requireCompliance(answer: unknown): Compliance {
  const compliance = isRecord(answer) ? parseCompliance(answer.compliance) : null;
  if (!compliance) throw invalidResponse('The answer carried no compliance information.');
  return compliance;
}

async function readErrorResponse(response: Response): Promise<ApiError> {
  // A body that cannot be read says no more than one that is not JSON.
  const text = await response.text().catch(() => '');
  return readErrorBody(errorBodyOf(text), response.status) ?? httpError(response.status);
}

/** An OpenAI-shaped `{ error }` body (or the `{ code, message }` of non-chat routes) as an ApiError. */
function readErrorBody(body: unknown, status: number): ApiError | null {
  if (!isRecord(body)) return null;
  const error = isRecord(body.error) ? body.error : 'code' in body && 'message' in body ? body : null;
  if (!error) return null;
  const message = typeof error.message === 'string' ? error.message : 'Unknown error.';
  const code = typeof error.code === 'string' ? error.code : 'unknown_error';
  const type = typeof error.type === 'string' ? error.type : 'api_error';
  return new ApiError(message, { status, code, type });
}

async function readJson(response: Response): Promise<unknown> {
  return parseJsonText(await response.text());
}

function brokenStream(message: string): ApiError {
  return new ApiError(message, { status: 0, code: 'stream_interrupted', type: 'stream_interrupted' });
}
