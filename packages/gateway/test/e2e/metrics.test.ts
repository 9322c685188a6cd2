import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';
import { startHarness } from './helpers.js';

type Families = ReturnType<typeof parsePrometheusTextFormat>;

/** The sum of a family's samples whose labels include `labels`. */
function total(families: Families, name: string, labels: Record<string, string> = {}): number {
  const family = families.find((f) => f.name === name);
  if (!family) return 0;
  return family.metrics
    .filter((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))
    .reduce((sum, m) => sum + Number(m.value ?? m.count ?? 0), 0);
}

async function scrape(url: string, headers: Record<string, string> = {}): Promise<Families> {
  const res = await fetch(`${url}/metrics`, { headers });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusTextFormat(await res.text());
}

describe('GET /metrics (Prometheus text format)', () => {
  it('parses and moves when traffic flows: requests, latency, directives, findings, open incidents', async () => {
    const h = await startHarness();
    try {
      const before = await scrape(h.server.url);
      expect(total(before, 'cg_http_requests_total', { route: 'POST /v1/chat/completions' })).toBe(0);
      expect(total(before, 'cg_incidents_open')).toBe(0);

      await h.client.chat.completions.create({
        model: 'demo',
        user: 'm1',
        messages: [{ role: 'user', content: '你好' }],
      });
      const stream = await h.client.chat.completions.create({
        model: 'demo',
        user: 'm2',
        stream: true,
        messages: [{ role: 'user', content: '我今晚就要自杀' }],
      });
      for await (const _ of stream) {
        // drain
      }
      const bad = await fetch(`${h.server.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{',
      });
      expect(bad.status).toBe(400);

      const after = await scrape(h.server.url);
      const chat = { route: 'POST /v1/chat/completions', method: 'POST' };
      expect(total(after, 'cg_http_requests_total', { ...chat, status: '200' })).toBe(2);
      expect(total(after, 'cg_http_requests_total', { ...chat, status: '400' })).toBe(1);
      const latency = after.find((f) => f.name === 'cg_http_request_duration_seconds');
      expect(latency?.type).toBe('HISTOGRAM');
      expect(latency?.metrics.some((m) => Number(m.buckets?.['+Inf']) === 3)).toBe(true);
      // DISC-1 on both first turns; RISK-3 on the crisis turn.
      expect(total(after, 'cg_directives_total', { type: 'ai-disclosure' })).toBe(2);
      expect(total(after, 'cg_directives_total', { type: 'crisis-resources' })).toBeGreaterThanOrEqual(1);
      expect(
        total(after, 'cg_detector_findings_total', { side: 'input', detector: 'crisis', tier: '2' }),
      ).toBe(1);
      expect(total(after, 'cg_incidents_open')).toBe(1);
      expect(after.find((f) => f.name === 'cg_complaints_overdue')?.type).toBe('GAUGE');
      // No user id or text in any label.
      const text = await (await fetch(`${h.server.url}/metrics`)).text();
      expect(text).not.toContain('m2');
      expect(text).not.toContain('自杀');
    } finally {
      await h.stop();
    }
  });

  it('is refused to proxied peers without a token, and needs the token once one is configured', async () => {
    const open = await startHarness();
    try {
      const proxied = await fetch(`${open.server.url}/metrics`, {
        headers: { 'x-forwarded-for': '203.0.113.9' },
      });
      expect(proxied.status).toBe(403);
      expect(((await proxied.json()) as { code: string }).code).toBe('forbidden');
    } finally {
      await open.stop();
    }
    const token = 'metrics-token-0123456789';
    const locked = await startHarness({ config: { metrics: { token } } });
    try {
      expect((await fetch(`${locked.server.url}/metrics`)).status).toBe(401);
      const wrong = await fetch(`${locked.server.url}/metrics`, {
        headers: { authorization: 'Bearer nope' },
      });
      expect(wrong.status).toBe(401);
      const families = await scrape(locked.server.url, {
        authorization: `Bearer ${token}`,
        'x-forwarded-for': '203.0.113.9',
      });
      expect(families.some((f) => f.name === 'cg_http_requests_total')).toBe(true);
    } finally {
      await locked.stop();
    }
  });
});
