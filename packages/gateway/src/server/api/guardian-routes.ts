import {
  type AgeBand,
  type AuditInput,
  CgError,
  consentRequired,
  type GuardianControlsPatch,
  isMinorBand,
  localDay,
  type MinorState,
  timeZoneOf,
  type UserRecord,
  userAgeBand,
} from '@companion-guard/core';
import type { Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import {
  type AppEnv,
  type GuardianPrincipal,
  guardianCookie,
  type SecureRoutes,
} from '../auth/authorization.js';
import { createDeletionService } from '../data-rights/deletion-service.js';
import type { AppDeps } from '../deps.js';
import { readBody } from '../read-body.js';
import { cookieOptions } from './staff-routes.js';
import { isoTime } from './wire.js';

const codeBody = z.object({ contact: z.string().min(1).max(320) });
const loginBody = z.object({ contact: z.string().min(1).max(320), code: z.string().min(1).max(16) });
const linkBody = z.object({ token: z.string().min(1).max(200) });
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);
const controlsBody = z
  .object({
    daily_limit_minutes: z.number().int().positive().nullable().optional(),
    quiet_hours: z.object({ from: clockTime, to: clockTime }).strict().nullable().optional(),
    blocked_characters: z.array(z.string().min(1).max(100)).max(200).optional(),
    spending: z.boolean().optional(),
  })
  .strict();
const deleteBody = z.object({ character_id: z.string().min(1).max(128).optional() }).strict();

/** Days of use the console shows. */
const summaryDays = 7;
/** Risk events shown: the last 30 days, at most 50. */
const riskWindowMs = 30 * 86_400_000;

function guardianOf(c: Context<AppEnv>): GuardianPrincipal {
  const principal = c.get('principal');
  if (principal.kind !== 'guardian') throw new CgError('forbidden');
  return principal;
}

/** Minutes of a `HH:MM`–`HH:MM` window as a set of minute-of-day numbers (crossing midnight when from > to). */
function windowMinutes(w: { from: string; to: string }): Set<number> {
  const minute = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
  const out = new Set<number>();
  const from = minute(w.from);
  const length = (minute(w.to) - from + 1440) % 1440;
  for (let i = 0; i < length; i++) out.add((from + i) % 1440);
  return out;
}

const stateJson = (state: MinorState) => ({
  minor_mode: state.mode === 'on',
  reason: state.reason,
  consent:
    state.consent === null
      ? null
      : {
          at: isoTime(state.consent.at),
          method: state.consent.method,
          policy_version: state.consent.policyVersion,
          revoked_at: state.consent.revokedAt === null ? null : isoTime(state.consent.revokedAt),
        },
  controls: {
    daily_limit_minutes: state.controls.dailyLimitMinutes,
    quiet_hours: state.controls.quietHours,
    blocked_characters: state.controls.blockedCharacters,
    spending: state.controls.spending,
  },
});

/**
 * Guardians' routes (MINOR-2, MINOR-4) under `/api/guardian`: sign-in by one-time code, the linked minors
 * only, consent, controls within the profile's bounds, leaving minor mode. Every action is audited
 * `guardian-action` (MINOR-4) in the transaction of its change. JSON bodies are snake_case.
 */
export function registerGuardianRoutes(routes: SecureRoutes, deps: AppDeps): void {
  const { store, clock } = deps;
  const auth = deps.guardianAuth;
  const consent = deps.guardianConsent;
  if (!auth || !consent) return;
  // SCOPE-2: each minor's bounds follow the profile of their region.
  const policyOf = (user: UserRecord) => deps.profiles.forUser(user);
  const deletions = createDeletionService(deps);

  const bandOf = (user: UserRecord): Exclude<AgeBand, 'unknown' | 'adult' | 'elderly'> => {
    const band = userAgeBand(user, clock.now(), policyOf(user).elderly.ageFrom);
    // A suspected minor without a registered age gets the strictest bounds.
    return band === '14-15' || band === '16-17' ? band : 'under-14';
  };

  const action = (g: GuardianPrincipal, userId: string, name: string, extra: object = {}): AuditInput => ({
    type: 'guardian-action',
    requirement: 'MINOR-4',
    at: clock.now(),
    userId,
    data: { guardianId: g.guardianId, action: name, ...extra },
  });

  /** The guardian's patch, checked against the profile's bounds for the minor's age band. */
  async function controlsPatchOf(
    user: UserRecord,
    body: z.infer<typeof controlsBody>,
  ): Promise<GuardianControlsPatch> {
    const patch: { -readonly [K in keyof GuardianControlsPatch]: GuardianControlsPatch[K] } = {};
    const bounds = policyOf(user).minors;
    if (body.daily_limit_minutes !== undefined) {
      const max = bounds.guardianMaxDailyLimitMinutes[bandOf(user)];
      if (body.daily_limit_minutes !== null && body.daily_limit_minutes > max) {
        throw new CgError(
          'invalid-request',
          `The daily limit may be at most ${max} minutes. 每日时长最多 ${max} 分钟。`,
        );
      }
      patch.dailyLimitMinutes = body.daily_limit_minutes;
    }
    if (body.quiet_hours !== undefined) {
      const must = bounds.guardianMinQuietHours ?? bounds.quietHours;
      if (body.quiet_hours !== null) {
        const given = windowMinutes(body.quiet_hours);
        for (const m of windowMinutes(must)) {
          if (!given.has(m)) {
            throw new CgError(
              'invalid-request',
              `Quiet hours must cover ${must.from}–${must.to}. 禁用时段须覆盖 ${must.from}–${must.to}。`,
            );
          }
        }
      }
      patch.quietHours = body.quiet_hours;
    }
    if (body.blocked_characters !== undefined) {
      const known = new Set((await store.listCharacters()).map((ch) => ch.id));
      const unknown = body.blocked_characters.find((id) => !known.has(id));
      if (unknown !== undefined)
        throw new CgError('unknown-character', `No such character: ${unknown.slice(0, 100)}. 没有这个角色。`);
      patch.blockedCharacters = [...new Set(body.blocked_characters)];
    }
    if (body.spending !== undefined) patch.spending = body.spending;
    return patch;
  }

  routes.route('POST /api/guardian/code', async (c) => {
    const { contact } = await readBody(c.req.raw, deps.maxBodyBytes, codeBody);
    await auth.requestCode(contact);
    return c.json({ status: 'sent-if-registered' }, 202);
  });

  routes.route('POST /api/guardian/login', async (c) => {
    const body = await readBody(c.req.raw, deps.maxBodyBytes, loginBody);
    const { token, principal } = await auth.login(body.contact, body.code);
    setCookie(c, guardianCookie, token, cookieOptions(c, deps.hosts.loopback));
    return c.json({ csrf_token: principal.csrfToken, expires_at: isoTime(principal.expiresAt) });
  });

  routes.route('POST /api/guardian/logout', async (c) => {
    await auth.logout(guardianOf(c));
    deleteCookie(c, guardianCookie, cookieOptions(c, deps.hosts.loopback));
    return c.body(null, 204);
  });

  routes.route('GET /api/guardian/me', (c) => {
    const g = guardianOf(c);
    return c.json({ csrf_token: g.csrfToken, channel: g.channel, expires_at: isoTime(g.expiresAt) });
  });

  routes.route('POST /api/guardian/consent', async (c) => {
    const { token } = await readBody(c.req.raw, deps.maxBodyBytes, linkBody);
    const { user, state } = await consent.confirmByLink(token);
    deps.chat.forgetUser(user.externalId);
    return c.json({ id: user.id, user: user.externalId, ...stateJson(state) });
  });

  routes.route('GET /api/guardian/minors', async (c) => {
    const minors = await store.guardians.linkedMinors(guardianOf(c).guardianId);
    const data = await Promise.all(
      minors.map(async (m) => ({
        id: m.id,
        user: m.externalId,
        age_band: userAgeBand(m, clock.now(), policyOf(m).elderly.ageFrom),
        ...stateJson(await store.minors.getState(m.id)),
      })),
    );
    return c.json({ data });
  });

  routes.route('GET /api/guardian/minors/:user', async (c) => {
    const minor = await consent.linkedMinor(guardianOf(c), c.req.param('user') ?? '');
    const now = clock.now();
    const profile = policyOf(minor);
    const bounds = profile.minors;
    const [state, usage, risks, characters] = await Promise.all([
      store.minors.getState(minor.id),
      store.minors.usage(
        minor.id,
        localDay(now, timeZoneOf(minor, profile), summaryDays - 1),
        localDay(now, timeZoneOf(minor, profile)),
      ),
      store.guardians.riskEvents([minor.id], { since: now - riskWindowMs, limit: 50 }),
      store.listCharacters(),
    ]);
    return c.json({
      id: minor.id,
      user: minor.externalId,
      age_band: userAgeBand(minor, now, profile.elderly.ageFrom),
      ...stateJson(state),
      bounds: {
        max_daily_limit_minutes: bounds.guardianMaxDailyLimitMinutes[bandOf(minor)],
        default_daily_limit_minutes: bounds.dailyLimitMinutes[bandOf(minor)],
        default_quiet_hours: bounds.quietHours,
        min_quiet_hours: bounds.guardianMinQuietHours ?? bounds.quietHours,
      },
      // MINOR-2: what waits for the consent, so the console says exactly that.
      consent_required_for: consentRequired(profile, bandOf(minor), { scope: 'tool' })
        ? 'all'
        : consentRequired(profile, bandOf(minor), { scope: 'companion' })
          ? 'companion-characters'
          : 'none',
      usage: usage.map((d) => ({
        day: d.day,
        minutes: Math.round(d.usedMs / 60_000),
        characters: d.characters,
      })),
      risk_events: risks.map((r) => ({
        id: r.incidentId,
        at: isoTime(r.openedAt),
        kind: r.reason,
        severity: r.severity,
        state: r.state,
      })),
      characters: characters
        .filter((ch) => ch.enabled)
        .map((ch) => ({ id: ch.id, name: ch.name, relation: ch.relation })),
    });
  });

  routes.route('POST /api/guardian/minors/:user/consent', async (c) => {
    const g = guardianOf(c);
    const minor = await consent.linkedMinor(g, c.req.param('user') ?? '');
    const state = await consent.confirmInConsole(g, minor.id);
    deps.chat.forgetUser(minor.externalId);
    return c.json(stateJson(state));
  });

  routes.route('POST /api/guardian/minors/:user/consent/revoke', async (c) => {
    const g = guardianOf(c);
    const minor = await consent.linkedMinor(g, c.req.param('user') ?? '');
    const state = await consent.revoke(g, minor.id);
    deps.chat.forgetUser(minor.externalId);
    return c.json(stateJson(state));
  });

  routes.route('PUT /api/guardian/minors/:user/controls', async (c) => {
    const g = guardianOf(c);
    const minor = await consent.linkedMinor(g, c.req.param('user') ?? '');
    const patch = await controlsPatchOf(minor, await readBody(c.req.raw, deps.maxBodyBytes, controlsBody));
    const fields = Object.keys(patch);
    const state = await store.minors.updateControls(minor.id, patch, clock.now(), [
      action(g, minor.id, 'controls-update', { fields }),
    ]);
    deps.chat.forgetUser(minor.externalId);
    return c.json(stateJson(state));
  });

  // DATA-5, MINOR-4: the guardian's request deletes the minor's history (or one character's), with a receipt.
  routes.route('POST /api/guardian/minors/:user/history/delete', async (c) => {
    const g = guardianOf(c);
    const minor = await consent.linkedMinor(g, c.req.param('user') ?? '');
    const body = await readBody(c.req.raw, deps.maxBodyBytes, deleteBody);
    const receipt = await deletions.deleteHistory({
      user: minor,
      characterId: body.character_id ?? null,
      requestedBy: 'guardian',
      actor: g.guardianId,
    });
    return c.json(receipt);
  });

  routes.route('POST /api/guardian/minors/:user/leave-minor-mode', async (c) => {
    const g = guardianOf(c);
    const minor = await consent.linkedMinor(g, c.req.param('user') ?? '');
    // MINOR-1: a registered minor age means minor mode (the next turn would turn it on again); it ends by
    // itself at 18. Suspected minors and users the guardian kept in it without such an age may leave.
    if (isMinorBand(userAgeBand(minor, clock.now(), policyOf(minor).elderly.ageFrom)))
      throw new CgError('minor-by-age');
    const state = await store.minors.leave(minor.id, { by: 'guardian', now: clock.now() }, [
      action(g, minor.id, 'leave-minor-mode'),
    ]);
    deps.chat.forgetUser(minor.externalId);
    return c.json(stateJson(state));
  });
}
