/**
 * Browser test of the compliance desk's notices (NOTICE-1) and switches (ASSESS-3) panels at
 * /console/compliance against a real gateway on SQLite, in Debian's Chromium (playwright-core), in English and
 * Chinese. Saves `test-artifacts/console-notices-*.png`.
 */
import { describe, expect, it } from 'vitest';
import { addStaffAccount } from '../../src/server/auth/staff-auth.js';
import { screenshot, useBrowserRun } from './browser.js';

const password = 'correct horse battery staple';

describe('compliance desk: notices and switches in a browser', () => {
  const run = useBrowserRun('cg-notices-');

  it('NOTICE-1, ASSESS-3: compliance staff schedule a notice and switch a character off and on again from the console', async () => {
    await addStaffAccount(run.gateway.store, {
      email: 'desk@example.com',
      role: 'compliance',
      password,
      now: Date.now(),
      by: 'cli',
    });
    const page = await run.openPage('/console/compliance', {
      locale: 'en-US',
      viewport: { width: 1200, height: 900 },
    });
    await page.getByTestId('login-email').fill('desk@example.com');
    await page.getByTestId('login-password').fill(password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('notices').waitFor({ timeout: 10_000 });

    // A notice for Xiaonuan ten days ahead (the profile asks for 7).
    const at = new Date(Date.now() + 10 * 86_400_000);
    const local = new Date(at.getTime() - at.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    const form = page.getByTestId('notice-form');
    await form.getByTestId('notice-target').selectOption('xiaonuan');
    await form.getByTestId('notice-effective').fill(local);
    await form.getByTestId('notice-reason').fill('licence ends');
    await form.getByTestId('notice-submit').click();
    await page.getByTestId('notice-row').first().waitFor();
    expect(await page.getByTestId('notice-row').first().getAttribute('data-status')).toBe('scheduled');
    expect(await page.getByTestId('notices').textContent()).toContain('Xiaonuan');

    // Too soon: refused with the clear message.
    const soon = new Date(Date.now() + 2 * 86_400_000);
    await form
      .getByTestId('notice-effective')
      .fill(new Date(soon.getTime() - soon.getTimezoneOffset() * 60_000).toISOString().slice(0, 16));
    await form.getByTestId('notice-submit').click();
    await page.getByText('The effective time is too close').waitFor();

    // Switch Leo off with a reason; it is listed with who and why, and the gateway says it is off.
    const switches = page.getByTestId('switch-form');
    await switches.getByTestId('switch-target').selectOption('leo');
    await switches.getByTestId('switch-reason').fill('major risk under review');
    await switches.getByTestId('switch-submit').click();
    await page.getByTestId('switch-row').first().waitFor();
    const row = page.getByTestId('switch-row').first();
    expect(await row.getAttribute('data-off')).toBe('true');
    expect(await row.textContent()).toContain('desk@example.com');
    expect(await page.getByTestId('switch-off-now').allTextContents()).toEqual([
      expect.stringContaining('Leo'),
    ]);
    const characters = (await (await fetch(`${run.gateway.url}/v1/characters`)).json()) as {
      data: { id: string; off: boolean }[];
    };
    expect(characters.data.find((c) => c.id === 'leo')?.off).toBe(true);
    await screenshot(page, 'console-notices-en.png');

    // Switched on again from the row.
    await row.getByTestId('switch-flip').click();
    await page.getByTestId('switch-reason').fill('reviewed and fixed');
    await page.getByTestId('switch-submit').click();
    await page.getByText('Everything is on.').waitFor();
    expect(await page.getByTestId('switch-row').first().getAttribute('data-off')).toBe('false');

    // The same desk in Chinese.
    const zh = await run.openPage('/console/compliance', {
      locale: 'zh-CN',
      viewport: { width: 1200, height: 900 },
    });
    await zh.getByTestId('login-email').fill('desk@example.com');
    await zh.getByTestId('login-password').fill(password);
    await zh.getByTestId('login-submit').click();
    await zh.getByTestId('notices').waitFor({ timeout: 10_000 });
    await zh.getByText('服务公告').first().waitFor();
    await zh.getByTestId('notice-row').first().waitFor();
    expect(await zh.getByTestId('notices').textContent()).toContain('小暖');
    await screenshot(zh, 'console-notices-zh.png');
  });
});
