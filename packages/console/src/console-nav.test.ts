import { describe, expect, it } from 'vitest';
import { consolePages, homePage, isConsolePath, mayOpen, pageFromPath, pagesFor } from './console-nav.js';
import { staffRoles } from './staff-api.js';

describe('console navigation', () => {
  it.each([
    ['operator', ['queue', 'guardians']],
    ['compliance', ['compliance', 'guardians']],
    ['auditor', ['audit']],
    ['admin', ['staff', 'characters', 'keys', 'guardians']],
  ] as const)('shows %s only its own pages', (role, pages) => {
    expect(pagesFor(role)).toEqual(pages);
    expect(homePage(role)).toBe(pages[0]);
  });

  it('lets a role open exactly the pages in its navigation', () => {
    for (const role of staffRoles) {
      for (const page of consolePages) {
        expect(mayOpen(role, page)).toBe(pagesFor(role).includes(page));
      }
    }
  });

  it.each([
    ['/console', 'home'],
    ['/console/', 'home'],
    ['/console/keys', 'keys'],
    ['/console/staff/', 'staff'],
    ['/console/characters/xiaoyu', 'characters'],
    ['/console/nonsense', null],
    ['/consoles', null],
    ['/', null],
  ] as const)('reads %s as %s', (path, page) => {
    expect(pageFromPath(path)).toBe(page);
  });

  it('tells the staff console from the demo chat by path', () => {
    expect(isConsolePath('/console')).toBe(true);
    expect(isConsolePath('/console/audit')).toBe(true);
    expect(isConsolePath('/')).toBe(false);
    expect(isConsolePath('/consoles')).toBe(false);
    expect(isConsolePath('/v1/console')).toBe(false);
  });
});
