/**
 * Typed HTTP client for what the demo chat asks the gateway besides the chat itself (that goes through
 * `useCompanionChat` of `@companion-guard/react`): the character list and the user's copy of their data.
 * Wire fields (snake_case) are read defensively; anything malformed is dropped rather than trusted.
 */
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

export interface ApiClientOptions {
  /** Origin (and optional path prefix) of the gateway; default: the page's own origin. */
  readonly baseUrl?: string;
  /** Sent as a bearer token when set; the keyless local demo needs none. */
  readonly apiKey?: string;
  readonly fetch?: typeof fetch;
}

export interface ApiClient {
  listCharacters(): Promise<CharacterList>;
  /** The user's copy of their history as an HTML page with the AI labels and AIGC metadata (DATA-3, DISC-5). */
  exportHistory(user: string): Promise<Blob>;
}

export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const base = (options.baseUrl ?? '').replace(/\/+$/, '');
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);

  function headers(accept: string): Record<string, string> {
    const result: Record<string, string> = { accept };
    if (options.apiKey) result.authorization = `Bearer ${options.apiKey}`;
    return result;
  }

  async function get(path: string, accept: string): Promise<Response> {
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, { method: 'GET', headers: headers(accept) });
    } catch (cause) {
      throw unreachable(cause);
    }
    if (!response.ok) throw await readErrorResponse(response);
    return response;
  }

  return {
    async exportHistory(user) {
      const response = await get(`/v1/users/${encodeURIComponent(user)}/export?format=html`, 'text/html');
      return response.blob();
    },
    async listCharacters() {
      const response = await get('/v1/characters', 'application/json');
      return parseCharacterList(parseJsonText(await response.text()));
    },
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
