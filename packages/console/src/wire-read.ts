/**
 * What both HTTP clients (the demo chat's `api.ts`, the staff console's `staff-api.ts`) need to read the
 * gateway's answers defensively: the error type they reject with, and the readers of wire values.
 */

export interface LocalizedText {
  readonly zh: string;
  readonly en: string;
}

/** An error answer from the gateway, or a failure to reach it (`status` 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly type: string;

  constructor(message: string, options: { status: number; code: string; type: string; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.name = 'ApiError';
    this.status = options.status;
    this.code = options.code;
    this.type = options.type;
  }
}

/** The gateway could not be reached: `fetch` itself failed. */
export function unreachable(cause: unknown): ApiError {
  return new ApiError('The gateway could not be reached.', {
    status: 0,
    code: 'network_error',
    type: 'network_error',
    cause,
  });
}

/** An error answer whose body does not say more than its HTTP status. */
export function httpError(status: number): ApiError {
  return new ApiError(`The gateway answered with HTTP ${status}.`, {
    status,
    code: `http_${status}`,
    type: 'http_error',
  });
}

/** An answer that lacks what the page needs. */
export function invalidResponse(message: string, cause?: unknown): ApiError {
  return new ApiError(message, { status: 0, code: 'invalid_response', type: 'invalid_response', cause });
}

export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw invalidResponse('The gateway sent an answer that is not JSON.', cause);
  }
}

/** The JSON of an error answer's body; `null` when it is not JSON. */
export function errorBodyOf(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** A wire text in both languages: one string for both, or `{ zh, en }` with either filling in for the other. */
export function readLocalized(value: unknown, fallback: string): LocalizedText {
  if (typeof value === 'string') return { zh: value, en: value };
  if (!isRecord(value)) return { zh: fallback, en: fallback };
  const zh = typeof value.zh === 'string' ? value.zh : undefined;
  const en = typeof value.en === 'string' ? value.en : undefined;
  return { zh: zh ?? en ?? fallback, en: en ?? zh ?? fallback };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A non-empty string, or `null`. */
export function readText(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** A finite number, else 0. */
export function readCount(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/** A finite number of at least 0 (a duration, a mean, a count that may be missing), else `null`. */
export function readNonNegative(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;
}

/** Epoch milliseconds from a number of milliseconds or an ISO date string; `null` otherwise. */
export function readTime(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string') {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? null : ms;
  }
  return null;
}
