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

it('cached users and characters expire 5 s after they were read, however often they are used meanwhile', async () => {
  const store = await createStore({ url: `sqlite:${join(dir, 'store.sqlite')}`, masterKey: randomBytes(32) });
  try {
    const profile = resolveProfile('cn-2026');
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
    await store.upsertCharacter(character);
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
