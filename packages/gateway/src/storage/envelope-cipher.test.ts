import { randomBytes } from 'node:crypto';
import { isCgError } from '@companion-guard/core';
import { describe, expect, it } from 'vitest';
import {
  decryptContent,
  encryptContent,
  generateDataKey,
  LruCache,
  masterKeyCheck,
  unwrapDataKey,
  wrapDataKey,
} from './envelope-cipher.js';

function storeError(work: () => unknown): Error {
  try {
    work();
  } catch (error) {
    expect(isCgError(error, 'store-error')).toBe(true);
    return error as Error;
  }
  throw new Error('expected a store-error');
}

describe('DATA-1 envelope encryption', () => {
  const master = randomBytes(32);
  const dek = generateDataKey();
  const text = '今晚的月亮很圆 🌕 — the moon is full tonight';

  it('round-trips content and never repeats an IV (same text, different ciphertexts)', () => {
    const a = encryptContent(dek, 'm-1', text);
    const b = encryptContent(dek, 'm-1', text);
    expect(decryptContent(dek, 'm-1', a)).toBe(text);
    expect(a.equals(b)).toBe(false);
    expect(a.subarray(1, 13).equals(b.subarray(1, 13))).toBe(false);
    expect(a.length).toBe(1 + 12 + 16 + Buffer.byteLength(text));
    expect(a.includes(Buffer.from('moon'))).toBe(false);
  });

  it('draws a distinct IV for every seal, across refills of the IV pool', () => {
    const ivs = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const sealed = encryptContent(dek, `m-${i}`, i % 2 === 0 ? text : '');
      ivs.add(sealed.subarray(1, 13).toString('hex'));
      expect(decryptContent(dek, `m-${i}`, sealed)).toBe(i % 2 === 0 ? text : '');
    }
    expect(ivs.size).toBe(2000);
  });

  it('refuses a ciphertext moved to another message id, one flipped bit, or another key', () => {
    const sealed = encryptContent(dek, 'm-1', text);
    expect(storeError(() => decryptContent(dek, 'm-2', sealed)).message).not.toContain('moon');
    for (const index of [0, 5, 20, sealed.length - 1]) {
      const flipped = Buffer.from(sealed);
      flipped[index] = (flipped[index] ?? 0) ^ 1;
      storeError(() => decryptContent(dek, 'm-1', flipped));
    }
    storeError(() => decryptContent(generateDataKey(), 'm-1', sealed));
    storeError(() => decryptContent(dek, 'm-1', sealed.subarray(0, 10)));
  });

  it('wraps data keys bound to user and key id; the wrong master key or user cannot unwrap', () => {
    const wrapped = wrapDataKey(master, 'user-a', 'key-1', dek);
    expect(wrapped.includes(dek)).toBe(false);
    expect(unwrapDataKey(master, 'user-a', 'key-1', wrapped).equals(dek)).toBe(true);
    storeError(() => unwrapDataKey(master, 'user-b', 'key-1', wrapped));
    storeError(() => unwrapDataKey(master, 'user-a', 'key-2', wrapped));
    storeError(() => unwrapDataKey(randomBytes(32), 'user-a', 'key-1', wrapped));
  });

  it('refuses keys of the wrong size', () => {
    expect(() => wrapDataKey(randomBytes(16), 'u', 'k', dek)).toThrow();
    expect(() => masterKeyCheck(randomBytes(31))).toThrow();
  });

  it('derives a stable check value per master key that does not reveal it', () => {
    expect(masterKeyCheck(master)).toBe(masterKeyCheck(Buffer.from(master)));
    expect(masterKeyCheck(master)).not.toBe(masterKeyCheck(randomBytes(32)));
    expect(masterKeyCheck(master)).not.toContain(master.toString('hex'));
  });
});

describe('LruCache', () => {
  it('evicts the least recently used entry beyond capacity', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
    expect(cache.size).toBe(2);
    cache.delete('a');
    expect(cache.get('a')).toBeUndefined();
  });

  it('never evicts an entry read once every capacity / 2 writes; the others go oldest first', () => {
    const cache = new LruCache<string, number>(100);
    cache.set('hot', 0);
    for (let i = 0; i < 1000; i++) {
      cache.set(`k${i}`, i);
      if (i % 50 === 0) expect(cache.get('hot')).toBe(0);
    }
    expect(cache.size).toBe(100);
    expect(cache.get('hot')).toBe(0);
    // 99 places left: the newest 99 keys, nothing older.
    expect(cache.get('k901')).toBe(901);
    expect(cache.get('k900')).toBeUndefined();
  });
});
