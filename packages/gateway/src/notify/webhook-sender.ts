import { createHmac, timingSafeEqual } from 'node:crypto';
import { DeliveryError } from './delivery-error.js';

/** A configured webhook: where to POST, the shared signing secret, and which notifications it gets. */
export interface WebhookEndpoint {
  readonly url: string;
  readonly secret: string;
  /** `contact`: alerts for the user's guardian or emergency contact (the app relays them); `on-call`: for operators. */
  readonly audience: 'contact' | 'on-call' | 'all';
  /** Per request; default 10 s. */
  readonly timeoutMs?: number | undefined;
}

/** The JSON body of a webhook call: ids and facts only, never conversation text or contact details. */
export interface WebhookBody {
  readonly type: 'incident.opened' | 'incident.escalated';
  readonly incident_id: string;
  /** The app's id for the user. */
  readonly user: string;
  readonly severity: 'critical' | 'high';
  readonly reason: 'crisis' | 'scam' | 'property-loss' | 'operator';
  /** ISO 8601. */
  readonly opened_at: string;
  readonly audience: 'guardian' | 'emergency-contact' | 'contact' | 'on-call';
}

const signatureVersion = 'v1';

/** `v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`. */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `${signatureVersion}=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * POSTs a signed webhook. Headers: `X-CG-Timestamp` (unix seconds of `nowMs`), `X-CG-Signature`,
 * `Idempotency-Key` (the same on every retry of one notification). Resolves on 2xx; otherwise throws a
 * `DeliveryError`: 4xx other than 408 and 429 is permanent, anything else (5xx, timeout, network) retryable.
 */
export async function postSignedWebhook(
  endpoint: WebhookEndpoint,
  body: WebhookBody,
  options: { readonly idempotencyKey: string; readonly nowMs: number; readonly fetch?: typeof fetch },
): Promise<{ id: string }> {
  const text = JSON.stringify(body);
  const timestamp = String(Math.floor(options.nowMs / 1000));
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(endpoint.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'companion-guard-webhook/1',
        'x-cg-timestamp': timestamp,
        'x-cg-signature': signWebhook(endpoint.secret, timestamp, text),
        'idempotency-key': options.idempotencyKey,
      },
      body: text,
      redirect: 'manual',
      signal: AbortSignal.timeout(endpoint.timeoutMs ?? 10_000),
    });
  } catch (cause) {
    const timedOut = cause instanceof Error && (cause.name === 'TimeoutError' || cause.name === 'AbortError');
    throw new DeliveryError(timedOut ? 'timeout' : 'network-error', { retryable: true, cause });
  }
  // The body is not needed; releasing it frees the connection.
  await response.body?.cancel().catch(() => undefined);
  if (response.status >= 200 && response.status < 300) return { id: options.idempotencyKey };
  const permanent = response.status >= 400 && response.status < 500 && ![408, 429].includes(response.status);
  throw new DeliveryError(`http-${response.status}`, { retryable: !permanent });
}

function headerValue(
  headers: Headers | Readonly<Record<string, string | readonly string[] | undefined>>,
  name: string,
): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : headers[key];
  return typeof value === 'string' ? value : value?.[0];
}

/**
 * For receivers: true when `body` (the raw request body) carries a valid `X-CG-Signature` for `secret` and its
 * `X-CG-Timestamp` is within `toleranceMs` of `nowMs` (replays of old calls fail). Compares in constant time.
 *
 * @example
 * verifyWebhookSignature(secret, request.headers, await request.text(), Date.now()) // true
 */
export function verifyWebhookSignature(
  secret: string,
  headers: Headers | Readonly<Record<string, string | readonly string[] | undefined>>,
  body: string,
  nowMs: number,
  toleranceMs = 5 * 60_000,
): boolean {
  const timestamp = headerValue(headers, 'x-cg-timestamp');
  const signature = headerValue(headers, 'x-cg-signature');
  if (timestamp === undefined || signature === undefined || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(nowMs - Number(timestamp) * 1000) > toleranceMs) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
