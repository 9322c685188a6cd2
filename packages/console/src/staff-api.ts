/**
 * Typed HTTP client for the gateway's staff API (`/api/*`), as the staff console uses it.
 *
 * The staff session lives in an HttpOnly cookie the page cannot read; the CSRF token that goes with it is
 * kept here, in memory only, and sent as `X-CSRF-Token` on every state-changing call. Wire fields
 * (snake_case) are read defensively into the camelCase shapes below; an answer that lacks what the page
 * needs is an `ApiError` with code `invalid_response`.
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

export const staffRoles = ['operator', 'compliance', 'auditor', 'admin'] as const;
export type StaffRole = (typeof staffRoles)[number];

export const characterScopes = ['companion', 'tool'] as const;
export type CharacterScope = (typeof characterScopes)[number];

export const characterRelations = ['partner', 'kin', 'friend', 'mentor', 'assistant', 'other'] as const;
export type CharacterRelation = (typeof characterRelations)[number];

/** The signed-in staff member. */
export interface StaffSession {
  /** `null` when the login answer did not name it (it does not today; `GET /api/me` does). */
  readonly id: string | null;
  readonly email: string;
  readonly role: StaffRole;
  /** Epoch milliseconds; `null` when the gateway did not say. */
  readonly expiresAt: number | null;
  /** Whether the account has a second factor (TOTP) enrolled; `null` when the gateway did not say. */
  readonly totp: boolean | null;
}

export interface LoginRequest {
  readonly email: string;
  readonly password: string;
  /** The 6-digit code, on the second step when the gateway answered `totp-required`. */
  readonly totp?: string;
}

export interface StaffMember {
  readonly id: string;
  readonly email: string;
  /** A role this console does not know is kept as the gateway spelled it. */
  readonly role: StaffRole | (string & {});
  readonly disabled: boolean;
  readonly totp: boolean;
  readonly createdAt: number | null;
  readonly lastLoginAt: number | null;
}

export interface NewStaffRequest {
  readonly email: string;
  readonly role: StaffRole;
  readonly password: string;
}

export interface NewStaff {
  readonly id: string;
  readonly email: string;
  readonly role: StaffRole | (string & {});
  /** The `otpauth://` URI to add to an authenticator app; shown once, for admins only. */
  readonly totpUri: string | null;
}

/** A character as the admin pages see it. */
export interface ManagedCharacter {
  readonly id: string;
  readonly name: LocalizedText;
  readonly description: LocalizedText;
  readonly scope: CharacterScope | (string & {});
  readonly relation: CharacterRelation | (string & {});
  readonly persona: string;
  readonly model: string | null;
  readonly enabled: boolean;
  /** `config` characters come from the configuration file and are read-only here. */
  readonly managedBy: 'console' | 'config' | (string & {});
}

/** What `PUT /api/characters/:id` takes: creates the character or replaces a console-managed one. */
export interface CharacterInput {
  readonly id: string;
  readonly name: LocalizedText;
  readonly description: LocalizedText;
  readonly scope: CharacterScope;
  readonly relation: CharacterRelation;
  /** Instructions the model gets for this character; empty for none. */
  readonly persona: string;
  /** `null`: the gateway's configured model. */
  readonly model: string | null;
  readonly enabled: boolean;
}

export interface ApiKeySummary {
  readonly id: string;
  readonly label: string;
  readonly createdAt: number | null;
  readonly revokedAt: number | null;
}

export interface NewApiKey {
  readonly id: string;
  readonly label: string;
  /** The bearer secret; the gateway keeps only its hash, so this is the one time it is seen. */
  readonly secret: string;
}

export interface StaffApiOptions {
  /** Origin (and optional path prefix) of the gateway; default: the page's own origin. */
  readonly baseUrl?: string;
  readonly fetch?: typeof fetch;
  /**
   * Called when a call other than login or me answers `401`: the staff session expired or was ended elsewhere.
   * The CSRF token is already forgotten by then.
   */
  readonly onUnauthorized?: () => void;
}

export interface StaffApiClient {
  /**
   * Signs in. Rejects with `ApiError` codes `invalid-credentials`, `totp-required` (repost with `totp`),
   * `invalid-totp` (401) or `account-locked` (423), or `network_error` when the gateway is unreachable.
   */
  login(request: LoginRequest): Promise<StaffSession>;
  /** Ends the session; an already expired session counts as ended. */
  logout(): Promise<void>;
  /** The current session from the cookie, or `null` when there is none (401, or 403 for a non-staff caller). */
  me(): Promise<StaffSession | null>;
  listStaff(): Promise<StaffMember[]>;
  addStaff(request: NewStaffRequest): Promise<NewStaff>;
  disableStaff(id: string): Promise<void>;
  listCharacters(): Promise<ManagedCharacter[]>;
  saveCharacter(character: CharacterInput): Promise<void>;
  listKeys(): Promise<ApiKeySummary[]>;
  createKey(label: string): Promise<NewApiKey>;
  revokeKey(id: string): Promise<void>;
}

export function createStaffApiClient(options: StaffApiOptions = {}): StaffApiClient {
  const base = (options.baseUrl ?? '').replace(/\/+$/, '');
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  let csrfToken: string | null = null;

  async function call(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<unknown> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (method !== 'GET' && csrfToken !== null) headers['x-csrf-token'] = csrfToken;
    const init: RequestInit = { method, headers, credentials: 'same-origin' };
    if (body !== undefined) init.body = JSON.stringify(body);
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, init);
    } catch (cause) {
      throw unreachable(cause);
    }
    const text = await response.text();
    if (!response.ok) {
      const error = readError(response.status, text);
      if (response.status === 401) {
        csrfToken = null;
        // Login and me are how the page asks whether it is signed in; a 401 there is an answer, not news.
        if (path !== '/api/login' && path !== '/api/me') options.onUnauthorized?.();
      }
      throw error;
    }
    return text === '' ? null : parseJsonText(text);
  }

  function startSession(answer: unknown): StaffSession {
    const session = parseSession(answer);
    csrfToken = session.csrfToken;
    return session.session;
  }

  return {
    async login(request) {
      const body: Record<string, string> = { email: request.email, password: request.password };
      if (request.totp !== undefined) body.totp = request.totp;
      return startSession(await call('POST', '/api/login', body));
    },

    async logout() {
      try {
        await call('POST', '/api/logout');
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 401)) throw error;
      }
      csrfToken = null;
    },

    async me() {
      let answer: unknown;
      try {
        answer = await call('GET', '/api/me');
      } catch (error) {
        // 403: the caller is not staff (e.g. a request that carries an app key).
        if (error instanceof ApiError && (error.status === 401 || error.status === 403)) return null;
        throw error;
      }
      return startSession(answer);
    },

    async listStaff() {
      return readList(await call('GET', '/api/staff'), parseStaffMember);
    },

    async addStaff(request) {
      const answer = await call('POST', '/api/staff', request);
      if (!isRecord(answer) || typeof answer.id !== 'string') {
        throw invalidResponse('The new staff member could not be read.');
      }
      return {
        id: answer.id,
        email: typeof answer.email === 'string' ? answer.email : request.email,
        role: typeof answer.role === 'string' ? answer.role : request.role,
        totpUri: typeof answer.totp_uri === 'string' && answer.totp_uri !== '' ? answer.totp_uri : null,
      };
    },

    async disableStaff(id) {
      await call('POST', `/api/staff/${encodeURIComponent(id)}/disable`);
    },

    async listCharacters() {
      return readList(await call('GET', '/api/characters'), parseCharacter);
    },

    async saveCharacter(character) {
      // A PUT replaces the character: every field is sent, so nothing is left over from before.
      const body = {
        name: character.name,
        description: character.description,
        scope: character.scope,
        relation: character.relation,
        persona: character.persona,
        model: character.model,
        enabled: character.enabled,
      };
      await call('PUT', `/api/characters/${encodeURIComponent(character.id)}`, body);
    },

    async listKeys() {
      return readList(await call('GET', '/api/keys'), parseApiKey);
    },

    async createKey(label) {
      const answer = await call('POST', '/api/keys', { label });
      if (!isRecord(answer) || typeof answer.id !== 'string' || typeof answer.secret !== 'string') {
        throw invalidResponse('The new API key could not be read.');
      }
      return {
        id: answer.id,
        label: typeof answer.label === 'string' ? answer.label : label,
        secret: answer.secret,
      };
    },

    async revokeKey(id) {
      await call('POST', `/api/keys/${encodeURIComponent(id)}/revoke`);
    },
  };
}

export function isStaffRole(value: unknown): value is StaffRole {
  return (staffRoles as readonly unknown[]).includes(value);
}

/** The session and its CSRF token from a login or `GET /api/me` answer. */
function parseSession(value: unknown): { session: StaffSession; csrfToken: string } {
  if (
    !isRecord(value) ||
    typeof value.csrf_token !== 'string' ||
    value.csrf_token === '' ||
    typeof value.email !== 'string' ||
    !isStaffRole(value.role)
  ) {
    throw invalidResponse('The sign-in answer lacks the email, a known role or the CSRF token.');
  }
  return {
    csrfToken: value.csrf_token,
    session: {
      id: typeof value.id === 'string' ? value.id : null,
      email: value.email,
      role: value.role,
      expiresAt: readTime(value.expires_at),
      totp: typeof value.totp === 'boolean' ? value.totp : null,
    },
  };
}

function parseStaffMember(item: Record<string, unknown>): StaffMember | null {
  if (typeof item.id !== 'string' || typeof item.email !== 'string' || typeof item.role !== 'string')
    return null;
  return {
    id: item.id,
    email: item.email,
    role: item.role,
    disabled: item.disabled === true,
    totp: item.totp === true,
    createdAt: readTime(item.created_at),
    lastLoginAt: readTime(item.last_login_at),
  };
}

function parseCharacter(item: Record<string, unknown>): ManagedCharacter | null {
  if (typeof item.id !== 'string') return null;
  return {
    id: item.id,
    name: readLocalized(item.name, item.id),
    description: readLocalized(item.description, ''),
    scope: typeof item.scope === 'string' ? item.scope : '',
    relation: typeof item.relation === 'string' ? item.relation : '',
    persona: typeof item.persona === 'string' ? item.persona : '',
    model: typeof item.model === 'string' && item.model !== '' ? item.model : null,
    enabled: item.enabled !== false,
    // Anything the gateway does not mark as console-managed is treated as read-only.
    managedBy: typeof item.managed_by === 'string' ? item.managed_by : 'config',
  };
}

function parseApiKey(item: Record<string, unknown>): ApiKeySummary | null {
  if (typeof item.id !== 'string') return null;
  return {
    id: item.id,
    label: typeof item.label === 'string' ? item.label : '',
    createdAt: readTime(item.created_at),
    revokedAt: readTime(item.revoked_at),
  };
}

/** The `data` array of a list answer, malformed entries left out. */
function readList<T>(value: unknown, parse: (item: Record<string, unknown>) => T | null): T[] {
  if (!isRecord(value) || !Array.isArray(value.data)) throw invalidResponse('The list could not be read.');
  const result: T[] = [];
  for (const item of value.data) {
    const parsed = isRecord(item) ? parse(item) : null;
    if (parsed !== null) result.push(parsed);
  }
  return result;
}

/** Epoch milliseconds from a number of milliseconds or an ISO date string; `null` otherwise. */
function readTime(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string') {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? null : ms;
  }
  return null;
}

/** The `{ code, message }` error body of `/api`, or a generic error for the status. */
function readError(status: number, text: string): ApiError {
  const body = errorBodyOf(text);
  if (isRecord(body) && typeof body.code === 'string') {
    const message = typeof body.message === 'string' ? body.message : `HTTP ${status}`;
    return new ApiError(message, { status, code: body.code, type: 'api_error' });
  }
  return httpError(status);
}
