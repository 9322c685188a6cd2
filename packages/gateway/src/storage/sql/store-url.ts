import { isAbsolute, resolve } from 'node:path';
import { CgError } from '@companion-guard/core';

/** Where a store lives, as parsed from its URL. */
export type StoreLocation =
  | { readonly dialect: 'sqlite'; readonly filename: string }
  | { readonly dialect: 'postgres'; readonly connectionString: string };

/**
 * Picks the dialect from a store URL.
 *
 * - `sqlite:///abs/path/db.sqlite` → SQLite file `/abs/path/db.sqlite`
 * - `sqlite:relative/path.sqlite` (or `sqlite://relative/path.sqlite`) → resolved against `cwd`
 * - `sqlite::memory:` → an in-memory SQLite database
 * - a plain file path (`./data/db.sqlite`, `/var/lib/cg.db`) → SQLite
 * - `postgres://…` / `postgresql://…` → PostgreSQL, passed to `pg` as is
 *
 * Anything else throws `CgError('invalid-config')`.
 *
 * @example parseStoreUrl('sqlite:data/cg.sqlite', '/srv') // { dialect: 'sqlite', filename: '/srv/data/cg.sqlite' }
 */
export function parseStoreUrl(url: string, cwd: string = process.cwd()): StoreLocation {
  const value = url.trim();
  if (value === '') throw new CgError('invalid-config', 'The store URL is empty.');
  if (/^postgres(ql)?:\/\//i.test(value)) return { dialect: 'postgres', connectionString: value };
  if (/^sqlite:/i.test(value)) {
    let rest = value.slice('sqlite:'.length);
    if (rest === ':memory:' || rest === '//:memory:') return { dialect: 'sqlite', filename: ':memory:' };
    if (rest.startsWith('//')) rest = rest.slice(2);
    if (rest === '') throw new CgError('invalid-config', `The SQLite URL "${value}" names no file.`);
    return { dialect: 'sqlite', filename: isAbsolute(rest) ? rest : resolve(cwd, rest) };
  }
  // A scheme is two or more letters before ':' (one letter is a Windows drive, i.e. a path).
  const scheme = /^([a-z][a-z0-9+.-]+):/i.exec(value);
  if (scheme) {
    throw new CgError(
      'invalid-config',
      `Unsupported store URL scheme "${scheme[1]}:"; use sqlite:, postgres:// or a file path.`,
    );
  }
  return { dialect: 'sqlite', filename: isAbsolute(value) ? value : resolve(cwd, value) };
}
