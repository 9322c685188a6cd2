/**
 * Browser test of the complaints queue on the compliance desk (COMPLAINT-1) against a real gateway on SQLite:
 * Debian's Chromium driven by playwright-core, headless. A compliance officer filters the queue, sees an
 * overdue complaint flagged, assigns one to herself, replies, and resolves it; the user's next turn carries
 * the reply. Saves `test-artifacts/console-complaints.png` and `console-complaints-zh.png`.
 */
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { addStaffAccount } from '../../src/server/auth/staff-auth.js';
import { screenshot, useBrowserRun } from './browser.js';

const password = 'correct horse battery staple';
const HOUR = 3_600_000;

describe('complaints queue in a browser', () => {
  const run = useBrowserRun('cg-complaints-');

  async function post(path: string, body: unknown) {
    return fetch(`${run.gateway.url}${path}`, {
      method: path.includes('/users/') && !path.endsWith('/complaints') ? 'PUT' : 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  async function signIn(page: Page, email: string): Promise<void> {
    await page.getByTestId('login-email').fill(email);
    await page.getByTestId('login-password').fill(password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('shell-role').waitFor({ timeout: 10_000 });
  }

  const row = (page: Page, id: string) => page.locator(`[data-testid="complaint-row"][data-id="${id}"]`);

  it('COMPLAINT-1: filters, overdue badge, assign to me, reply and resolve from the console; the reply reaches the user', async () => {
    const { store } = run.gateway;
    await addStaffAccount(store, {
      email: 'officer@example.com',
      role: 'compliance',
      password,
      now: Date.now(),
      by: 'cli',
    });
    expect((await post('/v1/users/user-b1', { locale: 'en' })).ok).toBe(true);
    const filed = await post('/v1/complaints', {
      user: 'user-b1',
      kind: 'complaint',
      text: 'The reminders come far too often.',
    });
    expect(filed.status).toBe(201);
    const { id } = (await filed.json()) as { id: string };
    // One filed two days ago and never taken up: overdue.
    const user = await store.profiles.getProfile('user-b1');
    const longAgo = Date.now() - 48 * HOUR;
    const { complaint: late } = await store.complaints.file({
      id: randomUUID(),
      userId: user?.id ?? '',
      kind: 'report',
      ref: 'character:xiaonuan',
      text: 'This character asked for my address.',
      now: longAgo,
      acknowledgeBy: longAgo + 24 * HOUR,
      resolveBy: longAgo + 7 * 24 * HOUR,
    });

    const page = await run.openPage('/console', { locale: 'en-US', viewport: { width: 1280, height: 900 } });
    try {
      await signIn(page, 'officer@example.com');
      await page.getByTestId('complaints').waitFor();
      await row(page, id).waitFor();
      expect(await row(page, late.id).getAttribute('data-overdue')).toBe('acknowledge');
      expect(await row(page, late.id).getByTestId('complaint-overdue').textContent()).toBe(
        'Overdue: not taken up',
      );
      expect(await row(page, id).getAttribute('data-overdue')).toBe('no');

      // Only the overdue ones.
      await page.getByTestId('complaints-overdue').selectOption('overdue');
      await row(page, id).waitFor({ state: 'detached' });
      expect(await page.getByTestId('complaint-row').count()).toBe(1);
      await page.getByTestId('complaints-overdue').selectOption('any');
      await row(page, id).waitFor();

      await row(page, id).getByTestId('complaint-assign').click();
      await row(page, id).getByText('officer@example.com').waitFor();
      await row(page, id).getByTestId('complaint-reply-open').click();
      await page.getByTestId('complaint-reply-text').fill('Thanks: we changed the interval to two hours.');
      await page.getByTestId('complaint-reply-submit').click();
      await row(page, id).getByTestId('complaint-reply').waitFor();
      await screenshot(page, 'console-complaints.png');

      await row(page, id).getByTestId('complaint-resolve').click();
      await page.getByTestId('complaint-reason').fill('Interval changed.');
      await page.getByTestId('complaint-close-submit').click();
      // It leaves the open queue and is listed as resolved.
      await row(page, id).waitFor({ state: 'detached' });
      await page.getByTestId('complaints-state').selectOption('resolved');
      await page.locator(`[data-testid="complaint-row"][data-id="${id}"][data-status="resolved"]`).waitFor();

      // The user's next turn carries the reply (English, the user's locale).
      const turn = await post('/v1/chat/completions', {
        model: 'demo',
        user: 'user-b1',
        messages: [{ role: 'user', content: 'hello' }],
      });
      const body = (await turn.json()) as { compliance: { directives: { type: string; text: string }[] } };
      expect(body.compliance.directives.filter((d) => d.type === 'complaint-reply')).toEqual([
        expect.objectContaining({
          text: 'Staff replied to your complaint (resolved): Thanks: we changed the interval to two hours.',
        }),
      ]);

      // The same queue in Chinese.
      await page.getByRole('button', { name: 'Switch the interface to Chinese' }).click();
      await page.getByText('投诉、举报与申诉').first().waitFor();
      await screenshot(page, 'console-complaints-zh.png');
    } catch (error) {
      await screenshot(page, 'console-complaints-failure.png');
      throw error;
    } finally {
      await page.context().close();
    }
    expect(run.pageErrors).toEqual([]);
  }, 120_000);
});
