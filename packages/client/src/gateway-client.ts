/**
 * The app's calls to the gateway besides the chat itself: exit, new chat, user profiles, complaints and the
 * session events stream. Built on `fetch` (browsers and Node 18+); pass your own `fetch` to test or proxy.
 */
import { complianceOf, errorFrom, GatewayError } from './compliance.js';
import { type SessionEventsOptions, sessionEvents } from './events.js';
import type {
  CharacterList,
  Complaint,
  ComplaintProcess,
  ComplaintRequest,
  Compliance,
  ProfileUpdate,
  SessionEvent,
  UserProfile,
} from './wire.js';

export interface GatewayClientOptions {
  /** The gateway's `/v1` URL, as given to the `openai` client, e.g. `http://127.0.0.1:8787/v1`. */
  readonly baseURL: string;
  /**
   * The app's API key (sent as `Authorization: Bearer`); omit for a keyless loopback gateway. Never ship it
   * to a browser: there, point `baseURL` at your backend, which forwards to the gateway with the key.
   */
  readonly apiKey?: string;
  /** Headers sent with every call (e.g. your backend's own session header). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Defaults to the global `fetch`. */
  readonly fetch?: typeof fetch;
}

/** Options of the session actions. */
export interface SessionActionOptions {
  /** The user's locale for the directives' texts. */
  readonly locale?: 'zh' | 'en';
  readonly signal?: AbortSignal;
}

export interface GatewayClient {
  /**
   * EXIT-1 (the exit button) or a voice exit: ends the session at once. The answer's directives are
   * `exit-confirmed` and `session-ended`; its session state is `ended`.
   */
  exit(
    sessionId: string,
    user: string,
    options?: SessionActionOptions & { readonly via?: 'button' | 'voice' },
  ): Promise<Compliance>;
  /** "New chat": always a fresh session (with the AI notice, DISC-1), with the character if given. */
  newChat(
    user: string,
    options?: SessionActionOptions & { readonly characterId?: string },
  ): Promise<Compliance>;
  /** REG-1: registers the user on first sight and updates the profile; absent fields stay, null clears. */
  updateProfile(
    user: string,
    update: ProfileUpdate,
    options?: { signal?: AbortSignal },
  ): Promise<UserProfile>;
  /** The user's profile; a `GatewayError` with code `not-found` for a user never registered. */
  getProfile(user: string, options?: { signal?: AbortSignal }): Promise<UserProfile>;
  /** COMPLAINT-1: files the user's complaint, report or appeal; the answer is the complaint with its deadlines. */
  complain(complaint: ComplaintRequest, options?: { signal?: AbortSignal }): Promise<Complaint>;
  /** COMPLAINT-1: the user's complaints, with their status, deadlines and staff replies. */
  listComplaints(user: string, options?: { signal?: AbortSignal }): Promise<readonly Complaint[]>;
  /** COMPLAINT-1: the published complaint process (text and deadlines) in `locale` (default: the deployment's). */
  complaintProcess(options?: { locale?: 'zh' | 'en'; signal?: AbortSignal }): Promise<ComplaintProcess>;
  /** The characters to offer; with `user`, only those this user may use (MINOR-3, ELDER-3). */
  listCharacters(options?: { user?: string; signal?: AbortSignal }): Promise<CharacterList>;
  /** The session's live events (operator messages, takeover, the end), reconnecting; see `sessionEvents`. */
  sessionEvents(
    sessionId: string,
    user: string,
    options?: Omit<SessionEventsOptions, 'url' | 'headers' | 'fetch'>,
  ): AsyncIterable<SessionEvent>;
}

/**
 * A client for the gateway's app routes. Every error answer throws a `GatewayError` with the stable code.
 *
 * @example
 * const gateway = createGatewayClient({ baseURL: 'http://127.0.0.1:8787/v1', apiKey });
 * const compliance = await gateway.exit(sessionId, 'u-1');
 */
export function createGatewayClient(options: GatewayClientOptions): GatewayClient {
  const base = options.baseURL.replace(/\/+$/, '');
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const headers: Record<string, string> = {
    ...options.headers,
    ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
  };
  const path = (...parts: string[]) => `${base}/${parts.map(encodeURIComponent).join('/')}`;

  async function call(
    method: string,
    url: string,
    body: unknown,
    signal: AbortSignal | undefined,
  ): Promise<unknown> {
    const res = await doFetch(url, {
      method,
      headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      ...(signal ? { signal } : {}),
    });
    const json: unknown = await res.json().catch(() => null);
    if (!res.ok) throw errorFrom(res.status, json);
    return json;
  }

  async function envelope(url: string, body: unknown, signal: AbortSignal | undefined): Promise<Compliance> {
    const json = await call('POST', url, body, signal);
    const c = complianceOf(json);
    if (!c)
      throw new GatewayError(502, 'invalid-response', 'The gateway answered without a compliance envelope.');
    return c;
  }

  const metadata = (o: { locale?: string; characterId?: string }) =>
    o.locale || o.characterId
      ? {
          metadata: {
            ...(o.characterId ? { character_id: o.characterId } : {}),
            ...(o.locale ? { locale: o.locale } : {}),
          },
        }
      : {};

  return {
    exit: (sessionId, user, o = {}) =>
      envelope(
        path('sessions', sessionId, 'exit'),
        { user, via: o.via ?? 'button', ...metadata(o) },
        o.signal,
      ),
    newChat: (user, o = {}) => envelope(path('sessions'), { user, ...metadata(o) }, o.signal),
    updateProfile: async (user, update, o = {}) =>
      (await call('PUT', path('users', user), update, o.signal)) as UserProfile,
    getProfile: async (user, o = {}) =>
      (await call('GET', path('users', user), undefined, o.signal)) as UserProfile,
    complain: async (complaint, o = {}) =>
      (await call('POST', path('complaints'), complaint, o.signal)) as Complaint,
    listComplaints: async (user, o = {}) =>
      ((await call('GET', path('users', user, 'complaints'), undefined, o.signal)) as { data: Complaint[] })
        .data,
    complaintProcess: async (o = {}) =>
      (await call(
        'GET',
        `${path('complaints', 'process')}${o.locale ? `?locale=${o.locale}` : ''}`,
        undefined,
        o.signal,
      )) as ComplaintProcess,
    listCharacters: async (o = {}) =>
      (await call(
        'GET',
        `${path('characters')}${o.user ? `?user=${encodeURIComponent(o.user)}` : ''}`,
        undefined,
        o.signal,
      )) as CharacterList,
    sessionEvents: (sessionId, user, o = {}) =>
      sessionEvents({
        ...o,
        url: `${path('sessions', sessionId, 'events')}?user=${encodeURIComponent(user)}`,
        headers,
        fetch: doFetch,
      }),
  };
}
