import { createCipheriv, createDecipheriv, createHmac, randomBytes, randomFillSync } from 'node:crypto';
import { CgError } from '@companion-guard/core';

/**
 * Envelope encryption for message content (DATA-1).
 *
 * - Every user has a random 256-bit data key (DEK). It is stored only wrapped (AES-256-GCM) by the master
 *   key, with associated data naming the user and the key id, so a wrapped key cannot be moved to another
 *   user's row. Deleting the wrapped key makes that user's ciphertexts unreadable for good (crypto-shredding,
 *   DATA-4), backups included, as long as the master key is not also leaked with an old copy of the key row.
 * - Every message content is sealed with AES-256-GCM under its user's DEK, a fresh random 96-bit IV and
 *   associated data naming the message id, so ciphertexts cannot be swapped between rows unnoticed.
 *
 * Sealed layout (one buffer): version byte `0x01` | IV (12 bytes) | tag (16 bytes) | ciphertext.
 */
const formatVersion = 1;
const ivLength = 12;
const tagLength = 16;
const headerLength = 1 + ivLength + tagLength;

export const keyLength = 32;

function assertKey(key: Uint8Array, what: string): void {
  if (key.length !== keyLength) {
    throw new CgError('invalid-config', `The ${what} must be ${keyLength} bytes, got ${key.length}.`);
  }
}

/**
 * IVs come from a pool the CSPRNG fills a few hundred at a time: one call into it per pool instead of one per
 * seal (a visible cost per message). Every pooled byte is handed out once, so each IV is as fresh and random
 * as one drawn alone; IVs are public (stored beside the ciphertext), so holding the next ones in memory
 * reveals nothing.
 */
const ivPool = Buffer.alloc(ivLength * 340);
let ivPoolUsed = ivPool.length;

function seal(key: Uint8Array, plaintext: Uint8Array, associatedData: string): Buffer {
  if (ivPoolUsed === ivPool.length) {
    randomFillSync(ivPool);
    ivPoolUsed = 0;
  }
  // A view into the pool: the cipher and the concatenation below copy it before the pool is refilled.
  const iv = ivPool.subarray(ivPoolUsed, ivPoolUsed + ivLength);
  ivPoolUsed += ivLength;
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: tagLength });
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.of(formatVersion), iv, cipher.getAuthTag(), body]);
}

/** Returns undefined when the buffer is malformed or fails authentication. */
function open(key: Uint8Array, sealed: Uint8Array, associatedData: string): Buffer | undefined {
  if (sealed.length < headerLength || sealed[0] !== formatVersion) return undefined;
  const iv = sealed.subarray(1, 1 + ivLength);
  const tag = sealed.subarray(1 + ivLength, headerLength);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: tagLength });
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(sealed.subarray(headerLength)), decipher.final()]);
  } catch {
    return undefined;
  }
}

const dekAssociatedData = (userId: string, keyId: string): string => `cg:dek:v1:${userId}:${keyId}`;
const messageAssociatedData = (messageId: string): string => `cg:msg:v1:${messageId}`;

/** A fresh random data key. */
export function generateDataKey(): Buffer {
  return randomBytes(keyLength);
}

/** Wraps a user's data key under the master key. */
export function wrapDataKey(
  masterKey: Uint8Array,
  userId: string,
  keyId: string,
  dataKey: Uint8Array,
): Buffer {
  assertKey(masterKey, 'master key');
  assertKey(dataKey, 'data key');
  return seal(masterKey, dataKey, dekAssociatedData(userId, keyId));
}

/**
 * Unwraps a user's data key. Throws `CgError('store-error')` when it does not authenticate (wrong master key,
 * tampered row, or a wrapped key moved to another user).
 */
export function unwrapDataKey(
  masterKey: Uint8Array,
  userId: string,
  keyId: string,
  wrapped: Uint8Array,
): Buffer {
  const key = open(masterKey, wrapped, dekAssociatedData(userId, keyId));
  if (key === undefined || key.length !== keyLength) {
    throw new CgError('store-error', `The data key ${keyId} does not authenticate under the master key.`);
  }
  return key;
}

const secretAssociatedData = (purpose: string, ownerId: string): string =>
  `cg:secret:v1:${purpose}:${ownerId}`;

/**
 * Seals a small secret (a staff member's TOTP secret) under the master key, bound to its purpose and owner,
 * so a sealed secret cannot be moved to another row unnoticed.
 */
export function wrapSecret(masterKey: Uint8Array, purpose: string, ownerId: string, secret: string): Buffer {
  assertKey(masterKey, 'master key');
  return seal(masterKey, Buffer.from(secret, 'utf8'), secretAssociatedData(purpose, ownerId));
}

/** Opens a secret sealed by {@link wrapSecret}; throws `CgError('store-error')` when it does not authenticate. */
export function unwrapSecret(
  masterKey: Uint8Array,
  purpose: string,
  ownerId: string,
  wrapped: Uint8Array,
): string {
  const plain = open(masterKey, wrapped, secretAssociatedData(purpose, ownerId));
  if (plain === undefined) {
    throw new CgError(
      'store-error',
      `The ${purpose} secret of ${ownerId} does not authenticate under the master key.`,
    );
  }
  return plain.toString('utf8');
}

/**
 * Encrypts one message content under its user's data key, bound to the message id. The text is sealed as
 * UTF-8, so a lone UTF-16 surrogate (invalid Unicode) comes back as U+FFFD.
 */
export function encryptContent(dataKey: Uint8Array, messageId: string, content: string): Buffer {
  return seal(dataKey, Buffer.from(content, 'utf8'), messageAssociatedData(messageId));
}

/**
 * Decrypts one message content. Throws `CgError('store-error')` naming only the message id when the
 * ciphertext was altered, swapped from another row, or sealed under another key.
 */
export function decryptContent(dataKey: Uint8Array, messageId: string, sealed: Uint8Array): string {
  const plain = open(dataKey, sealed, messageAssociatedData(messageId));
  if (plain === undefined) {
    throw new CgError('store-error', `The content of message ${messageId} failed authentication.`);
  }
  return plain.toString('utf8');
}

/**
 * A keyed check value of the master key, stored beside the data so that opening a database with another
 * master key fails at once with a clear error instead of at the first read.
 */
export function masterKeyCheck(masterKey: Uint8Array): string {
  assertKey(masterKey, 'master key');
  return createHmac('sha256', masterKey).update('companion-guard master key check v1').digest('hex');
}

/** Names a master key in `user_keys.master_key_id` (DATA-1 rotation): 16 hex digits of its check value. */
export function masterKeyId(masterKey: Uint8Array): string {
  return masterKeyCheck(masterKey).slice(0, 16);
}

/**
 * A bounded least-recently-used map (unwrapped data keys, prepared statements). A hit moves its entry to the
 * recent end only once it has fallen into the older half, so most hits are one lookup; an entry read at least
 * once every `capacity / 2` writes is never evicted.
 */
export class LruCache<K, V> {
  readonly #capacity: number;
  readonly #entries = new Map<K, { value: V; at: number }>();
  /** Counts the moves to the recent end: `#clock - at` bounds how many entries are more recent. */
  #clock = 0;

  constructor(capacity: number) {
    this.#capacity = Math.max(1, Math.floor(capacity));
  }

  get(key: K): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (this.#clock - entry.at > this.#capacity / 2) {
      this.#entries.delete(key);
      this.#entries.set(key, entry);
      entry.at = this.#clock++;
    }
    return entry.value;
  }

  set(key: K, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, { value, at: this.#clock++ });
    while (this.#entries.size > this.#capacity) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      this.#entries.delete(oldest.value);
    }
  }

  delete(key: K): void {
    this.#entries.delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }
}
