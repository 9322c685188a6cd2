import type { AbortSignalLike } from '@companion-guard/core';

/** The `fetch` the guards call; injectable for tests, default the global one. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface GuardHttpOptions {
  /** API base URL, e.g. `https://api.openai.com/v1` or `http://127.0.0.1:8000/v1`. */
  readonly baseUrl: string;
  /** Sent as `Authorization: Bearer …` when set. */
  readonly apiKey?: string;
  /** Own deadline of one request in ms (default 3000); the combiner's deadline also aborts it. */
  readonly timeoutMs?: number;
  readonly fetch?: FetchLike;
}

export type GuardHttpResult =
  | { readonly ok: true; readonly body: unknown }
  | { readonly ok: false; readonly status: 'error' | 'timeout' };

/** Joins a base URL and a path without doubling or dropping the slash. */
export function joinUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/**
 * POSTs JSON and parses the JSON answer. Never throws: a non-2xx status, a network failure or a body that is
 * not JSON is `error`; the own deadline or the caller's abort is `timeout`. Nothing of the request body is
 * logged or put in an error.
 */
export async function postGuardJson(
  options: GuardHttpOptions,
  path: string,
  body: unknown,
  signal?: AbortSignalLike,
): Promise<GuardHttpResult> {
  const controller = new AbortController();
  let timedOut = false;
  const onAbort = () => {
    timedOut = true;
    controller.abort();
  };
  const timer = setTimeout(onAbort, options.timeoutMs ?? 3000);
  signal?.addEventListener('abort', onAbort);
  if (signal?.aborted) onAbort();
  try {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
    const res = await (options.fetch ?? fetch)(joinUrl(options.baseUrl, path), {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
      signal: controller.signal,
    });
    if (!res.ok) {
      await res.body?.cancel();
      return { ok: false, status: 'error' };
    }
    return { ok: true, body: (await res.json()) as unknown };
  } catch {
    return { ok: false, status: timedOut ? 'timeout' : 'error' };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

/** Narrowing helper for parsed JSON. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
