import { CgError } from '@companion-guard/core';
import { Hono } from 'hono';
import { registerAuditRoutes } from './api/audit-routes.js';
import { registerGuardianRoutes } from './api/guardian-routes.js';
import { registerIncidentRoutes } from './api/incident-routes.js';
import { registerStaffRoutes } from './api/staff-routes.js';
import { registerAppealRoutes } from './appeals/appeal-routes.js';
import { type AppEnv, secureRoutes } from './auth/authorization.js';
import { hostCheck } from './auth/host-check.js';
import { registerComplaintRoutes } from './complaints/complaint-routes.js';
import { serveConsole } from './console-files.js';
import { registerControlRoutes } from './controls/control-routes.js';
import { registerDataRightsRoutes } from './data-rights/data-rights-routes.js';
import type { AppDeps, RouteDeps } from './deps.js';
import { errorResponse, toCgError } from './errors.js';
import { registerEventRoutes } from './events/event-routes.js';
import { createMemoryLimitCounter, createRateLimits, defaultLimitSettings } from './limits/rate-limits.js';
import { countRequests, registerMetricsRoute } from './metrics-routes.js';
import { registerGuardianAppRoutes } from './openai/guardian-app-routes.js';
import { registerOpenAiRoutes } from './openai/routes.js';
import { registerUserRoutes } from './openai/user-routes.js';
import { registerReportRoutes } from './reports/report-routes.js';
import { registerStatsRoutes } from './stats/stats-routes.js';
import { createStatsService } from './stats/stats-service.js';

export type { AppDeps };

/**
 * Creates the HTTP app (no listen). Stores and services come in through `deps`; every route is registered
 * through the authorization matrix (`auth/authorization.ts`).
 */
export function createApp(given: AppDeps): Hono<AppEnv> {
  // ASSESS-1/2: one stats service for the stats routes and the launch trigger of the admin routes.
  const deps: RouteDeps = {
    ...given,
    stats: given.stats ?? createStatsService(given),
    limits:
      given.limits ??
      createRateLimits({
        counter: createMemoryLimitCounter(),
        settings: defaultLimitSettings,
        clock: given.clock,
        logger: given.logger,
      }),
  };
  const app = new Hono<AppEnv>();
  const { logger } = deps;
  const routes = secureRoutes(app, deps.auth);

  app.onError((e, c) => errorResponse(toCgError(e, logger), c.req.path));
  app.notFound((c) => errorResponse(new CgError('not-found'), c.req.path));
  countRequests(app, deps.metrics);
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
  registerMetricsRoute(routes, deps);
  // Before the other routes: `/api/incidents/events` must not be taken for an incident id.
  registerEventRoutes(routes, deps);
  registerOpenAiRoutes(routes, deps);
  registerUserRoutes(routes, deps);
  registerDataRightsRoutes(routes, deps);
  registerStaffRoutes(routes, deps);
  registerIncidentRoutes(routes, deps);
  registerAuditRoutes(routes, deps);
  registerGuardianRoutes(routes, deps);
  registerGuardianAppRoutes(routes, deps);
  registerAppealRoutes(routes, deps);
  registerControlRoutes(routes, deps);
  registerReportRoutes(routes, deps);
  registerStatsRoutes(routes, deps);
  registerComplaintRoutes(routes, deps);
  routes.route('GET /*', serveConsole(deps.consoleDir));
  return app;
}
