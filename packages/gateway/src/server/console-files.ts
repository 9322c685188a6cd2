import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { CgError } from '@companion-guard/core';
import type { Context } from 'hono';

const mime: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};

/**
 * Serves the console build (a single-page app: unknown paths get `index.html`). API prefixes are never
 * answered with the page. Without a build every path is `404`.
 */
export function serveConsole(dir: string | null): (c: Context) => Promise<Response> {
  const cache = new Map<string, { body: Uint8Array; type: string }>();
  const load = async (root: string, rel: string) => {
    const hit = cache.get(rel);
    if (hit) return hit;
    const body = new Uint8Array(await readFile(join(root, rel)));
    const entry = { body, type: mime[extname(rel)] ?? 'application/octet-stream' };
    cache.set(rel, entry);
    return entry;
  };
  return async (c) => {
    if (!dir || /^\/(v1|api)(\/|$)/.test(c.req.path)) throw new CgError('not-found');
    let path: string;
    try {
      path = decodeURIComponent(c.req.path);
    } catch {
      throw new CgError('not-found');
    }
    const rel = normalize(path)
      .replace(/^(\.\.[/\\])+/, '')
      .replace(/^\/+/, '')
      .replace(/^console(\/|$)/, '');
    for (const candidate of [rel || 'index.html', 'index.html']) {
      try {
        const file = await load(dir, candidate);
        return c.body(file.body as Uint8Array<ArrayBuffer>, 200, { 'content-type': file.type });
      } catch {
        // Unknown paths fall back to the single-page app.
      }
    }
    throw new CgError('not-found');
  };
}
