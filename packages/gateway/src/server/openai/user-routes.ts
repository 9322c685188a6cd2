import {
  adultDateOf,
  CgError,
  isMinorBand,
  type ProfileChange,
  profileUpdatedAudit,
  userAgeBand,
} from '@companion-guard/core';
import type { SecureRoutes } from '../auth/authorization.js';
import type { AppDeps } from '../deps.js';
import { readJson } from '../read-body.js';
import { profilePatchOf, profileWire, userParam } from './user-wire.js';

/**
 * The app's user-profile routes (REG-1). `PUT /v1/users/{user}` registers the user on first sight and
 * updates the profile, each change audited in the same transaction; `GET` reads it (never creating users).
 * Both answer with the profile and the age band at the time of the request.
 */
export function registerUserRoutes(routes: SecureRoutes, deps: AppDeps): void {
  const { store, clock } = deps;
  // SCOPE-2: each user's age bands and minors' rules follow the profile of their region.
  const elderlyFrom = (user: { readonly region: string | null }) =>
    deps.profiles.forUser(user).elderly.ageFrom;

  /** MINOR-1: an adult age registered for a user in minor mode changes the profile, not the mode. */
  const minorModeKept = (change: ProfileChange) => {
    const ageChanged = change.changed.includes('age') || change.changed.includes('birthDate');
    const band = userAgeBand(change.after, change.at, elderlyFrom(change.after));
    const { minors } = deps.profiles.forUser(change.after);
    if (!minors.enabled || !change.before.minorMode || !ageChanged || isMinorBand(band)) return [];
    const data = { ageBand: band };
    return [
      {
        type: 'minor-mode-kept',
        requirement: 'MINOR-1',
        at: change.at,
        userId: change.after.id,
        data,
      } as const,
    ];
  };

  routes.route('PUT /v1/users/:user', async (c) => {
    const user = userParam(c.req.param('user'));
    const now = clock.now();
    const body = await readJson(c.req.raw, deps.maxBodyBytes);
    // A new user's locale defaults to the one of the region's profile (SCOPE-2).
    const named = (body as { region?: unknown } | null)?.region;
    const regional = deps.profiles.forRegion(typeof named === 'string' ? named : null);
    const patch = profilePatchOf(body, now, regional.defaultLocale);
    const updated = await store.profiles.updateProfile(user, patch, {
      now,
      locale: patch.locale ?? regional.defaultLocale,
      audit: (change) => [
        ...profileUpdatedAudit(change, elderlyFrom(change.after)),
        ...minorModeKept(change),
      ],
    });
    // MINOR-1: a declared minor is in minor mode from registration on (the chat path also enters it).
    const policy = deps.profiles.forUser(updated);
    if (policy.minors.enabled && isMinorBand(userAgeBand(updated, now, policy.elderly.ageFrom))) {
      await store.minors.enter(updated.id, { reason: 'declared', endsOn: adultDateOf(updated), now });
    }
    deps.chat.forgetUser(user);
    return c.json(profileWire(updated, now, policy.elderly.ageFrom));
  });

  routes.route('GET /v1/users/:user', async (c) => {
    const user = userParam(c.req.param('user'));
    const found = await store.profiles.getProfile(user);
    if (!found) throw new CgError('not-found', 'No such user; register it with PUT /v1/users/{user}.');
    return c.json(profileWire(found, clock.now(), elderlyFrom(found)));
  });
}
