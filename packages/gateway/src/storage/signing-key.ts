import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CgError } from '@companion-guard/core';
import { createKeyFile, isErrnoCode } from './master-key.js';

/** The environment variable that carries the signing key (PKCS#8 PEM of an Ed25519 private key). */
export const signingKeyEnvVar = 'COMPANION_GUARD_SIGNING_KEY';
/** File name of the signing key inside the data directory (when no other path is configured). */
export const signingKeyFileName = 'signing.key';

/**
 * The Ed25519 key that signs what must stay provable after the database is rewritten: audit checkpoints
 * (LOG-1) and deletion receipts (DATA-4). It never lives in the database: an attacker who can rewrite the
 * database cannot forge a signature.
 */
export interface SigningKey {
  /** First 16 hex digits of the SHA-256 of the raw public key: names the key in what it signed. */
  readonly keyId: string;
  /** SPKI PEM of the public key, to publish and to verify with. */
  readonly publicKeyPem: string;
  /** Base64 Ed25519 signature of `data`. */
  sign(data: string | Uint8Array): string;
  /** `env`, an existing `file`, or a `created` file. */
  readonly source: 'env' | 'file' | 'created';
  /** The key file, or null when the key came from the environment. */
  readonly path: string | null;
}

export interface SigningKeyOptions {
  /** The key file is `<dataDir>/signing.key` unless `file` names another. */
  readonly dataDir: string;
  readonly file?: string | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
}

function keyIdOf(publicKey: KeyObject): string {
  const raw = publicKey.export({ format: 'der', type: 'spki' });
  return createHash('sha256').update(raw).digest('hex').slice(0, 16);
}

function fromPrivateKey(
  privateKey: KeyObject,
  source: SigningKey['source'],
  path: string | null,
): SigningKey {
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new CgError('invalid-config', `The signing key${path ? ` in ${path}` : ''} is not an Ed25519 key.`);
  }
  const publicKey = createPublicKey(privateKey);
  return {
    keyId: keyIdOf(publicKey),
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    sign: (data) => sign(null, Buffer.from(data), privateKey).toString('base64'),
    source,
    path,
  };
}

function parsePrivateKey(pem: string, origin: string): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch (error) {
    throw new CgError(
      'invalid-config',
      `${origin} must hold an Ed25519 private key in PKCS#8 PEM. ${origin} 必须是 PKCS#8 PEM 格式的 Ed25519 私钥。`,
      { cause: error },
    );
  }
}

/**
 * Loads the signing key from `COMPANION_GUARD_SIGNING_KEY`, else from its file, creating the file (mode 0600,
 * a new Ed25519 key) on first start. Creation is atomic: concurrent first starts agree on one key.
 *
 * @example
 * const key = await loadOrCreateSigningKey({ dataDir: './data', env: process.env });
 * verifySignature(key.publicKeyPem, 'x', key.sign('x')) // true
 */
export async function loadOrCreateSigningKey(options: SigningKeyOptions): Promise<SigningKey> {
  const fromEnv = options.env[signingKeyEnvVar];
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    return fromPrivateKey(parsePrivateKey(fromEnv, signingKeyEnvVar), 'env', null);
  }
  const path = options.file ?? join(options.dataDir, signingKeyFileName);
  const read = async (): Promise<SigningKey | undefined> => {
    try {
      const pem = await readFile(path, 'utf8');
      return fromPrivateKey(parsePrivateKey(pem, `The signing key file ${path}`), 'file', path);
    } catch (error) {
      if (isErrnoCode(error, 'ENOENT')) return undefined;
      throw error;
    }
  };
  const existing = await read();
  if (existing) return existing;
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  if (await createKeyFile(path, pem, 'signing key')) return fromPrivateKey(privateKey, 'created', path);
  const winner = await read();
  if (!winner) throw new CgError('invalid-config', `The signing key file ${path} vanished while starting.`);
  return winner;
}

/** True when `signature` (base64) is `publicKeyPem`'s Ed25519 signature of `data`. Never throws. */
export function verifySignature(publicKeyPem: string, data: string | Uint8Array, signature: string): boolean {
  try {
    return verify(null, Buffer.from(data), createPublicKey(publicKeyPem), Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/**
 * The public key to verify with, never creating a key (verifying must not mint one): the PEM file
 * `publicKeyFile` names (an auditor's copy), else the public half of the configured signing key.
 * `invalid-config` when there is neither.
 */
export async function readVerifyingKey(
  options: SigningKeyOptions & { readonly publicKeyFile?: string | undefined },
): Promise<string> {
  const path = options.publicKeyFile ?? options.file ?? join(options.dataDir, signingKeyFileName);
  let pem = options.publicKeyFile ? undefined : options.env[signingKeyEnvVar]?.trim();
  if (!pem) {
    try {
      pem = await readFile(path, 'utf8');
    } catch (cause) {
      throw new CgError(
        'invalid-config',
        `No key at ${path}; pass --public-key FILE.pem. 找不到密钥 ${path}，请用 --public-key 指定公钥文件。`,
        { cause },
      );
    }
  }
  if (options.publicKeyFile) return pem;
  return createPublicKey(parsePrivateKey(pem, `The signing key ${path}`))
    .export({ format: 'pem', type: 'spki' })
    .toString();
}
