import { CgError, type ErrorCode, isCgError } from '@companion-guard/core';

/** PostgreSQL SQLSTATEs of a server that is going away or not there yet (class 08: connection exceptions). */
const unavailableStates = /^(08...|57P01|57P02|57P03)$/;
/** Node socket errors of a database that cannot be reached. */
const unreachable = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
/**
 * node-postgres reports a dropped or refused connection only in its message; "timeout exceeded" is also a
 * request that waited longer than `connectionTimeoutMillis` for a free pool connection (overload).
 */
const pgConnectionLost =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/;

function classify(e: Error): ErrorCode | null {
  const code = (e as { code?: unknown }).code;
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === '53100') return 'store-full';
  if (typeof code === 'string' && (unreachable.has(code) || unavailableStates.test(code))) {
    return 'store-unavailable';
  }
  return pgConnectionLost.test(e.message) ? 'store-unavailable' : null;
}

/**
 * The stable error for a database that is unreachable (`store-unavailable`, 503: a PostgreSQL restart or a
 * cut network; the pool reconnects by itself) or whose disk is full (`store-full`, 507), looking through
 * the error and its causes (through `store-error`s, not other parts' errors); null for any other error.
 */
export function storeFailure(e: unknown): CgError | null {
  const seen = new Set<unknown>();
  for (let at = e; at instanceof Error && !seen.has(at); at = at.cause) {
    // Another part's own error (the upstream's `upstream-error` over a refused socket) is not the store's.
    if (isCgError(at) && at.code !== 'store-error') return null;
    seen.add(at);
    const code = classify(at);
    if (code) return new CgError(code, undefined, { cause: e });
  }
  return null;
}
