import {
  type CharacterRecord,
  characterRefusal,
  isMinorBand,
  localDay,
  minorModeOf,
  serviceNoticeText,
  userAgeBand,
} from '@companion-guard/core';
import type { HttpBindings } from '@hono/node-server';
import { z } from 'zod';
import type { Principal, SecureRoutes } from '../auth/authorization.js';
import type { AppDeps, RouteDeps } from '../deps.js';
import { readUserBody } from '../read-body.js';
import { handleChatCompletions } from './chat-completions.js';
import { userParam } from './user-wire.js';
import { endUser, requestMetadata } from './wire.js';

const sessionBody = z.object({
  user: endUser,
  via: z.enum(['button', 'voice']).optional(),
  metadata: requestMetadata,
});

/**
 * With `?user=`, the characters that user may use (MINOR-3, ELDER-3): no partner or kin for minors, none the
 * guardian blocked, no kin for elderly users. Without it (or for an unknown user), every enabled character.
 */
async function servedTo(
  deps: AppDeps,
  externalId: string | undefined,
): Promise<(character: Pick<CharacterRecord, 'id' | 'relation'>) => boolean> {
  const user = externalId ? await deps.store.profiles.getProfile(userParam(externalId)) : undefined;
  if (!user) return () => true;
  const now = deps.clock.now();
  const profile = deps.profiles.forUser(user);
  const band = userAgeBand(user, now, profile.elderly.ageFrom);
  const minors = profile.minors.enabled && (user.minorMode || isMinorBand(band));
  const state = minors ? await deps.store.minors.getState(user.id) : null;
  const minor = { on: minors && minorModeOf(state, band, localDay(now, user.timeZone)).on, state };
  return (character) => characterRefusal(profile, character, band, minor) === null;
}

/** The API key a request came with (null: a keyless loopback gateway), for the per-key limits. */
const keyIdOf = (principal: Principal): string | null => (principal.kind === 'app' ? principal.keyId : null);

/** The app's routes under `/v1`: the OpenAI-compatible chat and the session actions. */
export function registerOpenAiRoutes(routes: SecureRoutes, deps: RouteDeps): void {
  // createApp always provides the limits (the default ones when the composition root gives none).
  const limits = deps.limits;
  routes.route('GET /v1/characters', async (c) => {
    const served = await servedTo(deps, c.req.query('user'));
    const list = (await deps.store.listCharacters()).filter((ch) => ch.enabled && served(ch));
    // ASSESS-3: `off` when staff switched the character (or the whole service) off, or its withdrawal took effect.
    const offNow = deps.controls.offNow(deps.clock.now());
    const serviceOff = offNow.some((o) => o.scope === 'service');
    const offCharacters = new Set(offNow.filter((o) => o.scope === 'character').map((o) => o.target));
    return c.json({
      object: 'list',
      default_character_id: deps.defaultCharacterId,
      data: list.map(({ id, name, description, scope, relation }) => ({
        id,
        name,
        description,
        scope,
        relation,
        off: serviceOff || offCharacters.has(id),
      })),
    });
  });

  // NOTICE-1: the notices in force, for the app to show beyond the chat (its start screen, a status page).
  routes.route('GET /v1/notices', (c) => {
    const now = deps.clock.now();
    return c.json({
      object: 'list',
      data: deps.controls.noticesNow(now).map((shown) => ({
        id: shown.notice.id,
        scope: shown.notice.scope,
        target: shown.notice.target,
        effective_at: new Date(shown.notice.effectiveAt).toISOString(),
        text: {
          zh: serviceNoticeText(deps.profile, 'zh', shown),
          en: serviceNoticeText(deps.profile, 'en', shown),
        },
      })),
    });
  });

  routes.route('POST /v1/chat/completions', (c) =>
    handleChatCompletions(c.req.raw, deps.chat, {
      maxBodyBytes: deps.maxBodyBytes,
      logger: deps.logger,
      characterHeader: c.req.header('x-character-id') ?? null,
      metrics: deps.metrics,
      admit: (user) => limits.admitTurn({ keyId: keyIdOf(c.get('principal')), user }),
      outgoing: (c.env as Partial<HttpBindings> | undefined)?.outgoing,
    }),
  );

  routes.route('POST /v1/sessions', async (c) => {
    const body = await readUserBody(c.req.raw, deps.maxBodyBytes, sessionBody);
    await limits.admitNewSession({ keyId: keyIdOf(c.get('principal')), user: body.user });
    const compliance = await deps.chat.newSession(
      body.user,
      body.metadata?.character_id,
      body.metadata?.locale,
    );
    deps.metrics.directives(compliance.directives);
    return c.json({ compliance }, 201);
  });

  routes.route('POST /v1/sessions/:id/exit', async (c) => {
    const body = await readUserBody(c.req.raw, deps.maxBodyBytes, sessionBody);
    const compliance = await deps.chat.exitSession(
      c.req.param('id') ?? '',
      body.user,
      body.via ?? 'button',
      body.metadata?.locale,
    );
    deps.metrics.directives(compliance.directives);
    return c.json({ compliance });
  });
}
