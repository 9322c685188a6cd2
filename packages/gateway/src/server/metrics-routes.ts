import type { IncomingMessage } from 'node:http';
import { CgError } from '@companion-guard/core';
import type { Hono } from 'hono';
import type { Metrics } from '../metrics.js';
import { type AppEnv, type SecureRoutes, sameSecret } from './auth/authorization.js';
import type { AppDeps } from './deps.js';

/** The peer's address when served by the Node server (absent under `app.fetch` in tests). */
function peerAddress(env: unknown): string | undefined {
  return (env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket.remoteAddress;
}

/** A loopback peer, or none at all: `app.fetch` called in-process (tests), not over the network. */
const isLoopback = (address: string | undefined) =>
  address === undefined || /^(127\.|::1$|::ffff:127\.)/.test(address);

/** Times every request and counts it under its route pattern (`cg_http_requests_total`, latency histogram). */
export function countRequests(app: Hono<AppEnv>, metrics: Metrics): void {
  app.use(async (c, next) => {
    const start = performance.now();
    await next();
    metrics.request(
      c.get('route') ?? 'unmatched',
      c.req.method,
      c.res.status,
      (performance.now() - start) / 1000,
    );
  });
}

/**
 * `GET /metrics` in the Prometheus text format. Without `metrics.token` only a loopback peer that did not
 * come through a proxy (no `Forwarded`/`X-Forwarded-For`) may read it; with a token, anyone presenting it.
 */
export function registerMetricsRoute(routes: SecureRoutes, deps: AppDeps): void {
  const { metrics, metricsToken, store } = deps;
  metrics.gauge('cg_incidents_open', 'Incidents not closed yet (RISK-4).', async () => {
    return (await store.incidents.listIncidents('active')).length;
  });
  metrics.gauge(
    'cg_complaints_overdue',
    'Complaints not closed by their published deadline (COMPLAINT-1).',
    async () => {
      const now = deps.clock.now();
      return (await store.complaints.summary({ from: 0, to: now, now })).overdueOpen;
    },
  );
  routes.route('GET /metrics', async (c) => {
    if (metricsToken !== null) {
      const header = c.req.header('authorization') ?? '';
      const token = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
      if (!sameSecret(token, metricsToken))
        throw new CgError('unauthorized', 'The metrics token is missing or wrong.');
    } else {
      const proxied =
        c.req.header('forwarded') !== undefined || c.req.header('x-forwarded-for') !== undefined;
      if (proxied || !isLoopback(peerAddress(c.env))) {
        throw new CgError(
          'forbidden',
          'Metrics are served to loopback peers only unless a metrics token is configured.',
        );
      }
    }
    const { text, contentType } = await metrics.exposition();
    return c.body(text, 200, { 'content-type': contentType });
  });
}
