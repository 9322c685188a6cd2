import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CgError } from '@companion-guard/core';
import { keyLength } from './envelope-cipher.js';

/** The environment variable that carries the master key (64 hex digits or base64 of 32 bytes). */
export const masterKeyEnvVar = 'COMPANION_GUARD_MASTER_KEY';
/** File name of the master key inside the data directory. */
export const masterKeyFileName = 'master.key';
/** During a master-key rotation (DATA-1): the key being replaced, still read, never used to wrap. */
export const previousMasterKeyEnvVar = 'COMPANION_GUARD_MASTER_KEY_PREVIOUS';
export const previousMasterKeyFileName = 'master.previous.key';

export interface MasterKeyOptions {
  /** Data directory; the key file is `<dataDir>/master.key`. Created if missing. */
  readonly dataDir: string;
  /** Environment to read `COMPANION_GUARD_MASTER_KEY` from (passed in: only config reads `process.env`). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

export interface MasterKey {
  /** 32 bytes. */
  readonly key: Uint8Array;
  /** `env`: from the environment; `file`: read from an existing key file; `created`: a new key file. */
  readonly source: 'env' | 'file' | 'created';
  /** The key file, or null when the key came from the environment. */
  readonly path: string | null;
  /** Things an operator should fix (e.g. a key file readable by others), never the key itself. */
  readonly warnings: readonly string[];
  /** The previous master key while a rotation is under way (read only, never used to wrap), else null. */
  readonly previous: Uint8Array | null;
}

/**
 * Parses a 32-byte key written as 64 hex digits or as base64 (standard or URL-safe alphabet).
 * Throws `CgError('invalid-config')` naming `origin` (never echoing the value) when malformed.
 *
 * @example parseMasterKey('00'.repeat(32), 'env').length // 32
 */
export function parseMasterKey(text: string, origin: string): Uint8Array {
  const value = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, 'hex');
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) {
    const bytes = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (bytes.length === keyLength) return bytes;
  }
  throw new CgError(
    'invalid-config',
    `${origin} must hold a ${keyLength}-byte key as 64 hex digits or base64 (44 characters); ` +
      `the value given (${value.length} characters) is not one. ` +
      `${origin} 必须是 ${keyLength} 字节的密钥（64 位十六进制或 base64）。`,
  );
}

/**
 * Loads the master key that wraps every user's data key (DATA-1): from `COMPANION_GUARD_MASTER_KEY` when
 * set, else from `<dataDir>/master.key`, creating that file (mode 0600, random key) on first start.
 * Creation is atomic: concurrent first starts agree on one key.
 * Losing the key makes every stored message unreadable; back it up apart from the database.
 *
 * @example
 * const { key, source } = await loadOrCreateMasterKey({ dataDir: './data', env: process.env });
 * // first start: source === 'created', ./data/master.key written; later: source === 'file'
 */
export async function loadOrCreateMasterKey(options: MasterKeyOptions): Promise<MasterKey> {
  const fromEnv = options.env[masterKeyEnvVar];
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    const previousText = options.env[previousMasterKeyEnvVar]?.trim();
    const previous = previousText ? parseMasterKey(previousText, previousMasterKeyEnvVar) : null;
    return {
      key: parseMasterKey(fromEnv, masterKeyEnvVar),
      source: 'env',
      path: null,
      warnings: [],
      previous,
    };
  }
  const path = join(options.dataDir, masterKeyFileName);
  const previous = (await readKeyFile(join(options.dataDir, previousMasterKeyFileName)))?.key ?? null;
  const existing = await readKeyFile(path);
  if (existing !== undefined) return { ...existing, previous };

  const key = randomBytes(keyLength);
  const written = await createKeyFile(path, `${key.toString('base64')}\n`, 'master key');
  return written
    ? { key, source: 'created', path, warnings: [], previous }
    : { ...(await readCreatedKeyFile(path)), previous };
}

/**
 * Starts a master-key rotation in the data directory (DATA-1): the current key file is linked to
 * `master.previous.key` (still read while rows are re-wrapped), then a new random key atomically replaces
 * `master.key`. Throws `CgError('invalid-config')` when a previous key file exists (a rotation is under way
 * or its old key was not yet retired). Returns the new key.
 */
export async function rotateMasterKeyFile(dataDir: string): Promise<Uint8Array> {
  const path = join(dataDir, masterKeyFileName);
  const previousPath = join(dataDir, previousMasterKeyFileName);
  try {
    await link(path, previousPath);
  } catch (error) {
    throw new CgError(
      'invalid-config',
      isErrnoCode(error, 'EEXIST')
        ? `${previousPath} exists: the last rotation is not finished or its old key not retired. ` +
            'Run keys rotate-master --resume to finish it, or delete that file to retire the old key. ' +
            '上一次主密钥轮换尚未完成或旧密钥尚未退役。'
        : `Cannot start a master key rotation in ${dataDir} (no readable master.key?).`,
      { cause: error },
    );
  }
  const key = randomBytes(keyLength);
  const temporary = `${path}.${randomBytes(6).toString('hex')}.new`;
  await createKeyFile(temporary, `${key.toString('base64')}\n`, 'new master key');
  await chmod(temporary, 0o600);
  await rename(temporary, path);
  return key;
}

async function readCreatedKeyFile(path: string): Promise<MasterKey> {
  const winner = await readKeyFile(path);
  if (winner === undefined) {
    throw new CgError('invalid-config', `The master key file ${path} vanished while starting.`);
  }
  return winner;
}

/**
 * Writes a new key file (mode 0600, its directory 0700) atomically: in full to a private temporary file,
 * then hard-linked into place. link() fails if the name exists, so a racing start never sees a half-written
 * file. Returns false when another process created the file first (read theirs).
 */
export async function createKeyFile(path: string, contents: string, what: string): Promise<boolean> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temporary, 'wx', 0o600);
  try {
    await handle.writeFile(contents);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(temporary, path);
    return true;
  } catch (error) {
    if (isErrnoCode(error, 'EEXIST')) return false;
    throw new CgError('invalid-config', `Cannot create the ${what} file ${path}.`, { cause: error });
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}

async function readKeyFile(path: string): Promise<MasterKey | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (isErrnoCode(error, 'ENOENT')) return undefined;
    throw new CgError('invalid-config', `Cannot read the master key file ${path}.`, { cause: error });
  }
  const key = parseMasterKey(text, `The master key file ${path}`);
  const warnings: string[] = [];
  const info = await stat(path);
  if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) {
    warnings.push(
      `The master key file ${path} is readable by other users (mode ${(info.mode & 0o777).toString(8)}); run chmod 600.`,
    );
  }
  return { key, source: 'file', path, warnings, previous: null };
}

export function isErrnoCode(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}
