import { CgError, type ErrorCode, isCgError } from '@companion-guard/core';
import type { Logger } from '../logger.js';
import { RateLimitedError } from './limits/rate-limits.js';
import { storeFailure } from './store-failures.js';

const openAiType: Partial<Record<ErrorCode, string>> = {
  unauthorized: 'authentication_error',
  forbidden: 'permission_error',
  'forbidden-host': 'permission_error',
  'upstream-error': 'api_error',
  'upstream-timeout': 'api_error',
  internal: 'api_error',
  'store-error': 'api_error',
  'store-unavailable': 'api_error',
  'store-full': 'api_error',
  'not-found': 'not_found_error',
  'unknown-character': 'not_found_error',
  'rate-limited': 'rate_limit_error',
};

/**
 * Normalizes anything thrown into a CgError: an unreachable or full database is `store-unavailable` /
 * `store-full` (see `storeFailure`); unknown errors are logged (without
 * internals) as `internal`.
 */
export function toCgError(e: unknown, logger: Logger): CgError {
  const store = storeFailure(e);
  if (store) {
    logger.error('store failed', { code: store.code, cause: describeCause(e) });
    return store;
  }
  if (isCgError(e)) {
    if (e.status >= 500) logger.error('request failed', { code: e.code, cause: describeCause(e.cause) });
    return e;
  }
  logger.error('unexpected error', { cause: describeCause(e) });
  return new CgError('internal', undefined, { cause: e });
}

/** A short, content-free description of a cause for logs: its class and code, never its message text. */
function describeCause(cause: unknown): string | undefined {
  if (cause === undefined) return undefined;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return `${cause.name}${typeof code === 'string' ? `(${code})` : ''}`;
  }
  return typeof cause;
}

/** The one mapping from errors to HTTP bodies: OpenAI-shaped under `/v1/`, `{ code, message }` elsewhere. */
export function errorBody(e: CgError, path: string): Record<string, unknown> {
  if (path.startsWith('/v1/')) {
    return {
      error: {
        message: e.message,
        type: openAiType[e.code] ?? 'invalid_request_error',
        code: e.code,
        param: null,
      },
    };
  }
  return { code: e.code, message: e.message };
}

/** Builds the error Response (with `Retry-After` for `rate-limited`). */
export function errorResponse(e: CgError, path: string): Response {
  const headers: Record<string, string> =
    e instanceof RateLimitedError ? { 'retry-after': String(e.retryAfterSeconds) } : {};
  return Response.json(errorBody(e, path), { status: e.status, headers });
}
