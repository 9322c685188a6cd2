import { CgError, type StoredCharacter } from '@companion-guard/core';
import { z } from 'zod';
import { createApiKey, revokeApiKey } from '../auth/api-keys.js';
import type { SecureRoutes } from '../auth/authorization.js';
import type { RouteDeps } from '../deps.js';
import { readBody } from '../read-body.js';
import { isoTime, staffPrincipal } from './wire.js';

const characterId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lowercase letters, digits, _ and - only');
const localized = z.object({ zh: z.string().trim().min(1).max(200), en: z.string().trim().min(1).max(200) });
const characterBody = z.object({
  name: localized,
  description: localized,
  scope: z.enum(['companion', 'tool']),
  relation: z.enum(['partner', 'kin', 'friend', 'mentor', 'assistant', 'other']),
  persona: z.string().max(20_000).default(''),
  model: z.string().min(1).max(200).nullable().default(null),
  enabled: z.boolean(),
});
const keyBody = z.object({ label: z.string().trim().min(1).max(100) });

const characterJson = (ch: StoredCharacter) => ({
  id: ch.id,
  name: ch.name,
  description: ch.description,
  scope: ch.scope,
  relation: ch.relation,
  persona: ch.persona,
  model: ch.model,
  enabled: ch.enabled,
  managed_by: ch.managedBy,
});

/** Admin routes: characters (console-managed ones editable) and the app's API keys. */
export function registerAdminRoutes(routes: SecureRoutes, deps: RouteDeps): void {
  routes.route('GET /api/characters', async (c) =>
    c.json({ data: (await deps.store.listCharacters()).map(characterJson) }),
  );

  routes.route('PUT /api/characters/:id', async (c) => {
    const id = c.req.param('id') ?? '';
    if (!characterId.safeParse(id).success) {
      throw new CgError(
        'invalid-request',
        'A character id uses lowercase letters, digits, _ and - (at most 64).',
      );
    }
    const body = await readBody(c.req.raw, deps.maxBodyBytes, characterBody);
    const now = deps.clock.now();
    const before = await deps.store.getCharacter(id);
    const saved = await deps.store.saveConsoleCharacter({ id, ...body }, now, [
      {
        type: 'character-updated',
        requirement: 'SCOPE-1',
        at: now,
        data: {
          characterId: id,
          scope: body.scope,
          relation: body.relation,
          enabled: body.enabled,
          by: staffPrincipal(c).staffId,
        },
      },
    ]);
    deps.chat.forgetCharacter(id); // every instance's next turn reads the change
    // ASSESS-1: a character launched (created enabled, or enabled) calls for a security assessment, once.
    if (saved.enabled && !before?.enabled) {
      await deps.stats.launched(`character:${id}`, now, staffPrincipal(c).staffId);
    }
    return c.json(characterJson(saved));
  });

  routes.route('GET /api/keys', async (c) =>
    c.json({
      data: (await deps.store.listApiKeys()).map((k) => ({
        id: k.id,
        label: k.label,
        created_at: isoTime(k.createdAt),
        revoked_at: k.revokedAt === null ? null : isoTime(k.revokedAt),
      })),
    }),
  );

  routes.route('POST /api/keys', async (c) => {
    const { label } = await readBody(c.req.raw, deps.maxBodyBytes, keyBody);
    const { key, secret } = await createApiKey(deps.store, {
      label,
      now: deps.clock.now(),
      by: staffPrincipal(c).staffId,
    });
    deps.auth.apiKeysChanged();
    return c.json({ id: key.id, label: key.label, secret }, 201);
  });

  routes.route('POST /api/keys/:id/revoke', async (c) => {
    const key = await revokeApiKey(
      deps.store,
      c.req.param('id') ?? '',
      deps.clock.now(),
      staffPrincipal(c).staffId,
    );
    deps.auth.apiKeysChanged();
    return c.json({ id: key.id, revoked_at: isoTime(key.revokedAt ?? deps.clock.now()) });
  });
}
