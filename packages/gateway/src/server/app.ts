import { CgError, type Clock, type Profile, type Store } from '@companion-guard/core';
import { Hono } from 'hono';
import type { Logger } from '../logger.js';
import { registerStaffRoutes } from './api/staff-routes.js';
import { type AppEnv, type Authenticator, secureRoutes } from './auth/authorization.js';
import { type HostCheckOptions, hostCheck } from './auth/host-check.js';
import type { StaffAuth } from './auth/staff-auth.js';
import type { ChatService } from './chat-service.js';
import { serveConsole } from './console-files.js';
import { errorResponse, toCgError } from './errors.js';
import { registerOpenAiRoutes } from './openai/routes.js';
import { registerUserRoutes } from './openai/user-routes.js';

export interface AppDeps {
  readonly store: Store;
  readonly clock: Clock;
  /** The deployment's policy profile. */
  readonly profile: Profile;
  readonly chat: ChatService;
  readonly auth: Authenticator;
  /** Staff sign-in and sessions (the authenticator checks sessions through it too). */
  readonly staff: StaffAuth;
  /** The `Host`/`Origin` names served (DNS-rebinding and cross-site protection). */
  readonly hosts: HostCheckOptions;
  readonly logger: Logger;
  readonly maxBodyBytes: number;
  readonly defaultCharacterId: string;
  /** The console build to serve at `/` and `/console`, or null. */
  readonly consoleDir: string | null;
}

/**
 * Creates the HTTP app (no listen). Stores and services come in through `deps`; every route is registered
 * through the authorization matrix (`auth/authorization.ts`).
 */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { logger } = deps;
  const routes = secureRoutes(app, deps.auth);

  app.onError((e, c) => errorResponse(toCgError(e, logger), c.req.path));
  app.notFound((c) => errorResponse(new CgError('not-found'), c.req.path));
  app.use(hostCheck(deps.hosts));

  routes.route('GET /healthz', (c) => c.json({ status: 'ok' }));
  routes.route('GET /readyz', async (c) => {
    try {
      await deps.store.ping();
      return c.json({ status: 'ready' });
    } catch (e) {
      logger.error('readiness check failed', { code: toCgError(e, logger).code });
      return c.json({ status: 'unavailable' }, 503);
    }
  });
  registerOpenAiRoutes(routes, deps);
  registerUserRoutes(routes, deps);
  registerStaffRoutes(routes, deps);
  routes.route('GET /*', serveConsole(deps.consoleDir));
  return app;
}
