import { CgError, type StaffRecord } from '@companion-guard/core';
import type { Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { type AppEnv, type SecureRoutes, type StaffPrincipal, staffCookie } from '../auth/authorization.js';
import { maxPasswordLength } from '../auth/passwords.js';
import { addStaffAccount, disableStaffAccount } from '../auth/staff-auth.js';
import type { RouteDeps } from '../deps.js';
import { readBody } from '../read-body.js';
import { registerAdminRoutes } from './admin-routes.js';
import { registerTranscriptRoutes } from './transcript-routes.js';
import { isoTime, staffPrincipal } from './wire.js';

const loginBody = z.object({
  email: z.string().min(1).max(320),
  password: z.string().min(1).max(maxPasswordLength),
  totp: z.string().max(16).optional(),
});

const newStaffBody = z.object({
  email: z.string(),
  role: z.enum(['operator', 'compliance', 'auditor', 'admin']),
  password: z.string(),
  totp: z.boolean().optional(),
});

/** True when the browser reached us over https (directly or through a proxy that says so). */
function overHttps(c: Context<AppEnv>): boolean {
  const forwarded = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  return forwarded === 'https' || new URL(c.req.url).protocol === 'https:';
}

/** `Secure` behind https, and always off loopback (a TLS proxy may not say `X-Forwarded-Proto`). */
export const cookieOptions = (c: Context<AppEnv>, loopback: boolean) =>
  ({ httpOnly: true, sameSite: 'Strict', path: '/', secure: !loopback || overHttps(c) }) as const;

const sessionJson = (p: StaffPrincipal) => ({
  csrf_token: p.csrfToken,
  role: p.role,
  email: p.email,
  expires_at: isoTime(p.expiresAt),
});

const staffJson = (s: StaffRecord) => ({
  id: s.id,
  email: s.email,
  role: s.role,
  disabled: s.disabled,
  totp: s.totpSecret !== null,
  created_at: isoTime(s.createdAt),
  last_login_at: s.lastLoginAt === null ? null : isoTime(s.lastLoginAt),
});

/**
 * Staff routes under `/api`: sign-in, sign-out and `me` for every role; staff accounts, characters and API
 * keys for admins; conversation reads for operators (DATA-1). JSON bodies are snake_case.
 */
export function registerStaffRoutes(routes: SecureRoutes, deps: RouteDeps): void {
  routes.route('POST /api/login', async (c) => {
    const body = await readBody(c.req.raw, deps.maxBodyBytes, loginBody);
    const { token, principal } = await deps.staff.login(body);
    setCookie(c, staffCookie, token, cookieOptions(c, deps.hosts.loopback));
    return c.json(sessionJson(principal));
  });

  routes.route('POST /api/logout', async (c) => {
    await deps.staff.logout(staffPrincipal(c));
    deleteCookie(c, staffCookie, cookieOptions(c, deps.hosts.loopback));
    return c.body(null, 204);
  });

  routes.route('GET /api/me', (c) => {
    const me = staffPrincipal(c);
    return c.json({ id: me.staffId, ...sessionJson(me), totp: me.totp });
  });

  routes.route('GET /api/staff', async (c) =>
    c.json({ data: (await deps.store.staff.listStaff()).map(staffJson) }),
  );

  routes.route('POST /api/staff', async (c) => {
    const body = await readBody(c.req.raw, deps.maxBodyBytes, newStaffBody);
    const { staff, totpUri } = await addStaffAccount(deps.store, {
      ...body,
      now: deps.clock.now(),
      by: staffPrincipal(c).staffId,
    });
    return c.json(
      { id: staff.id, email: staff.email, role: staff.role, ...(totpUri ? { totp_uri: totpUri } : {}) },
      201,
    );
  });

  routes.route('POST /api/staff/:id/disable', async (c) => {
    const me = staffPrincipal(c);
    const id = c.req.param('id') ?? '';
    if (id === me.staffId)
      throw new CgError('invalid-request', 'An administrator cannot disable their own account.');
    await disableStaffAccount(deps.store, id, deps.clock.now(), me.staffId);
    return c.json({ id, disabled: true });
  });

  registerAdminRoutes(routes, deps);
  registerTranscriptRoutes(routes, deps);
}
