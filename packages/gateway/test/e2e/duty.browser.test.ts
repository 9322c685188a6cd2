/**
 * Browser test of "on duty" (RISK-4): an operator counts only while their console's crisis queue is open and
 * visible, by its heartbeat (`POST /api/me/heartbeat`), not for the 30 minutes a sign-in lasts. Debian's
 * Chromium driven by playwright-core against a real gateway on SQLite with a fake clock; the page's timers
 * run on Playwright's clock, paused, so the 25 s beat is run forward, never waited for.
 */
import { createFakeClock } from '@companion-guard/core/testing';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { addStaffAccount } from '../../src/server/auth/staff-auth.js';
import { useBrowserRun } from './browser.js';

const email = 'duty.one@example.com';
const password = 'correct horse battery staple';
/** `staff.onDutyWindowSeconds` by default. */
const windowMs = 90_000;

/** Makes the page look hidden or visible to its scripts, as switching tabs does. */
const showPage = (page: Page, visible: boolean) =>
  page.evaluate(
    (state) => {
      // The page's document (this test is compiled without the DOM types).
      const doc = (globalThis as unknown as { document: EventTarget }).document;
      Object.defineProperty(doc, 'visibilityState', { configurable: true, get: () => state });
      doc.dispatchEvent(new Event('visibilitychange'));
    },
    visible ? 'visible' : 'hidden',
  );

/** The operators on duty as the gateway counts them now (what decides the user's crisis reply). */
const onDuty = (page: Page) =>
  page.evaluate(async () => ((await (await fetch('/api/incidents')).json()) as { on_duty: number }).on_duty);

describe('the open crisis queue keeps its operator on duty (RISK-4)', () => {
  const clock = createFakeClock(Date.now());
  const run = useBrowserRun('cg-duty-', { clock });

  it('RISK-4: beats on opening and every 25 s while visible; hidden, it stops and the operator drops off; shown again, it beats at once; leaving the queue or closing the tab ends it at once', async () => {
    await addStaffAccount(run.gateway.store, {
      email,
      role: 'operator',
      password,
      now: clock.now(),
      by: 'cli',
    });
    const page = await run.openPage(
      '/console',
      { locale: 'en-US', viewport: { width: 1200, height: 900 } },
      (p) => p.clock.install(),
    );
    // The status of every heartbeat the page sent, and of every end of one (the queue closing).
    const beats: number[] = [];
    const ends: number[] = [];
    page.context().on('response', (response) => {
      const request = response.request();
      if (new URL(request.url()).pathname !== '/api/me/heartbeat') return;
      if (request.method() === 'POST') beats.push(response.status());
      if (request.method() === 'DELETE') ends.push(response.status());
    });
    try {
      await page.clock.pauseAt(Date.now() + 1000);
      await page.getByTestId('login-email').fill(email);
      await page.getByTestId('login-password').fill(password);
      await page.getByTestId('login-submit').click();
      await page.getByTestId('page-queue').waitFor({ timeout: 10_000 });
      // The queue beat as it opened, with the CSRF token (204).
      await expect.poll(() => beats).toEqual([204]);
      await page.getByTestId('duty-toggle').click();
      await expect.poll(() => page.getByTestId('duty-count').getAttribute('data-count')).toBe('1');

      // The gateway's time passes the window with no beat (the page's clock stands): signed in, not on duty.
      clock.advance(windowMs);
      expect(await onDuty(page)).toBe(0);
      // 25 s of the page's time: it beats, and counts again.
      await page.clock.runFor(25_000);
      await expect.poll(() => beats).toEqual([204, 204]);
      expect(await onDuty(page)).toBe(1);

      // Another tab in front: no beat however long, and the operator drops off once the window has passed.
      await showPage(page, false);
      await page.clock.runFor(120_000);
      expect(beats).toHaveLength(2);
      clock.advance(windowMs);
      expect(await onDuty(page)).toBe(0);

      // Back to the queue: it beats at once.
      await showPage(page, true);
      await expect.poll(() => beats).toEqual([204, 204, 204]);
      expect(await onDuty(page)).toBe(1);
      await expect.poll(() => page.getByTestId('duty-count').getAttribute('data-count')).toBe('1');

      // Another console page: the queue closes and tells the gateway, which stops counting at once.
      await page.getByTestId('nav-guardians').click();
      await expect.poll(() => ends).toEqual([204]);
      expect(await onDuty(page)).toBe(0);
      await page.getByTestId('nav-queue').click();
      await expect.poll(() => beats).toEqual([204, 204, 204, 204]);
      expect(await onDuty(page)).toBe(1);

      // The browser's own visibility again (closing makes the page hidden before its pagehide).
      await page.evaluate(() => {
        delete (globalThis as unknown as { document: { visibilityState?: string } }).document.visibilityState;
      });
      // The tab closed: its pagehide tells the gateway too (read from the store: no page is left to ask; the
      // sign-in itself is still alive and the window has not run out).
      await page.close({ runBeforeUnload: true });
      const live = { now: clock.now(), idleMs: 30 * 60_000, maxMs: 12 * 3_600_000, heartbeatMs: windowMs };
      await expect
        .poll(() => run.gateway.store.incidents.countOnDuty('operator', live), { timeout: 10_000 })
        .toBe(0);
    } finally {
      await page.context().close();
    }
    expect(run.pageErrors).toEqual([]);
  });
});
