import { isCgError } from '@companion-guard/core';
import { describe, expect, it } from 'vitest';
import { parseStoreUrl } from './store-url.js';

describe('parseStoreUrl', () => {
  it.each([
    ['sqlite:///abs/path/db.sqlite', { dialect: 'sqlite', filename: '/abs/path/db.sqlite' }],
    ['sqlite:relative/path.sqlite', { dialect: 'sqlite', filename: '/srv/cg/relative/path.sqlite' }],
    ['sqlite://relative/path.sqlite', { dialect: 'sqlite', filename: '/srv/cg/relative/path.sqlite' }],
    ['sqlite:/abs/db.sqlite', { dialect: 'sqlite', filename: '/abs/db.sqlite' }],
    ['sqlite::memory:', { dialect: 'sqlite', filename: ':memory:' }],
    ['./data/companion-guard.sqlite', { dialect: 'sqlite', filename: '/srv/cg/data/companion-guard.sqlite' }],
    ['data/db.sqlite', { dialect: 'sqlite', filename: '/srv/cg/data/db.sqlite' }],
    ['/var/lib/cg/db.sqlite', { dialect: 'sqlite', filename: '/var/lib/cg/db.sqlite' }],
    ['postgres://cg:pw@db:5432/cg', { dialect: 'postgres', connectionString: 'postgres://cg:pw@db:5432/cg' }],
    [
      'postgresql://db/cg?sslmode=require',
      { dialect: 'postgres', connectionString: 'postgresql://db/cg?sslmode=require' },
    ],
  ])('%s', (url, expected) => {
    expect(parseStoreUrl(url, '/srv/cg')).toEqual(expected);
  });

  it.each([['mysql://db/cg'], ['redis://localhost'], [''], ['sqlite:']])(
    'refuses %j with invalid-config',
    (url) => {
      let caught: unknown;
      try {
        parseStoreUrl(url, '/srv/cg');
      } catch (error) {
        caught = error;
      }
      expect(isCgError(caught, 'invalid-config')).toBe(true);
    },
  );

  it('does not echo a password from an unsupported URL', () => {
    try {
      parseStoreUrl('mysql://root:hunter2@db/cg', '/srv/cg');
    } catch (error) {
      expect((error as Error).message).not.toContain('hunter2');
      return;
    }
    throw new Error('expected an error');
  });
});
