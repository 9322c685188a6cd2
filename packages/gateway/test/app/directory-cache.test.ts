import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveProfile } from '@companion-guard/core';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { createSessionDirectory } from '../../src/server/chat/session-directory.js';
import { createStore } from '../../src/storage/index.js';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cg-directory-'));
  vi.useFakeTimers({ toFake: ['Date'] });
});
afterEach(async () => {
  vi.useRealTimers();
  await rm(dir, { recursive: true, force: true });
});

const character = {
  id: 'lin',
  name: { zh: '小林', en: 'Lin' },
  description: { zh: '朋友', en: 'a friend' },
  scope: 'companion',
  relation: 'friend',
  persona: '',
  model: null,
  enabled: true,
} as const;

it('cached users and characters expire 5 s after they were read, however often they are used meanwhile', async () => {
  const store = await createStore({ url: `sqlite:${join(dir, 'store.sqlite')}`, masterKey: randomBytes(32) });
  try {
    await store.upsertCharacter(character);
    const profile = resolveProfile('cn-2026');
    const directory = createSessionDirectory({ store, profile, defaultCharacterId: 'lin' });
    const user = await directory.resolveUser('u1', 'zh', Date.now());
    await directory.resolveCharacter('lin');

    // Changed behind the directory's back (as another instance would, with its event lost).
    await store.upsertCharacter({ ...character, enabled: false });
    await store.updateUser(user.id, { locale: 'en' });
    for (let i = 0; i < 9; i++) {
      vi.advanceTimersByTime(500); // in use every half second, up to 4.5 s after the read
      await expect(directory.resolveCharacter('lin')).resolves.toMatchObject({ enabled: true });
      expect((await directory.resolveUser('u1', undefined, Date.now())).locale).toBe('zh');
    }
    vi.advanceTimersByTime(500);
    await expect(directory.resolveCharacter('lin')).rejects.toMatchObject({ code: 'character-disabled' });
    expect((await directory.resolveUser('u1', undefined, Date.now())).locale).toBe('en');
  } finally {
    await store.close();
  }
});

it('a change reported while a read is in flight is not undone by that read', async () => {
  const store = await createStore({ url: `sqlite:${join(dir, 'store.sqlite')}`, masterKey: randomBytes(32) });
  try {
    await store.upsertCharacter(character);
    // The store as it is, except that a character read returns only when the test says so.
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slowReads = new Proxy(store, {
      get(target, name) {
        if (name === 'getCharacter') {
          return async (id: string) => {
            const read = await target.getCharacter(id);
            await gate;
            return read;
          };
        }
        const value = Reflect.get(target, name, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const profile = resolveProfile('cn-2026');
    const directory = createSessionDirectory({ store: slowReads, profile, defaultCharacterId: 'lin' });
    const reading = directory.resolveCharacter('lin'); // a miss: it reads the store, then would cache
    await store.upsertCharacter({ ...character, enabled: false });
    directory.forgetCharacter('lin'); // the change's event arrives before the read has finished
    release();
    await expect(reading).resolves.toMatchObject({ enabled: true }); // what it read before the change
    await expect(directory.resolveCharacter('lin')).rejects.toMatchObject({ code: 'character-disabled' });
  } finally {
    await store.close();
  }
});
