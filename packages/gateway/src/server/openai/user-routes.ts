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
  const { store, clock, profile } = deps;
  const elderlyFrom = profile.elderly.ageFrom;

  /** MINOR-1: an adult age registered for a user in minor mode changes the profile, not the mode. */
  const minorModeKept = (change: ProfileChange) => {
    const ageChanged = change.changed.includes('age') || change.changed.includes('birthDate');
    const band = userAgeBand(change.after, change.at, elderlyFrom);
    if (!profile.minors.enabled || !change.before.minorMode || !ageChanged || isMinorBand(band)) return [];
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
    const patch = profilePatchOf(await readJson(c.req.raw, deps.maxBodyBytes), now, profile.defaultLocale);
    const updated = await store.profiles.updateProfile(user, patch, {
      now,
      locale: patch.locale ?? profile.defaultLocale,
      audit: (change) => [...profileUpdatedAudit(change, elderlyFrom), ...minorModeKept(change)],
    });
    // MINOR-1: a declared minor is in minor mode from registration on (the chat path also enters it).
    if (profile.minors.enabled && isMinorBand(userAgeBand(updated, now, elderlyFrom))) {
      await store.minors.enter(updated.id, { reason: 'declared', endsOn: adultDateOf(updated), now });
    }
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
