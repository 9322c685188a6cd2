import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { CgError, type Store } from '@companion-guard/core';
import { Hono } from 'hono';
import { z } from 'zod';
import type { Logger } from '../logger.js';
import type { ChatService } from './chat-service.js';
import { errorResponse, toCgError } from './errors.js';
import { handleChatCompletions } from './openai/chat-completions.js';
import { endUser, requestMetadata } from './openai/wire.js';
import { readUserBody } from './read-body.js';

/** API-key checks. With no keys configured every request is accepted (the server is then loopback-only). */
export interface Auth {
  /** True once at least one active key exists. */
  required(): Promise<boolean>;
  /** True if the bearer token is an active key. */
  verify(token: string): Promise<boolean>;
}

export interface AppDeps {
  readonly store: Store;
  readonly chat: ChatService;
  readonly auth: Auth;
  readonly logger: Logger;
  readonly maxBodyBytes: number;
  readonly defaultCharacterId: string;
  /** The console build to serve at `/`, or null. */
  readonly consoleDir: string | null;
}

const sessionBody = z.object({
  user: endUser,
  via: z.enum(['button', 'voice']).optional(),
  metadata: requestMetadata,
});

const mime: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};

/** Creates the HTTP app (no listen). Stores and services come in through `deps`. */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  const { logger } = deps;

  app.onError((e, c) => errorResponse(toCgError(e, logger), c.req.path));
  app.notFound((c) => errorResponse(new CgError('not-found'), c.req.path));

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    try {
      await deps.store.ping();
      return c.json({ status: 'ready' });
    } catch (e) {
      logger.error('readiness check failed', { code: toCgError(e, logger).code });
      return c.json({ status: 'unavailable' }, 503);
    }
  });

  app.use('/v1/*', async (c, next) => {
    if (await deps.auth.required()) {
      const header = c.req.header('authorization') ?? '';
      const token = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
      if (!token || !(await deps.auth.verify(token))) throw new CgError('unauthorized');
    }
    await next();
  });

  app.get('/v1/characters', async (c) => {
    const list = (await deps.store.listCharacters()).filter((ch) => ch.enabled);
    return c.json({
      object: 'list',
      default_character_id: deps.defaultCharacterId,
      data: list.map(({ id, name, description, scope, relation }) => ({
        id,
        name,
        description,
        scope,
        relation,
      })),
    });
  });

  app.post('/v1/chat/completions', (c) =>
    handleChatCompletions(c.req.raw, deps.chat, {
      maxBodyBytes: deps.maxBodyBytes,
      logger,
      characterHeader: c.req.header('x-character-id') ?? null,
    }),
  );

  app.post('/v1/sessions', async (c) => {
    const body = await readUserBody(c.req.raw, deps.maxBodyBytes, sessionBody);
    const compliance = await deps.chat.newSession(
      body.user,
      body.metadata?.character_id,
      body.metadata?.locale,
    );
    return c.json({ compliance }, 201);
  });

  app.post('/v1/sessions/:id/exit', async (c) => {
    const body = await readUserBody(c.req.raw, deps.maxBodyBytes, sessionBody);
    const compliance = await deps.chat.exitSession(
      c.req.param('id'),
      body.user,
      body.via ?? 'button',
      body.metadata?.locale,
    );
    return c.json({ compliance });
  });

  const consoleDir = deps.consoleDir;
  if (consoleDir) {
    const cache = new Map<string, { body: Uint8Array; type: string }>();
    const load = async (rel: string) => {
      const hit = cache.get(rel);
      if (hit) return hit;
      const body = new Uint8Array(await readFile(join(consoleDir, rel)));
      const entry = { body, type: mime[extname(rel)] ?? 'application/octet-stream' };
      cache.set(rel, entry);
      return entry;
    };
    app.get('*', async (c) => {
      if (c.req.path.startsWith('/v1/')) throw new CgError('not-found');
      let path: string;
      try {
        path = decodeURIComponent(c.req.path);
      } catch {
        throw new CgError('not-found');
      }
      const rel = normalize(path)
        .replace(/^(\.\.[/\\])+/, '')
        .replace(/^\/+/, '');
      for (const candidate of [rel || 'index.html', 'index.html']) {
        try {
          const file = await load(candidate);
          return c.body(file.body as Uint8Array<ArrayBuffer>, 200, { 'content-type': file.type });
        } catch {
          // Unknown paths fall back to the single-page app.
        }
      }
      throw new CgError('not-found');
    });
  }
  return app;
}
