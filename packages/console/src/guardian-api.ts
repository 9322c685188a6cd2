/** The typed client of the gateway's guardian routes (`/api/guardian/...`). */

export interface GuardianSession {
  readonly csrf_token: string;
  readonly expires_at: string;
}

export interface GuardianConsentWire {
  readonly at: string;
  readonly method: string;
  readonly policy_version: string;
  readonly revoked_at: string | null;
}

export interface GuardianControlsWire {
  readonly daily_limit_minutes: number | null;
  readonly quiet_hours: { readonly from: string; readonly to: string } | null;
  readonly blocked_characters: readonly string[];
  readonly spending: boolean;
}

export interface GuardianMinor {
  readonly id: string;
  readonly user: string;
  readonly minor_mode: boolean;
  /** The registered age band (`under-14`, `14-15`, `16-17`, `adult`, … or `unknown`). */
  readonly age_band: string;
  readonly consent: GuardianConsentWire | null;
  readonly controls: GuardianControlsWire;
}

export interface GuardianMinorDetail extends GuardianMinor {
  readonly bounds: {
    readonly max_daily_limit_minutes: number;
    readonly default_daily_limit_minutes: number;
    readonly default_quiet_hours: { readonly from: string; readonly to: string };
    readonly min_quiet_hours: { readonly from: string; readonly to: string };
  };
  readonly usage: readonly { day: string; minutes: number; characters: readonly string[] }[];
  readonly risk_events: readonly { id: string; at: string; kind: string; severity: string }[];
  readonly characters: readonly { id: string; name: { zh: string; en: string } }[];
  /** MINOR-2: what waits for the guardian's consent. */
  readonly consent_required_for: 'all' | 'companion-characters' | 'none';
}

/** A signed deletion receipt (DATA-5); the console shows a few fields and offers the whole as a file. */
export interface DeletionReceiptWire {
  readonly id: string;
  readonly characterId: string | null;
  readonly deletedAt: string;
  readonly messagesDeleted: number;
  readonly signature: string;
}

/** A failed call: the gateway's stable error code. */
export class GuardianApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function call<T>(method: string, path: string, body?: unknown, session?: GuardianSession): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (session) headers['x-csrf-token'] = session.csrf_token;
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (response.status === 204) return undefined as T;
  const json = (await response.json().catch(() => ({}))) as { code?: string; message?: string };
  if (!response.ok) throw new GuardianApiError(response.status, json.code ?? 'error', json.message ?? '');
  return json as T;
}

const minorPath = (id: string) => `/api/guardian/minors/${encodeURIComponent(id)}`;

export const guardianApi = {
  requestCode: (contact: string) => call<unknown>('POST', '/api/guardian/code', { contact }),
  login: (contact: string, code: string) =>
    call<GuardianSession>('POST', '/api/guardian/login', { contact, code }),
  me: () => call<GuardianSession>('GET', '/api/guardian/me'),
  logout: (s: GuardianSession) => call<void>('POST', '/api/guardian/logout', undefined, s),
  consentByLink: (token: string) => call<unknown>('POST', '/api/guardian/consent', { token }),
  minors: async () => (await call<{ data: GuardianMinor[] }>('GET', '/api/guardian/minors')).data,
  minor: (id: string) => call<GuardianMinorDetail>('GET', minorPath(id)),
  consent: (s: GuardianSession, id: string) =>
    call<unknown>('POST', `${minorPath(id)}/consent`, undefined, s),
  revoke: (s: GuardianSession, id: string) =>
    call<unknown>('POST', `${minorPath(id)}/consent/revoke`, undefined, s),
  controls: (s: GuardianSession, id: string, patch: Record<string, unknown>) =>
    call<unknown>('PUT', `${minorPath(id)}/controls`, patch, s),
  deleteHistory: (s: GuardianSession, id: string, characterId: string | null) =>
    call<DeletionReceiptWire>(
      'POST',
      `${minorPath(id)}/history/delete`,
      characterId === null ? {} : { character_id: characterId },
      s,
    ),
  leaveMinorMode: (s: GuardianSession, id: string) =>
    call<unknown>('POST', `${minorPath(id)}/leave-minor-mode`, undefined, s),
};
