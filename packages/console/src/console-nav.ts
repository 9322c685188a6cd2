import type { StaffRole } from './staff-api.js';

/** Where the staff console lives; everything under it is the console, the rest is the demo chat. */
export const consoleBase = '/console';

/** The pages of the staff console, in navigation order. */
export const consolePages = [
  'queue',
  'compliance',
  'audit',
  'staff',
  'characters',
  'keys',
  'guardians',
] as const;
export type ConsolePage = (typeof consolePages)[number];

/**
 * Who sees which page. It mirrors the gateway's authorization matrix (product brief, "People, roles and
 * the API surface"); the gateway enforces it again on every API call, so this only decides what is shown.
 */
const pageRoles: Record<ConsolePage, readonly StaffRole[]> = {
  queue: ['operator'],
  compliance: ['compliance'],
  audit: ['auditor'],
  staff: ['admin'],
  characters: ['admin'],
  keys: ['admin'],
  // Guardians work with operators (alerts, RISK-5), compliance (consents) and admins (set-up).
  guardians: ['operator', 'compliance', 'admin'],
};

/** True when the console path is the staff console (`/console` or below). */
export function isConsolePath(pathname: string): boolean {
  return pathname === consoleBase || pathname.startsWith(`${consoleBase}/`);
}

/** The pages `role` may open, in navigation order. */
export function pagesFor(role: StaffRole): ConsolePage[] {
  return consolePages.filter((page) => pageRoles[page].includes(role));
}

export function mayOpen(role: StaffRole, page: ConsolePage): boolean {
  return pageRoles[page].includes(role);
}

/** The page a role lands on at `/console`. */
export function homePage(role: StaffRole): ConsolePage {
  return pagesFor(role)[0] ?? 'guardians';
}

export function pagePath(page: ConsolePage): string {
  return `${consoleBase}/${page}`;
}

/**
 * Reads a console path: `home` for `/console` itself, the page for `/console/<page>` (a trailing slash
 * or anything below the page is allowed), `null` for an unknown page.
 */
export function pageFromPath(pathname: string): ConsolePage | 'home' | null {
  if (!isConsolePath(pathname)) return null;
  const first = pathname
    .slice(consoleBase.length)
    .split('/')
    .find((part) => part !== '');
  if (first === undefined) return 'home';
  return isConsolePage(first) ? first : null;
}

function isConsolePage(value: string): value is ConsolePage {
  return (consolePages as readonly string[]).includes(value);
}
