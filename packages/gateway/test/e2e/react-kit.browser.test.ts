/**
 * Browser test of `@companion-guard/react` through the page built on it (the demo chat at `/`), on a phone
 * screen (390x844) in Chinese and English: Debian's Chromium driven by playwright-core, a real gateway on
 * SQLite with a fake clock. The AI notice traps focus and must be acknowledged (DISC-1), a usage reminder
 * arrives after continuous use (TIME-1), the crisis card offers tap-to-call help lines (RISK-3), the exit
 * button ends the session (EXIT-1); an operator's message arrives live, marked as a person's, and the takeover
 * banner follows (RISK-4). Saves `test-artifacts/react-kit-*.png`.
 */

import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFakeClock } from '@companion-guard/core/testing';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { addStaffAccount } from '../../src/server/auth/staff-auth.js';
import { screenshot, useBrowserRun } from './browser.js';

const phone = { width: 390, height: 844 };

const words = {
  zh: {
    browser: 'zh-CN',
    hello: '你好',
    again: '我们继续聊吧',
    crisis: '我不想活了',
    aiTitle: '你正在与人工智能对话',
    acknowledge: '我知道了',
    reminderTitle: '使用时长提醒',
    endChat: '结束对话',
    crisisTitle: '你并不孤单',
    call: '拨打',
    ended: '本次对话已结束',
  },
  en: {
    browser: 'en-US',
    hello: 'Hello there',
    again: "Let's keep talking",
    crisis: "I don't want to live anymore",
    aiTitle: 'You are talking to an AI',
    acknowledge: 'I understand',
    reminderTitle: 'Time check',
    endChat: 'End the chat',
    crisisTitle: 'You are not alone',
    call: 'Call',
    ended: 'This conversation has ended',
  },
} as const;

describe('the React kit in a browser, on a phone (DISC-1, TIME-1, RISK-3, EXIT-1)', () => {
  const clock = createFakeClock(Date.now());
  let configDir = '';
  const run = useBrowserRun('cg-react-kit-', async () => {
    configDir = await mkdtemp(join(tmpdir(), 'cg-react-kit-config-'));
    const configFile = join(configDir, 'config.json');
    // A reminder after 20 minutes of continuous use instead of 120, so two turns 25 fake minutes apart reach it.
    await writeFile(
      configFile,
      JSON.stringify({ demo: { paceMs: 0 }, policy: { usageReminder: { everyMinutes: 20 } } }),
    );
    return { configFile, clock };
  });
  afterAll(async () => {
    if (configDir) await rm(configDir, { recursive: true, force: true });
  });

  /** The test id of the element that has focus. */
  const focused = (page: Page) => page.locator(':focus').getAttribute('data-testid');
  /** True when the focus is on the element with test id `id` or inside it. */
  const focusInside = async (page: Page, id: string) =>
    (await page.locator(`[data-testid="${id}"]:focus-within`).count()) === 1;

  async function finishedReply(page: Page): Promise<void> {
    const reply = page.getByTestId('assistant-message').last();
    await reply.waitFor({ state: 'visible', timeout: 10_000 });
    await expect.poll(() => reply.getAttribute('data-streaming'), { timeout: 20_000 }).toBe('false');
  }

  async function say(page: Page, text: string): Promise<void> {
    await page.getByTestId('message-input').fill(text);
    await page.getByTestId('send-button').click();
  }

  for (const locale of ['zh', 'en'] as const) {
    const w = words[locale];
    it(`DISC-1, TIME-1, RISK-3, EXIT-1 in ${locale}: AI notice with focus trapped, a reminder, the crisis card with tel: links, exit`, async () => {
      const page = await run.openPage('/', { locale: w.browser, viewport: phone });
      try {
        await expect.poll(() => page.getByTestId('character-select').inputValue()).not.toBe('');
        await say(page, w.hello);

        // DISC-1: a modal alertdialog that holds the focus and is closed only by acknowledging it.
        const notice = page.getByTestId('ai-notice-modal');
        await notice.waitFor({ state: 'visible', timeout: 10_000 });
        expect(await notice.getAttribute('role')).toBe('alertdialog');
        expect(await notice.getAttribute('aria-modal')).toBe('true');
        expect(await notice.getAttribute('data-requirement')).toMatch(/^DISC-/);
        expect(await notice.getByRole('heading').textContent()).toBe(w.aiTitle);
        expect(await page.getByTestId('ai-notice-ack').textContent()).toBe(w.acknowledge);
        await expect.poll(() => focused(page)).toBe('ai-notice-ack');
        for (const key of ['Tab', 'Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab']) {
          await page.keyboard.press(key);
          expect(await focusInside(page, 'ai-notice-modal')).toBe(true);
        }
        // A click on the page behind does not reach it, and Escape does not close the notice.
        await page.mouse.click(195, 60);
        await page.keyboard.press('Escape');
        expect(await notice.isVisible()).toBe(true);
        expect(await focusInside(page, 'ai-notice-modal')).toBe(true);
        await screenshot(page, `react-kit-ai-notice-${locale}.png`, false);
        await page.getByTestId('ai-notice-ack').click();
        await notice.waitFor({ state: 'hidden' });
        await expect.poll(() => focused(page)).toBe('message-input');
        await finishedReply(page);
        expect(await page.getByTestId('ai-label').last().getAttribute('data-content-id')).toMatch(/\S/);

        // TIME-1: after 25 minutes of continuous use (limit 20 here) the next turn brings the reminder.
        clock.advanceMinutes(25);
        await say(page, w.again);
        const reminder = page.getByTestId('directive-usage-reminder');
        await reminder.waitFor({ state: 'visible', timeout: 10_000 });
        expect(await reminder.getAttribute('role')).toBe('dialog');
        expect(await reminder.getAttribute('data-requirement')).toBe('TIME-1');
        expect(await reminder.getByRole('heading').textContent()).toBe(w.reminderTitle);
        expect(await reminder.getByTestId('popup-end-chat').textContent()).toBe(w.endChat);
        await expect.poll(() => focused(page)).toBe('popup-ack');
        await page.keyboard.press('Tab');
        expect(await focused(page)).toBe('popup-end-chat');
        await page.keyboard.press('Tab');
        expect(await focused(page)).toBe('popup-ack');
        await screenshot(page, `react-kit-reminder-${locale}.png`, false);
        // A reminder, unlike the AI notice, closes with Escape.
        await page.keyboard.press('Escape');
        await reminder.waitFor({ state: 'hidden' });
        await finishedReply(page);

        // RISK-3: the crisis card, announced as an alert, with tap-to-call links in the user's language.
        await say(page, w.crisis);
        const card = page.getByTestId('directive-crisis-resources');
        await card.waitFor({ state: 'visible', timeout: 10_000 });
        expect(await card.getAttribute('role')).toBe('alert');
        expect(await card.getAttribute('data-requirement')).toMatch(/^RISK-/);
        expect(await card.getByRole('heading').textContent()).toBe(w.crisisTitle);
        const calls = card.locator('a[href^="tel:"]');
        expect(await calls.count()).toBeGreaterThan(1);
        for (const href of await calls.evaluateAll((links) => links.map((a) => a.getAttribute('href')))) {
          expect(href).toMatch(/^tel:\+?\d{3,}$/);
        }
        expect(await calls.first().getAttribute('aria-label')).toMatch(new RegExp(`^${w.call} `));
        // Each link is at least 44 px tall: a thumb can hit it.
        const box = await calls.first().boundingBox();
        expect(box?.height ?? 0).toBeGreaterThanOrEqual(44);
        await finishedReply(page);
        await screenshot(page, `react-kit-crisis-${locale}.png`, false);

        // EXIT-1: the exit button ends the session at once; the ended card offers a new chat.
        await page.getByTestId('exit-button').click();
        await expect
          .poll(() => page.getByTestId('session-state').getAttribute('data-state'), { timeout: 10_000 })
          .toBe('ended');
        const ended = page.getByTestId('session-ended');
        await ended.waitFor({ state: 'visible' });
        expect(await ended.getByRole('heading').textContent()).toBe(w.ended);
        expect(await page.getByTestId('directive-exit-confirmed').getAttribute('data-requirement')).toBe(
          'EXIT-1',
        );
        expect(await page.getByTestId('message-input').isDisabled()).toBe(true);
        await page.getByTestId('directive-close').first().click();
        await card.waitFor({ state: 'hidden' });
        await screenshot(page, `react-kit-exit-${locale}.png`, false);
      } catch (error) {
        await screenshot(page, `react-kit-failure-${locale}.png`, false);
        throw error;
      } finally {
        await page.context().close();
      }
      expect(run.pageErrors).toEqual([]);
    });
  }

  it('RISK-4 in zh: an operator’s message reaches the page between turns, from a person and without the AI label; then the takeover banner', async () => {
    const { gateway } = run;
    const email = `ops-${randomBytes(3).toString('hex')}@cg.example`;
    const password = `pw-${randomBytes(9).toString('base64url')}`;
    await addStaffAccount(gateway.store, { email, role: 'operator', password, now: clock.now(), by: 'test' });
    const login = await fetch(`${gateway.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    expect(login.status).toBe(200);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const { csrf_token: csrf } = (await login.json()) as { csrf_token: string };
    const staff = async (path: string, method = 'GET', body?: unknown) => {
      const res = await fetch(`${gateway.url}${path}`, {
        method,
        headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      expect(res.status, await res.clone().text()).toBeLessThan(300);
      return (res.status === 204 ? {} : res.json()) as Promise<Record<string, unknown>>;
    };
    await staff('/api/me/duty', 'PUT', { on_duty: true });
    // The console's heartbeat: the operator's crisis queue is open (on duty, and with the user once claimed).
    await staff('/api/me/heartbeat', 'POST');

    const page = await run.openPage('/', { locale: 'zh-CN', viewport: phone });
    try {
      await expect.poll(() => page.getByTestId('character-select').inputValue()).not.toBe('');
      await say(page, '我已经写好遗书了，今晚就从楼顶跳下去');
      await page.getByTestId('ai-notice-modal').waitFor({ state: 'visible', timeout: 10_000 });
      await page.getByTestId('ai-notice-ack').click();
      await page.getByTestId('directive-crisis-resources').waitFor({ state: 'visible', timeout: 10_000 });
      await expect
        .poll(() => page.getByTestId('session-state').getAttribute('data-state'), { timeout: 10_000 })
        .toBe('human-takeover');
      // No person has claimed it yet: nothing on the page says one is here.
      expect(await page.getByTestId('directive-human-takeover').count()).toBe(0);

      const { data } = (await staff('/api/incidents')) as { data: { id: string; state: string }[] };
      const incident = data.find((i) => i.state !== 'closed');
      if (!incident) throw new Error('no incident opened');
      await staff(`/api/incidents/${incident.id}/claim`, 'POST', {});
      const words = '我是值班的工作人员小林，我在这里陪着你。';
      await staff(`/api/incidents/${incident.id}/messages`, 'POST', { text: words });

      // The message arrives on the session's live events, with no new turn from the user.
      const human = page.locator('[data-testid="assistant-message"][data-author="human"]');
      await human.waitFor({ state: 'visible', timeout: 10_000 });
      expect(await human.getByTestId('message-text').textContent()).toBe(words);
      expect(await human.locator('.sender').textContent()).toBe('工作人员（真人）');
      expect(await human.getByTestId('ai-label').count()).toBe(0);

      // The next turn is answered by the person's side: the takeover banner says a person is here now.
      await say(page, '你是真人吗？');
      const banner = page.getByTestId('directive-human-takeover');
      await banner.waitFor({ state: 'visible', timeout: 10_000 });
      expect(await banner.getAttribute('role')).toBe('status');
      expect(await banner.getAttribute('data-requirement')).toBe('RISK-4');
      expect(await banner.getByRole('heading').textContent()).toBe('现在是工作人员在陪你');
      await screenshot(page, 'react-kit-takeover-zh.png', false);
    } catch (error) {
      await screenshot(page, 'react-kit-failure-takeover.png', false);
      throw error;
    } finally {
      await page.context().close();
    }
    expect(run.pageErrors).toEqual([]);
  });
});
