import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhookSignature } from './webhook-sender.js';

const secret = 'whsec-0123456789abcdef';
const body = '{"type":"incident.opened","incident_id":"inc-1"}';
const now = Date.UTC(2026, 6, 15, 8, 0, 0);
const timestamp = String(now / 1000);
const headers = { 'X-CG-Timestamp': timestamp, 'X-CG-Signature': signWebhook(secret, timestamp, body) };

describe('webhook signatures (RISK-5)', () => {
  it('accepts the signed body, in a plain header record or Headers', () => {
    expect(headers['X-CG-Signature']).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(secret, headers, body, now)).toBe(true);
    expect(verifyWebhookSignature(secret, new Headers(headers), body, now + 299_000)).toBe(true);
  });

  it.each([
    ['another secret', 'whsec-other-secret-000', headers, body, now],
    ['a changed body', secret, headers, `${body} `, now],
    ['a stale timestamp', secret, headers, body, now + 301_000],
    ['a timestamp from the future', secret, headers, body, now - 301_000],
    ['no signature', secret, { 'X-CG-Timestamp': timestamp }, body, now],
    [
      'a truncated signature',
      secret,
      { ...headers, 'X-CG-Signature': headers['X-CG-Signature'].slice(0, 20) },
      body,
      now,
    ],
    ['a malformed timestamp', secret, { ...headers, 'X-CG-Timestamp': '1e9' }, body, now],
  ])('refuses %s', (_case, key, given, text, at) => {
    expect(verifyWebhookSignature(key, given, text, at)).toBe(false);
  });
});
