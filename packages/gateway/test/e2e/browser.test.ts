/**
 * Browser test of the console's demo chat (DISC-1, DISC-4, EXIT-1) against a real gateway on SQLite:
 * Debian's Chromium driven by playwright-core, headless. Saves `test-artifacts/browser-demo-chat.png`.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { type PageOptions, screenshot, useBrowserRun } from './browser.js';

describe('console demo chat in a browser', () => {
  const run = useBrowserRun('cg-browser-');
  const { pageErrors } = run;

  function openChat(
    options: PageOptions = { locale: 'zh-CN', viewport: { width: 960, height: 820 } },
  ): Promise<Page> {
    return run.openPage('/', options);
  }

  it('shows the AI notice, streams a labelled reply, and ends the session on exit', async () => {
    const page = await openChat();
    try {
      await runDemoChat(page);
    } catch (error) {
      // Leave evidence: what the page looked like and any error it showed the user.
      await saveFailure(page, 'browser-demo-chat-failure.png', error);
    } finally {
      await page.context().close();
    }
    expect(pageErrors).toEqual([]);
  });

  it('on a phone screen in English: a crisis message gets the crisis card with call links; an exit word ends the session', async () => {
    const page = await openChat({ locale: 'en-US', viewport: { width: 390, height: 780 } });
    try {
      await runPhoneChat(page);
    } catch (error) {
      await saveFailure(page, 'browser-demo-chat-mobile-failure.png', error);
    } finally {
      await page.context().close();
    }
    expect(pageErrors).toEqual([]);
  });

  async function saveFailure(page: Page, file: string, error: unknown): Promise<never> {
    await screenshot(page, file);
    const shown = await page.getByTestId('error-message').allTextContents();
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `${reason}\nerrors shown on the page: ${JSON.stringify(shown)}; page errors: ${JSON.stringify(pageErrors)}`,
      { cause: error },
    );
  }

  async function runPhoneChat(page: Page): Promise<void> {
    const exitButton = page.getByTestId('exit-button');
    await expect.poll(() => exitButton.textContent()).toBe('Exit');
    await expect.poll(() => page.getByTestId('character-select').inputValue()).not.toBe('');

    await page.getByTestId('message-input').fill("I don't want to live anymore");
    await page.getByTestId('send-button').click();
    await page.getByTestId('ai-notice-modal').waitFor({ state: 'visible', timeout: 10_000 });
    await page.getByTestId('ai-notice-ack').click();

    // RISK: the crisis card stays in view, in English, with tappable phone numbers.
    const card = page.getByTestId('directive-crisis-resources');
    await card.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await card.getAttribute('data-requirement')).toMatch(/^RISK-/);
    const calls = card.locator('a[href^="tel:"]');
    expect(await calls.count()).toBeGreaterThan(0);
    expect(await calls.first().getAttribute('href')).toMatch(/^tel:\+?\d{3,}$/);
    expect(await exitButton.isVisible()).toBe(true);
    const reply = page.getByTestId('assistant-message').last();
    await expect.poll(() => reply.getAttribute('data-streaming'), { timeout: 20_000 }).toBe('false');
    expect(await reply.getByTestId('ai-label').textContent()).toMatch(/AI/);

    // EXIT-2: an exit word ends the session; the page shows the ended state and locks the input.
    await page.getByTestId('message-input').fill('bye for now');
    await page.getByTestId('send-button').click();
    await expect
      .poll(() => page.getByTestId('session-state').getAttribute('data-state'), { timeout: 10_000 })
      .toBe('ended');
    await page.getByTestId('new-chat-button').waitFor({ state: 'visible' });
    expect((await page.getByTestId('directive-session-ended').textContent())?.trim()).toBeTruthy();
    expect(await page.getByTestId('message-input').isDisabled()).toBe(true);

    await screenshot(page, 'browser-demo-chat-mobile.png', false);
  }

  async function runDemoChat(page: Page): Promise<void> {
    // The character list comes from the gateway.
    const select = page.getByTestId('character-select');
    await expect.poll(() => select.locator('option').count()).toBeGreaterThan(0);
    await expect.poll(() => select.inputValue()).not.toBe('');
    expect(await page.getByTestId('session-state').getAttribute('data-state')).toBe('none');

    // Chinese by default for a Chinese browser; the toggle switches the whole UI.
    const exitButton = page.getByTestId('exit-button');
    expect(await exitButton.textContent()).toBe('退出');
    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => exitButton.textContent()).toBe('Exit');
    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => exitButton.textContent()).toBe('退出');

    const chatResponse = page.waitForResponse(
      (response) => response.url().endsWith('/v1/chat/completions') && response.request().method() === 'POST',
    );
    await page.getByTestId('message-input').fill('你好');
    await page.getByTestId('send-button').click();

    // The page asks for a stream, sending only the new message for its stored user and chosen character.
    const response = await chatResponse;
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toContain('text/event-stream');
    const sent = response.request().postDataJSON() as {
      stream?: boolean;
      user?: string;
      messages?: unknown[];
      metadata?: { character_id?: string; locale?: string };
    };
    expect(sent.stream).toBe(true);
    expect(sent.user).toMatch(/\S/);
    expect(sent.messages).toEqual([{ role: 'user', content: '你好' }]);
    expect(sent.metadata).toEqual({ character_id: await select.inputValue(), locale: 'zh' });

    // DISC-1: the AI notice pops up with the first reply, and must be acknowledged.
    const notice = page.getByTestId('ai-notice-modal');
    await notice.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await notice.getAttribute('data-requirement')).toMatch(/^DISC-/);
    expect((await page.getByTestId('directive-ai-disclosure').textContent())?.trim()).toBeTruthy();
    await page.getByTestId('ai-notice-ack').click();
    await notice.waitFor({ state: 'hidden' });

    // The streamed reply ends, with the explicit AI label and a content ID (DISC-4).
    const reply = page.getByTestId('assistant-message').first();
    await reply.waitFor({ state: 'visible', timeout: 10_000 });
    await expect.poll(() => reply.getAttribute('data-streaming'), { timeout: 20_000 }).toBe('false');
    expect(await reply.getAttribute('data-finish')).toBe('stop');
    const replyText = (await reply.getByTestId('message-text').textContent()) ?? '';
    expect(replyText.length).toBeGreaterThan(1);

    const label = reply.getByTestId('ai-label');
    await label.waitFor({ state: 'visible' });
    expect(await label.textContent()).toContain('人工智能');
    expect(await label.getAttribute('data-content-id')).toMatch(/\S/);
    expect(await page.getByTestId('session-state').getAttribute('data-state')).toBe('active');

    // EXIT-1: the exit button ends the session at once.
    await exitButton.click();
    await expect
      .poll(() => page.getByTestId('session-state').getAttribute('data-state'), { timeout: 10_000 })
      .toBe('ended');
    await page.getByTestId('new-chat-button').waitFor({ state: 'visible' });
    expect(await page.getByTestId('message-input').isDisabled()).toBe(true);
    expect(await page.getByTestId('send-button').isDisabled()).toBe(true);

    await screenshot(page, 'browser-demo-chat.png');

    // A new chat reopens the conversation, with the AI notice again.
    await page.getByTestId('new-chat-button').click();
    await page.getByTestId('ai-notice-modal').waitFor({ state: 'visible', timeout: 10_000 });
    await page.getByTestId('ai-notice-ack').click();
    await expect
      .poll(() => page.getByTestId('session-state').getAttribute('data-state'), { timeout: 10_000 })
      .toBe('active');
    expect(await page.getByTestId('message-input').isEnabled()).toBe(true);
    expect(await page.getByTestId('assistant-message').count()).toBe(0);
  }
});
