import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';

/**
 * The data directory and its files are private to the gateway's user (LOG-1, DATA-1): the database, its
 * WAL and SHM, key files and the checkpoint file hold user ids, crisis states and signal names. Modes are
 * set explicitly after creation, so they do not depend on the process's umask.
 */
export const privateDirMode = 0o700;
export const privateFileMode = 0o600;

const isPosix = process.platform !== 'win32';

/**
 * Creates `dir` (and missing parents) with mode 0700, or tightens an existing one that others may read or
 * enter. Returns a warning for each mode it had to tighten.
 */
export function ensurePrivateDir(dir: string): string[] {
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true, mode: privateDirMode });
    if (isPosix) chmodSync(dir, privateDirMode);
    return [];
  }
  return tighten(dir, privateDirMode, 'data directory');
}

/**
 * Creates `file` empty with mode 0600 if it does not exist; tightens it (and returns a warning) if it is
 * open to others. `alsoTighten` names companion files to tighten when present (SQLite's `-wal`, `-shm`).
 */
export function ensurePrivateFile(file: string, alsoTighten: readonly string[] = []): string[] {
  const warnings: string[] = [];
  if (existsSync(file)) warnings.push(...tighten(file, privateFileMode, 'file'));
  else {
    closeSync(openSync(file, 'a', privateFileMode));
    if (isPosix) chmodSync(file, privateFileMode);
  }
  for (const other of alsoTighten) {
    if (existsSync(other)) warnings.push(...tighten(other, privateFileMode, 'file'));
  }
  return warnings;
}

function tighten(path: string, mode: number, what: string): string[] {
  if (!isPosix) return [];
  const current = statSync(path).mode & 0o777;
  if ((current & ~mode) === 0) return [];
  chmodSync(path, current & mode);
  return [
    `The ${what} ${path} was open to other users (mode ${current.toString(8)}); tightened to ${(current & mode).toString(8)}.`,
  ];
}
