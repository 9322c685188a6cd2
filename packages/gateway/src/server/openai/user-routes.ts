import { CgError, profileUpdatedAudit } from '@companion-guard/core';
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
  const { store, clock, profile } = deps;
  const elderlyFrom = profile.elderly.ageFrom;

  routes.route('PUT /v1/users/:user', async (c) => {
    const user = userParam(c.req.param('user'));
    const now = clock.now();
    const patch = profilePatchOf(await readJson(c.req.raw, deps.maxBodyBytes), now, profile.defaultLocale);
    const updated = await store.profiles.updateProfile(user, patch, {
      now,
      locale: patch.locale ?? profile.defaultLocale,
      audit: (change) => profileUpdatedAudit(change, elderlyFrom),
    });
    deps.chat.forgetUser(user);
    return c.json(profileWire(updated, now, elderlyFrom));
  });

  routes.route('GET /v1/users/:user', async (c) => {
    const user = userParam(c.req.param('user'));
    const found = await store.profiles.getProfile(user);
    if (!found) throw new CgError('not-found', 'No such user; register it with PUT /v1/users/{user}.');
    return c.json(profileWire(found, clock.now(), elderlyFrom));
  });
}
