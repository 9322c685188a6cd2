import type { Locale } from './api.js';

const USER_KEY = 'cg-demo-user';
const SESSION_KEY = 'cg-demo-session';
const LOCALE_KEY = 'cg-demo-locale';

/**
 * The demo's end-user id: random, created once and kept in localStorage. Without storage (private
 * mode, blocked cookies) it lives as long as the page.
 */
export function loadOrCreateUserId(): string {
  const stored = readItem(USER_KEY);
  if (stored) return stored;
  const bytes = new Uint8Array(12);
  // getRandomValues works on plain http too, unlike randomUUID.
  crypto.getRandomValues(bytes);
  const id = `demo-${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
  writeItem(USER_KEY, id);
  return id;
}

/** The last session id the gateway named, so the exit button works after a reload. */
export function loadSessionId(): string | null {
  return readItem(SESSION_KEY);
}

export function saveSessionId(id: string): void {
  writeItem(SESSION_KEY, id);
}

export function loadLocale(): Locale | null {
  const value = readItem(LOCALE_KEY);
  return value === 'zh' || value === 'en' ? value : null;
}

export function saveLocale(locale: Locale): void {
  writeItem(LOCALE_KEY, locale);
}

function readItem(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

function writeItem(key: string, value: string): void {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    // Storage unavailable: the value lives only as long as the page.
  }
}
