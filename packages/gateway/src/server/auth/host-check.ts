import { CgError } from '@companion-guard/core';
import type { MiddlewareHandler } from 'hono';

/** Which `Host` and `Origin` names the gateway answers to. */
export interface HostCheckOptions {
  /** True when the server listens on a loopback address only. */
  readonly loopback: boolean;
  /** The port the server listens on (read per request: known only once listening). */
  readonly port: () => number;
  /**
   * Config `server.allowedHosts`: names (`host`, any port) or `host:port`. On loopback they are allowed
   * besides the loopback names; on other addresses, when set, they are the only names allowed.
   */
  readonly allowedHosts: readonly string[];
}

const loopbackNames = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Splits `name:port` (IPv6 in brackets); a missing port is the scheme's default. */
function splitHost(host: string, defaultPort: string): { name: string; port: string } {
  const at = host.startsWith('[') ? host.indexOf(']') + 1 : host.lastIndexOf(':');
  if (at <= 0 || host[at] !== ':') return { name: host, port: defaultPort };
  return { name: host.slice(0, at), port: host.slice(at + 1) };
}

const refusal = (header: string, value: string) =>
  new CgError(
    'forbidden-host',
    `The ${header} "${value.slice(0, 100)}" is not one this gateway serves (config server.allowedHosts).`,
  );

/**
 * Refuses requests whose `Host` (or `Origin`, when present) names a host the gateway does not serve, with
 * `403 forbidden-host`. This closes DNS rebinding and cross-site posts to a keyless loopback gateway: a
 * page on another site cannot make the browser send a loopback `Host` with a matching `Origin`.
 */
export function hostCheck(options: HostCheckOptions): MiddlewareHandler {
  const extra = new Set(options.allowedHosts.map((h) => h.toLowerCase()));
  const allowed = (host: string, defaultPort: string): boolean => {
    const value = host.toLowerCase();
    const { name, port } = splitHost(value, defaultPort);
    if (extra.has(value) || extra.has(name) || extra.has(`${name}:${port}`)) return true;
    return options.loopback && loopbackNames.has(name) && port === String(options.port());
  };
  if (!options.loopback && extra.size === 0) return (_c, next) => next();
  return (c, next) => {
    const host = c.req.header('host') ?? new URL(c.req.url).host;
    if (!allowed(host, '80')) throw refusal('Host', host);
    const origin = c.req.header('origin');
    if (origin !== undefined) {
      const url = URL.canParse(origin) ? new URL(origin) : undefined;
      const ok =
        url !== undefined &&
        (url.protocol === 'http:' || url.protocol === 'https:') &&
        allowed(url.host, url.protocol === 'https:' ? '443' : '80');
      if (!ok) throw refusal('Origin', origin);
    }
    return next();
  };
}
