import { CgError, userAgeBand } from '@companion-guard/core';
import { z } from 'zod';
import type { SecureRoutes } from '../auth/authorization.js';
import type { AppDeps } from '../deps.js';
import { readUserBody } from '../read-body.js';
import { userParam } from './user-wire.js';

const spendingBody = z.object({
  user: z.string().min(1).max(256),
  amount: z.number().positive().finite(),
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as CNY'),
});

/** Why a spending check answered as it did. */
export type SpendingReason = 'not-a-minor' | 'guardian-allowed' | 'guardian-disallowed' | 'consent-required';

const minorBands = new Set(['under-14', '14-15', '16-17']);

/**
 * The app's guardian routes: `POST /v1/users/{user}/guardian-consent` (re)sends the consent request to
 * the registered guardian (MINOR-2); `POST /v1/spending/check` answers allow or deny before any recharge
 * (MINOR-4), audited `spending-checked`.
 */
export function registerGuardianAppRoutes(routes: SecureRoutes, deps: AppDeps): void {
  const { store, clock, profile } = deps;
  const consent = deps.guardianConsent;

  if (consent) {
    routes.route('POST /v1/users/:user/guardian-consent', async (c) => {
      const user = await store.profiles.getProfile(userParam(c.req.param('user')));
      if (!user) throw new CgError('not-found', 'No such user; register it with PUT /v1/users/{user}.');
      const outcome = await consent.request(user.id, clock.now(), { force: true });
      return c.json({ status: outcome }, outcome === 'sent' ? 202 : 409);
    });
  }

  routes.route('POST /v1/spending/check', async (c) => {
    const body = await readUserBody(c.req.raw, deps.maxBodyBytes, spendingBody);
    const now = clock.now();
    const user = await store.ensureUser(body.user, now);
    const state = await store.minors.getState(user.id);
    const minor = state.mode === 'on' || minorBands.has(userAgeBand(user, now, profile.elderly.ageFrom));
    let reason: SpendingReason = 'not-a-minor';
    if (minor) {
      if (state.consent === null || state.consent.revokedAt !== null) reason = 'consent-required';
      else reason = state.controls.spending ? 'guardian-allowed' : 'guardian-disallowed';
    }
    const allow = reason === 'not-a-minor' || reason === 'guardian-allowed';
    await store.appendAudit([
      {
        type: 'spending-checked',
        requirement: 'MINOR-4',
        at: now,
        userId: user.id,
        data: { allow, reason, amount: body.amount, currency: body.currency },
      },
    ]);
    return c.json({ allow, reason });
  });
}
