/**
 * Browser test of the operator's crisis queue (RISK-4, RISK-5, DATA-1) against a real gateway on SQLite:
 * Debian's Chromium driven by playwright-core, headless; the user's side through the official `openai`
 * client. A user's explicit suicide plan opens an incident that arrives in the queue live; the operator
 * claims it, opens the conversation with a purpose, writes, hands back and closes; the user's chat calls
 * show the operator's message as from a person and the AI back after the hand-back. Another operator sees
 * only "claimed by". Saves `test-artifacts/operator-*.png`.
 */
import OpenAI from 'openai';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { addStaffAccount } from '../../src/server/auth/staff-auth.js';
import { screenshot, useBrowserRun } from './browser.js';
import { complianceOf, countingUpstream } from './helpers.js';

const password = 'correct horse battery staple';
const desktop = { locale: 'en-US', viewport: { width: 1200, height: 900 } };

describe('operator console in a browser (RISK-4, RISK-5, DATA-1)', () => {
  const model = countingUpstream();
  const run = useBrowserRun('cg-operator-', { upstream: model.upstream });
  let client: OpenAI | null = null;

  beforeAll(async () => {
    client = new OpenAI({ apiKey: 'not-needed', baseURL: `${run.gateway.url}/v1`, maxRetries: 0 });
    for (const email of ['ops.one@example.com', 'ops.two@example.com']) {
      await addStaffAccount(run.gateway.store, {
        email,
        role: 'operator',
        password,
        now: Date.now(),
        by: 'cli',
      });
    }
  });

  async function signedIn(email: string, options = desktop): Promise<Page> {
    const page = await run.openPage('/console', options);
    await page.getByTestId('login-email').fill(email);
    await page.getByTestId('login-password').fill(password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('page-queue').waitFor({ timeout: 10_000 });
    await expect.poll(() => page.getByTestId('feed-status').getAttribute('data-status')).toBe('live');
    return page;
  }

  const say = (content: string) => {
    if (!client) throw new Error('set-up failed');
    return client.chat.completions.create({
      model: 'demo',
      user: 'u-night',
      messages: [{ role: 'user', content }],
    });
  };

  it('an incident arrives live; the operator claims, reads with a purpose, writes, hands back and closes', async () => {
    const one = await signedIn('ops.one@example.com');
    const two = await signedIn('ops.two@example.com', {
      locale: 'zh-CN',
      viewport: { width: 390, height: 800 },
    });
    try {
      // On duty: the gateway counts this operator, so a user in crisis is told a person will join.
      expect(await one.getByTestId('duty-toggle').isChecked()).toBe(false);
      // The switch shows the gateway's answer, so it turns on once PUT /api/me/duty has returned.
      await one.getByTestId('duty-toggle').click();
      await expect.poll(() => one.getByTestId('duty-toggle').isChecked()).toBe(true);
      await expect.poll(() => one.getByTestId('duty-count').getAttribute('data-count')).toBe('1');
      expect(await one.getByTestId('duty-nobody').count()).toBe(0);
      // The page is not reloaded from here on: the incident must come over the live feed.
      await one.evaluate(() => {
        (globalThis as { stayedOpen?: boolean }).stayedOpen = true;
      });

      const calls = model.counter.calls;
      const crisis = await say('我已经把药都攒好了，今晚就吃下去结束自己的生命。');
      expect(model.counter.calls).toBe(calls);
      expect(complianceOf(crisis).directives.map((d) => d.type)).toContain('crisis-resources');

      const row = one.locator('[data-testid="incident-row"]', { hasText: 'u-night' });
      await row.waitFor({ timeout: 10_000 });
      expect(await one.evaluate(() => (globalThis as { stayedOpen?: boolean }).stayedOpen)).toBe(true);
      expect(await row.getAttribute('data-state')).toBe('open');
      expect(await row.getAttribute('data-severity')).toBe('critical');
      expect(await row.textContent()).toContain('Suicide or self-harm');
      // The age ticks.
      const age = await row.getByTestId('incident-age').textContent();
      await expect.poll(() => row.getByTestId('incident-age').textContent(), { timeout: 5000 }).not.toBe(age);
      await screenshot(one, 'operator-queue.png');

      // The second operator's queue got it too.
      const rowTwo = two.locator('[data-testid="incident-row"]', { hasText: 'u-night' });
      await rowTwo.waitFor({ timeout: 10_000 });
      // It also learns, without a reload, that a colleague is on duty now.
      await expect.poll(() => two.getByTestId('duty-count').getAttribute('data-count')).toBe('1');
      const incidentId = (await row.getAttribute('data-id')) ?? '';
      expect(incidentId).not.toBe('');

      await row.click();
      await one.getByTestId('incident-claim').click();
      await expect.poll(() => row.getAttribute('data-state')).toBe('claimed');
      expect(await row.getByTestId('incident-owner').textContent()).toBe('Claimed by you');

      // The other operator sees who has it, no conversation and no controls; the gateway refuses them too.
      await expect.poll(() => rowTwo.getAttribute('data-state')).toBe('claimed');
      await rowTwo.click();
      await two.getByTestId('incident-claimed-by-other').waitFor();
      expect(await two.getByTestId('purpose').count()).toBe(0);
      expect(await two.getByTestId('incident-claim').count()).toBe(0);
      const refused = await two.evaluate(async (id) => {
        const answer = await fetch(`/api/incidents/${id}/messages?purpose=curious%20reader`);
        return { status: answer.status, body: await answer.text() };
      }, incidentId);
      // Reading a conversation not assigned to you is 403, whoever holds it (DATA-1).
      expect(refused.status).toBe(403);
      expect(refused.body).not.toContain('结束自己的生命');
      await screenshot(two, 'operator-queue-zh.png');

      // The conversation opens only with a purpose, and the read is audited (DATA-1).
      await one.getByTestId('purpose').fill('Check the user is safe tonight');
      await one.getByTestId('open-conversation').click();
      const userLine = one.locator('[data-testid="transcript-message"][data-author="user"]');
      await userLine.first().waitFor();
      expect(await userLine.first().textContent()).toContain('结束自己的生命');
      const reads = (await run.gateway.store.listAudit())?.filter((e) => e.type === 'transcript-read') ?? [];
      expect(reads.at(-1)?.data).toMatchObject({ purpose: 'Check the user is safe tonight' });
      expect(JSON.stringify(reads)).not.toContain('结束自己的生命');

      const reply = '我是值班的工作人员小林，我在这里陪着你。你现在安全吗？';
      await one.getByTestId('composer').fill(reply);
      await one.getByTestId('composer-submit').click();
      const humanLine = one.locator('[data-testid="transcript-message"][data-author="human"]');
      await humanLine.first().waitFor();
      expect(await humanLine.first().textContent()).toContain(reply);
      await expect.poll(() => one.getByTestId('fact-first-human').textContent()).not.toBe('—');

      // The user's next call gets the operator's words, marked as from a person, and no model output.
      const next = await say('你是真人吗？');
      expect(model.counter.calls).toBe(calls);
      expect(next.choices[0]?.message.content).toContain(reply);
      expect(complianceOf(next)).toMatchObject({ author: 'human', label: null });
      await expect.poll(() => userLine.count()).toBe(2);
      // RISK-1: the user's running emotional state, numbers only.
      expect(await one.getByTestId('emotional-state').textContent()).toMatch(/Elevated.*emotion 3\.0/);
      await screenshot(one, 'operator-conversation.png');
      await one.getByTestId('lang-toggle').click();
      await one.getByText('工作人员（运营员）').first().waitFor();
      await screenshot(one, 'operator-conversation-zh.png');
      await one.getByTestId('lang-toggle').click();

      // A note, then hand back with the prefilled safety instruction: the AI answers again.
      await one.getByTestId('note').fill('User says they are safe and will call their sister.');
      await one.getByTestId('note-submit').click();
      await expect.poll(() => one.getByTestId('note-done').textContent()).toBe('Note added.');
      expect(await one.getByTestId('handback').inputValue()).toContain('help line');
      await one.getByTestId('handback-submit').click();
      await expect.poll(() => row.getAttribute('data-state')).toBe('handed-back');
      const after = await say('谢谢你，我好一点了。');
      expect(model.counter.calls).toBe(calls + 1);
      expect(complianceOf(after)).not.toMatchObject({ author: 'human' });

      // Close with an outcome: it leaves the active queue and is listed among the closed ones.
      await one.getByTestId('close-outcome').selectOption('safe');
      await one.getByTestId('close-submit').click();
      await expect.poll(() => row.count()).toBe(0);
      await one.getByTestId('incident-filter').selectOption('closed');
      const closed = one.locator(`[data-testid="incident-row"][data-id="${incidentId}"]`);
      await closed.waitFor();
      expect(await closed.getAttribute('data-state')).toBe('closed');
      await closed.click();
      await one.getByTestId('incident-closed').waitFor();
      const steps = await one
        .locator('[data-testid="incident-timeline"] li')
        .evaluateAll((items) =>
          items.map((item) => item.getAttribute('data-type')?.replace(/^incident-/, '')),
        );
      expect(steps).toEqual(
        expect.arrayContaining(['opened', 'claimed', 'message', 'note', 'handback', 'closed']),
      );
      await expect.poll(() => one.getByTestId('figures-closed').textContent()).toBe('1');
      expect(await one.getByTestId('figures-outcomes').textContent()).toContain('User is safe');
      await screenshot(one, 'operator-closed.png');
      expect(run.pageErrors).toEqual([]);
    } catch (error) {
      await screenshot(one, 'operator-failure.png');
      await screenshot(two, 'operator-failure-second.png');
      const shown = [
        ...(await one.getByRole('alert').allTextContents()),
        ...(await two.getByRole('alert').allTextContents()),
      ];
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`${reason}\nalerts on the pages: ${JSON.stringify(shown)}`, { cause: error });
    } finally {
      await one.context().close();
      await two.context().close();
    }
  }, 120_000);
});
