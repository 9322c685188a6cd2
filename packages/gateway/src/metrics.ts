import type { Directive, Finding, TextSide } from '@companion-guard/core';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The gateway's Prometheus metrics (`GET /metrics`). One registry per gateway instance; counters are the
 * instance's own since it started (Prometheus adds instances up), gauges read the shared store when scraped.
 * Nothing here carries a user, a text or a contact: labels are routes, codes, directive types and detectors.
 */
export interface Metrics {
  /** One HTTP request: its route pattern (not the path, so no user ids), method, status and duration. */
  request(route: string, method: string, status: number, seconds: number): void;
  /** Directives sent to clients, by type. */
  directives(list: readonly Pick<Directive, 'type'>[]): void;
  /** Detector findings on user input or model output, by detector and tier. */
  findings(side: TextSide, list: readonly Pick<Finding, 'detector' | 'tier'>[]): void;
  /** A notification attempt that failed (`final`: no retry follows). */
  notificationFailed(channel: string, final: boolean): void;
  /** A gauge read from the store at each scrape (e.g. open incidents, overdue complaints). */
  gauge(name: string, help: string, read: () => Promise<number>): void;
  /** The exposition text and its content type. */
  exposition(): Promise<{ text: string; contentType: string }>;
}

/** Latency buckets (seconds) around the gateway's own budget: sub-millisecond to a long model turn. */
const latencyBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export function createMetrics(): Metrics {
  const registry = new Registry();
  const registers = [registry];
  const requests = new Counter({
    name: 'cg_http_requests_total',
    help: 'HTTP requests served, by route pattern, method and status.',
    labelNames: ['route', 'method', 'status'] as const,
    registers,
  });
  const latency = new Histogram({
    name: 'cg_http_request_duration_seconds',
    help: 'Time to the response headers (a streamed reply goes on after them), by route pattern.',
    labelNames: ['route', 'method'] as const,
    buckets: latencyBuckets,
    registers,
  });
  const directives = new Counter({
    name: 'cg_directives_total',
    help: 'Compliance directives sent to clients, by directive type.',
    labelNames: ['type'] as const,
    registers,
  });
  const findings = new Counter({
    name: 'cg_detector_findings_total',
    help: 'Detector findings, by side (input or output), detector and tier.',
    labelNames: ['side', 'detector', 'tier'] as const,
    registers,
  });
  const notifications = new Counter({
    name: 'cg_notification_failures_total',
    help: 'Failed notification attempts, by channel and whether it was the last attempt.',
    labelNames: ['channel', 'final'] as const,
    registers,
  });
  return {
    request(route, method, status, seconds) {
      requests.inc({ route, method, status: String(status) });
      latency.observe({ route, method }, seconds);
    },
    directives(list) {
      for (const d of list) directives.inc({ type: d.type });
    },
    findings(side, list) {
      for (const f of list) findings.inc({ side, detector: f.detector, tier: String(f.tier) });
    },
    notificationFailed(channel, final) {
      notifications.inc({ channel, final: String(final) });
    },
    gauge(name, help, read) {
      new Gauge({
        name,
        help,
        registers,
        async collect() {
          this.set(await read().catch(() => Number.NaN));
        },
      });
    },
    async exposition() {
      return { text: await registry.metrics(), contentType: registry.contentType };
    },
  };
}
