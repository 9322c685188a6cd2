import { randomUUID } from 'node:crypto';
import {
  CgError,
  type ConsentKind,
  type ConsentRecord,
  consentKinds,
  consentsAsMinor,
  heldConsent,
  type UserProfile,
  userAgeBand,
} from '@companion-guard/core';
import { z } from 'zod';
import type { SecureRoutes } from '../auth/authorization.js';
import type { AppDeps } from '../deps.js';
import { userParam } from '../openai/user-wire.js';
import { readBody } from '../read-body.js';
import { createDeletionService } from './deletion-service.js';
import { buildHistoryExport, renderHistoryHtml } from './history-export.js';

/** The body of `PUT /v1/users/{user}/consents`: absent keys unchanged. */
const consentBody = z
  .object({
    training: z.boolean().optional(),
    third_party: z.boolean().optional(),
    sensitive: z.boolean().optional(),
    version: z.string().trim().min(1).max(64).optional(),
    given_by: z.enum(['user', 'guardian']).optional(),
  })
  .strict();

const characterParam = z.string().min(1).max(128);

const consentWire = (r: ConsentRecord) => ({
  id: r.id,
  kind: r.kind,
  granted: r.granted,
  version: r.textVersion,
  given_by: r.givenBy,
  method: r.method,
  at: new Date(r.at).toISOString(),
});

/**
 * The app's data-rights routes (app key): a copy of the user's history (DATA-3, DISC-5), deletion with a
 * signed receipt (DATA-4), and separate, versioned, revocable consents (DATA-2, DATA-6).
 */
export function registerDataRightsRoutes(routes: SecureRoutes, deps: AppDeps): void {
  const { store, clock, profile } = deps;
  const deletions = createDeletionService(deps);

  const existingUser = async (param: string | undefined): Promise<UserProfile> => {
    const found = await store.profiles.getProfile(userParam(param));
    if (!found) throw new CgError('not-found', 'No such user.');
    return found;
  };

  const consentState = (user: UserProfile, history: readonly ConsentRecord[], now: number) => {
    // SCOPE-2: the user's profile (their region's) says from which age they count as elderly.
    const band = userAgeBand(user, now, deps.profiles.forUser(user).elderly.ageFrom);
    const current = Object.fromEntries(
      consentKinds.map((kind) => [
        kind,
        heldConsent(history, kind, consentsAsMinor(band, user.minorMode)) !== undefined,
      ]),
    ) as Record<ConsentKind, boolean>;
    return { user: user.externalId, age_band: band, current, history: history.map(consentWire) };
  };

  routes.route('GET /v1/users/:user/export', async (c) => {
    const user = await existingUser(c.req.param('user'));
    const format = c.req.query('format') ?? 'json';
    if (format !== 'json' && format !== 'html') {
      throw new CgError('invalid-request', 'format: must be json or html');
    }
    const now = clock.now();
    const exportId = randomUUID();
    const messages = await store.dataRights.listHistory(user.id);
    const doc = buildHistoryExport({
      externalUserId: user.externalId,
      locale: user.locale,
      messages,
      profile: deps.profiles.forUser(user),
      exportId,
      at: now,
    });
    await store.appendAudit([
      {
        type: 'history-exported',
        requirement: 'DATA-3',
        at: now,
        userId: user.id,
        data: { exportId, format, messages: messages.length },
      },
    ]);
    const file = `history-${exportId}.${format}`;
    c.header('content-disposition', `attachment; filename="${file}"`);
    c.header('cache-control', 'no-store');
    return format === 'json' ? c.json(doc) : c.html(renderHistoryHtml(doc));
  });

  routes.route('DELETE /v1/users/:user/history', async (c) => {
    const user = await existingUser(c.req.param('user'));
    const raw = c.req.query('character_id');
    const parsed = raw === undefined ? undefined : characterParam.safeParse(raw);
    if (parsed && !parsed.success)
      throw new CgError('invalid-request', 'character_id: must be 1–128 characters');
    const receipt = await deletions.deleteHistory({
      user,
      characterId: parsed?.data ?? null,
      requestedBy: 'user',
    });
    return c.json(receipt);
  });

  routes.route('PUT /v1/users/:user/consents', async (c) => {
    const external = userParam(c.req.param('user'));
    const body = await readBody(c.req.raw, deps.maxBodyBytes, consentBody);
    const now = clock.now();
    await store.ensureUser(external, now, { locale: profile.defaultLocale });
    const user = await existingUser(external);
    const { training, third_party, sensitive } = body;
    await store.dataRights.recordConsents({
      userId: user.id,
      changes: {
        ...(training === undefined ? {} : { training }),
        ...(third_party === undefined ? {} : { third_party }),
        ...(sensitive === undefined ? {} : { sensitive }),
      },
      textVersion: body.version ?? deps.profiles.forUser(user).dataRights.consentTextVersion,
      givenBy: body.given_by ?? 'user',
      method: 'api',
      at: now,
    });
    deps.chat.forgetUser(external);
    return c.json(consentState(user, await store.dataRights.listConsents(user.id), now));
  });

  routes.route('GET /v1/users/:user/consents', async (c) => {
    const user = await existingUser(c.req.param('user'));
    return c.json(consentState(user, await store.dataRights.listConsents(user.id), clock.now()));
  });
}
