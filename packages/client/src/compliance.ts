import type { Compliance, ErrorCode } from './wire.js';

type Loose = { readonly [key: string]: unknown };

function isObject(x: unknown): x is Loose {
  return typeof x === 'object' && x !== null;
}

/** True when `x` has the shape of the `compliance` extension (directives, label, session). */
function isCompliance(x: unknown): x is Compliance {
  if (!isObject(x) || !Array.isArray(x.directives) || !isObject(x.session)) return false;
  const { session, label } = x;
  return (
    typeof session.id === 'string' &&
    typeof session.state === 'string' &&
    (label === null || isObject(label)) &&
    x.directives.every((d) => isObject(d) && typeof d.type === 'string' && typeof d.text === 'string')
  );
}

/**
 * The `compliance` extension carried by `x`, or null when it carries none. Reads what the official `openai`
 * client returns alike: a non-streamed completion, a stream chunk, an `APIError` (its `error` body) and the
 * answers of the session actions; also a LangChain message whose `additional_kwargs.__raw_response` is the
 * raw completion or chunk (`ChatOpenAI({ __includeRawResponse: true })`).
 *
 * Only chunks that carry directives have it: the first one (before any content) and the last one when
 * directives come late (`output-withheld`). A directive type this version does not know (from a newer
 * gateway) is kept, not dropped: show its `text` as its `display` says.
 *
 * @example
 * const completion = await openai.chat.completions.create({ model, messages, user: 'u-1' });
 * for (const d of complianceOf(completion)?.directives ?? []) show(d);
 */
export function complianceOf(x: unknown): Compliance | null {
  if (!isObject(x)) return null;
  if (isCompliance(x.compliance)) return x.compliance;
  if (isObject(x.error) && isCompliance(x.error.compliance)) return x.error.compliance;
  if (isObject(x.additional_kwargs)) return complianceOf(x.additional_kwargs.__raw_response);
  return null;
}

/**
 * The envelopes of one response as one: the directives of all, in order; label, session and author of the
 * last. For a stream, whose first and last chunks may both carry one.
 */
export function mergeCompliance(a: Compliance | null, b: Compliance | null): Compliance | null {
  if (!a || !b) return a ?? b;
  return { ...b, directives: [...a.directives, ...b.directives] };
}

/** A gateway error as the client sees it: a stable code, the message, and the HTTP status when known. */
export interface GatewayErrorInfo {
  readonly code: ErrorCode | (string & {});
  readonly message: string;
  readonly status: number | null;
}

/**
 * The gateway error in `x`, or null: an `APIError` of the `openai` client (or a stream error it threw), a
 * `GatewayError` of this package, or an error body (`{ error: { code, message } }` under `/v1`,
 * `{ code, message }` elsewhere).
 *
 * @example
 * try { … } catch (e) { if (errorOf(e)?.code === 'missing-user') … }
 */
export function errorOf(x: unknown): GatewayErrorInfo | null {
  if (!isObject(x)) return null;
  const status = typeof x.status === 'number' ? x.status : null;
  const body = isObject(x.error) ? x.error : x;
  if (typeof body.code !== 'string') return null;
  const message = typeof body.message === 'string' ? body.message : '';
  return { code: body.code, message, status };
}

/**
 * An error answer of the gateway to one of this package's helpers: `code` is the gateway's stable code, or
 * `http-<status>` when the answer had none (a proxy in between), or `invalid-response` when the gateway's
 * answer was not what the contract says.
 */
export class GatewayError extends Error {
  readonly code: ErrorCode | (string & {});
  readonly status: number;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'GatewayError';
    this.status = status;
    this.code = code;
  }
}

/** The `GatewayError` of an error answer (the `/v1` body `{ error: { code, message } }`). */
export function errorFrom(status: number, body: unknown): GatewayError {
  const info = errorOf(body);
  return new GatewayError(
    status,
    info?.code ?? `http-${status}`,
    info?.message || `The gateway answered ${status}.`,
  );
}
