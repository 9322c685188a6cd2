import { timingSafeEqual } from 'node:crypto';
import { CgError, type StaffRole } from '@companion-guard/core';
import type { Context, Hono, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';

/** Who may call a route: the companion app (API key), a staff role (console session) or a guardian. */
export type Caller = 'app' | StaffRole | 'guardian';

/** `public`: anyone; otherwise the callers allowed. */
export type Access = 'public' | readonly Caller[];

const anyStaff = ['operator', 'compliance', 'auditor', 'admin'] as const satisfies readonly StaffRole[];

/**
 * The one authorization matrix: every route the gateway serves and who may call it. A route that is not
 * listed cannot be registered (`secureRoutes` throws), and a test walks every registered route with every
 * caller. An app key never reaches `/api/`; a staff session never chats as a user.
 */
export const authorizationMatrix = {
  'GET /healthz': 'public',
  /** Prometheus metrics: numbers only; loopback peers, or anyone with the metrics token (config `metrics`). */
  'GET /metrics': 'public',
  'GET /readyz': 'public',

  'GET /v1/characters': ['app'],
  /** NOTICE-1: the service notices in force, for the app to show outside the chat too. */
  'GET /v1/notices': ['app'],
  'POST /v1/chat/completions': ['app'],
  'POST /v1/sessions': ['app'],
  'POST /v1/sessions/:id/exit': ['app'],
  'PUT /v1/users/:user': ['app'],
  'GET /v1/users/:user': ['app'],
  // Data rights (DATA-2..4, DISC-5): the app acts on its user's request.
  'GET /v1/users/:user/export': ['app'],
  'DELETE /v1/users/:user/history': ['app'],
  'PUT /v1/users/:user/consents': ['app'],
  'GET /v1/users/:user/consents': ['app'],
  /** Live session events (SSE): operator messages, takeover, the end of the session. */
  'GET /v1/sessions/:id/events': ['app'],

  'POST /api/login': 'public',
  'POST /api/logout': anyStaff,
  'GET /api/me': anyStaff,
  'GET /api/staff': ['admin'],
  'POST /api/staff': ['admin'],
  'POST /api/staff/:id/disable': ['admin'],
  'GET /api/characters': ['admin'],
  'PUT /api/characters/:id': ['admin'],
  'GET /api/keys': ['admin'],
  'POST /api/keys': ['admin'],
  'POST /api/keys/:id/revoke': ['admin'],
  /** DATA-1: reading conversation text needs a stated purpose, is audited, and only the assigned operator may. */
  'GET /api/sessions/:id/messages': ['operator'],
  /** The live incident queue (SSE). */
  'GET /api/incidents/events': ['operator'],

  /** Incidents (RISK-4..6): the queue and figures hold no text; conversations only for the assigned operator. */
  'GET /api/incidents': ['operator', 'compliance'],
  'POST /api/incidents': ['operator'],
  'GET /api/incidents/figures': anyStaff,
  'GET /api/incidents/:id': ['operator', 'compliance'],
  'POST /api/incidents/:id/claim': ['operator'],
  'GET /api/incidents/:id/messages': ['operator'],
  'POST /api/incidents/:id/messages': ['operator'],
  'POST /api/incidents/:id/notes': ['operator'],
  'POST /api/incidents/:id/handback': ['operator'],
  'POST /api/incidents/:id/close': ['operator'],
  'GET /api/me/duty': ['operator'],
  'PUT /api/me/duty': ['operator'],
  /** RISK-4: the crisis queue is open and visible; an operator is on duty only while this is recent. */
  'POST /api/me/heartbeat': ['operator'],
  /** RISK-4: the console left its crisis queue (page closed or another page opened): not on duty from now. */
  'DELETE /api/me/heartbeat': ['operator'],

  /** LOG-1: the audit chain checked against the signed checkpoints (no conversation text). */
  'GET /api/audit/verification': ['auditor', 'compliance'],
  /** Guardians (MINOR-2, MINOR-4): sign-in by one-time code; linked minors only (checked per minor). */
  'POST /api/guardian/code': 'public',
  'POST /api/guardian/login': 'public',
  /** Consent by the link sent to the guardian: the link's token is the credential. */
  'POST /api/guardian/consent': 'public',
  'POST /api/guardian/logout': ['guardian'],
  'GET /api/guardian/me': ['guardian'],
  'GET /api/guardian/minors': ['guardian'],
  'GET /api/guardian/minors/:user': ['guardian'],
  'POST /api/guardian/minors/:user/consent': ['guardian'],
  'POST /api/guardian/minors/:user/consent/revoke': ['guardian'],
  'PUT /api/guardian/minors/:user/controls': ['guardian'],
  'POST /api/guardian/minors/:user/leave-minor-mode': ['guardian'],
  'POST /api/guardian/minors/:user/history/delete': ['guardian'],
  'POST /v1/users/:user/guardian-consent': ['app'],
  /** MINOR-4: before any recharge. */
  'POST /v1/spending/check': ['app'],
  /** MINOR-5: the app files an appeal on the user's request; compliance staff decide it. */
  'POST /v1/users/:user/appeals': ['app'],
  'GET /api/appeals': ['compliance'],
  'POST /api/appeals/:id/decide': ['compliance'],
  /** NOTICE-1: service notices; ASSESS-3: switches (who, when, why). Compliance staff only. */
  'GET /api/notices': ['compliance'],
  'POST /api/notices': ['compliance'],
  'POST /api/notices/:id/cancel': ['compliance'],
  'GET /api/switches': ['compliance'],
  'POST /api/switches': ['compliance'],
  /** ASSESS-2: the assessment report (figures only, no text, no user id); every generation audited. */
  'GET /api/reports/assessment': ['compliance', 'auditor'],
  /** ASSESS-1/2: usage figures and assessment triggers (numbers only). ASSESS-4, GOV-1: filing and checklist. */
  'GET /api/stats': ['compliance', 'auditor'],
  'GET /api/filing': ['compliance', 'auditor'],
  'PUT /api/filing': ['compliance'],
  'GET /api/checklist': ['compliance', 'auditor'],
  'PUT /api/checklist/:id': ['compliance'],
  'DELETE /api/checklist/:id': ['compliance'],

  /** COMPLAINT-1: the app files complaints and reads the process on the user's behalf; compliance staff handle them. */
  'POST /v1/complaints': ['app'],
  'GET /v1/complaints/process': ['app'],
  'GET /v1/users/:user/complaints': ['app'],
  'GET /api/complaints': ['compliance'],
  'POST /api/complaints/:id/assign': ['compliance'],
  'POST /api/complaints/:id/status': ['compliance'],
  'POST /api/complaints/:id/replies': ['compliance'],

  /** The console (static files): the pages themselves hold no data; their API calls are checked. */
  'GET /*': 'public',
} as const satisfies Record<string, Access>;

export type RouteKey = keyof typeof authorizationMatrix;

/** The authenticated caller of a request. */
export type Principal =
  | { readonly kind: 'public' }
  | { readonly kind: 'app'; readonly keyId: string | null }
  | {
      readonly kind: 'staff';
      readonly staffId: string;
      readonly email: string;
      readonly role: StaffRole;
      readonly sessionId: string;
      readonly csrfToken: string;
      /** When the session ends unless used again (idle expiry, capped by the absolute expiry). */
      readonly expiresAt: number;
      /** Whether the account has a second factor enrolled. */
      readonly totp: boolean;
    }
  | GuardianPrincipal;

/** A signed-in guardian: the keyed id of the contact they proved, never the contact. */
export interface GuardianPrincipal {
  readonly kind: 'guardian';
  readonly guardianId: string;
  readonly channel: 'email' | 'phone';
  readonly sessionId: string;
  readonly csrfToken: string;
  readonly expiresAt: number;
}

/** A signed-in staff member. */
export type StaffPrincipal = Extract<Principal, { kind: 'staff' }>;

/** How callers prove who they are. Implemented by the composition root over the store. */
export interface Authenticator {
  /**
   * True when requests without an API key are the app's: no active key exists and the server listens on
   * loopback only.
   */
  keylessApp(): Promise<boolean>;
  /** The key's id if `token` is an active API key. */
  verifyApiKey(token: string): Promise<{ keyId: string } | undefined>;
  /** The staff session of a session cookie, if it is valid and not expired (sliding expiry is its own). */
  verifyStaffSession(token: string): Promise<StaffPrincipal | undefined>;
  /** The guardian session of a guardian cookie, if it is valid and not expired. */
  verifyGuardianSession(token: string): Promise<GuardianPrincipal | undefined>;
  /** Drops cached key state after a key was created or revoked here, on this instance and on the others. */
  apiKeysChanged(): void;
}

/** Name of the staff session cookie (`HttpOnly`, `SameSite=Strict`). */
export const staffCookie = 'cg_session';
/** Name of the guardian session cookie (`HttpOnly`, `SameSite=Strict`); read on guardian routes only. */
export const guardianCookie = 'cg_guardian';

export type AppEnv = { Variables: { principal: Principal; route: RouteKey } };

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

const publicCaller: Principal = { kind: 'public' };
const keylessCaller: Principal = { kind: 'app', keyId: null };

/** Constant-time comparison of a presented token with the expected one. */
export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function authenticate(
  c: Context<AppEnv>,
  auth: Authenticator,
  access: readonly Caller[],
): Promise<Principal> {
  const header = c.req.header('authorization');
  if (header !== undefined) {
    const token = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    const key = token ? await auth.verifyApiKey(token) : undefined;
    if (key) return { kind: 'app', keyId: key.keyId };
    // Keyless loopback mode ignores whatever placeholder key a client sends.
    if (await auth.keylessApp()) return keylessCaller;
    throw new CgError('unauthorized');
  }
  const cookie = getCookie(c, staffCookie);
  const guardianToken = getCookie(c, guardianCookie);
  // A guardian cookie counts on guardian routes, and elsewhere only without a staff cookie (then to refuse).
  if (guardianToken !== undefined && (access.includes('guardian') || cookie === undefined)) {
    if (!access.includes('guardian') && access.includes('app') && (await auth.keylessApp())) {
      return keylessCaller;
    }
    const guardian = await auth.verifyGuardianSession(guardianToken);
    if (guardian) return guardian;
    if (cookie === undefined) {
      throw new CgError('unauthorized', 'The guardian session is missing or expired; sign in again.');
    }
  }
  if (cookie !== undefined) {
    const staff = await auth.verifyStaffSession(cookie);
    if (staff && access.includes(staff.role)) return staff;
    // The demo chat and the console share an origin (and the cookie): on a keyless loopback server an app
    // route ignores the staff cookie, as it would accept the request without it.
    if (access.includes('app') && (await auth.keylessApp())) return keylessCaller;
    if (!staff) throw new CgError('unauthorized', 'The staff session is missing or expired; sign in again.');
    return staff;
  }
  // Without credentials a keyless loopback server treats the caller as the app, on the app's routes only.
  if (access.includes('app') && (await auth.keylessApp())) return keylessCaller;
  throw new CgError('unauthorized');
}

function guard(key: RouteKey, auth: Authenticator): MiddlewareHandler<AppEnv> {
  const access: Access = authorizationMatrix[key];
  return async (c, next) => {
    c.set('route', key);
    if (access === 'public') {
      c.set('principal', publicCaller);
      return next();
    }
    const principal = await authenticate(c, auth, access);
    const caller: Caller =
      principal.kind === 'staff' ? principal.role : principal.kind === 'guardian' ? 'guardian' : 'app';
    if (principal.kind === 'public' || !access.includes(caller)) throw new CgError('forbidden');
    if ((principal.kind === 'staff' || principal.kind === 'guardian') && !safeMethods.has(c.req.method)) {
      if (!sameSecret(c.req.header('x-csrf-token') ?? '', principal.csrfToken)) {
        throw new CgError('forbidden', 'The X-CSRF-Token header is missing or does not match the session.');
      }
    }
    c.set('principal', principal);
    return next();
  };
}

type Handler = (c: Context<AppEnv>) => Response | Promise<Response>;
type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** Registers routes through the authorization matrix; the only way routes are added to the app. */
export interface SecureRoutes {
  route(key: RouteKey, handler: Handler): void;
}

/**
 * Wraps `app` so that every route is registered with its matrix entry enforced in front of it: a missing
 * or bad credential is `401 unauthorized`, a caller the matrix does not list is `403 forbidden`, and a
 * staff request that changes state without the session's CSRF token is `403 forbidden`.
 */
export function secureRoutes(app: Hono<AppEnv>, auth: Authenticator): SecureRoutes {
  return {
    route(key, handler) {
      const [method, path] = key.split(' ') as [Method, string];
      const verb = method.toLowerCase() as 'get' | 'post' | 'put' | 'delete';
      app[verb](path, guard(key, auth), handler);
    },
  };
}
