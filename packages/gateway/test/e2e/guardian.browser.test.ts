import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mailFor, smtpSink } from '../notify-capture.js';
import { screenshot, useBrowserRun } from './browser.js';

describe('the guardian console in Chromium (MINOR-2, MINOR-4, DATA-5)', () => {
  let sink: Awaited<ReturnType<typeof smtpSink>> | null = null;
  let configDir = '';
  const run = useBrowserRun('cg-guardian-', async () => {
    sink = await smtpSink();
    configDir = await mkdtemp(join(tmpdir(), 'cg-guardian-config-'));
    const configFile = join(configDir, 'config.json');
    await writeFile(
      configFile,
      JSON.stringify({
        demo: { paceMs: 0 },
        notify: { smtp: { host: '127.0.0.1', port: sink.port, secure: false, from: 'cg@example.com' } },
      }),
    );
    return { configFile };
  });
  afterAll(async () => {
    await sink?.close();
    if (configDir) await rm(configDir, { recursive: true, force: true });
  });

  it('MINOR-2, MINOR-4, DATA-5: sign in by a code mailed over SMTP, consent, see the usage summary, block a character, set quiet hours, delete the history with a receipt (DATA-5)', async () => {
    const { gateway } = run;
    const reg = await fetch(`${gateway.url}/v1/users/kid-browser`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ age: 12, guardian: { name: 'Mum', email: 'mum@example.com' } }),
    });
    expect(reg.status).toBe(200);
    const user = await gateway.store.ensureUser('kid-browser', Date.now());
    await gateway.store.minors.recordUsage({
      userId: user.id,
      at: Date.now() - 60_000,
      day: new Date().toISOString().slice(0, 10),
      characterId: 'xiaonuan',
      maxGapMs: 300_000,
    });

    const page = await run.openPage('/guardian', {
      locale: 'zh-CN',
      viewport: { width: 1100, height: 1400 },
    });
    await page.getByTestId('guardian-contact').fill('mum@example.com');
    await page.getByTestId('guardian-signin-submit').click();
    await page.getByTestId('guardian-code').waitFor();
    const mail = await mailFor(sink?.mails ?? [], 'mum@example.com');
    const code = /(\d{6})/.exec(mail.text)?.[1];
    expect(code).toMatch(/^\d{6}$/);
    await screenshot(page, 'guardian-signin-zh.png');
    await page.getByTestId('guardian-code').fill(code ?? '');
    await page.getByTestId('guardian-signin-submit').click();

    const panel = page.getByTestId('guardian-minor-kid-browser');
    await panel.waitFor();
    await expect.poll(() => page.getByTestId('guardian-consent-state').textContent()).toContain('尚未同意');
    await page.getByTestId('guardian-consent').click();
    await expect.poll(() => page.getByTestId('guardian-consent-state').textContent()).toContain('已同意');
    await expect.poll(() => page.getByTestId('guardian-usage').textContent()).toContain('xiaonuan');
    // The signed-in page on a phone (390x844), in Chinese.
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'guardian-console-zh-phone.png', false);
    await page.setViewportSize({ width: 1100, height: 1400 });

    await page.getByTestId('guardian-locale').click();
    await page.getByTestId('guardian-block-xiaonuan').check();
    await page.getByTestId('guardian-quiet-from').fill('21:00');
    await page.getByTestId('guardian-quiet-to').fill('07:00');
    await page.getByTestId('guardian-controls-save').click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await screenshot(page, 'guardian-console-en.png');

    const state = await gateway.store.minors.getState(user.id);
    expect(state.controls).toMatchObject({
      blockedCharacters: ['xiaonuan'],
      quietHours: { from: '21:00', to: '07:00' },
    });
    expect(state.consent).toMatchObject({ method: 'email-code', revokedAt: null });

    // DATA-5: the guardian deletes the minor's history with one character, after a confirmation step.
    const now = Date.now();
    const sessionId = 'kid-browser-leo';
    await gateway.store.createSession(
      { id: sessionId, userId: user.id, characterId: 'leo', state: {}, now },
      [],
    );
    await gateway.store.commitTurn({
      sessionId,
      expectedVersion: 1,
      state: {},
      now,
      messages: (['user', 'assistant'] as const).map((role, i) => ({
        id: `${sessionId}-${i}`,
        sessionId,
        userId: user.id,
        role,
        content: role === 'user' ? '今天好累' : '辛苦啦，先休息一下吧。',
        contentId: `${sessionId}-${i}`,
        status: 'delivered' as const,
        createdAt: now,
      })),
      audit: [],
    });
    expect(await gateway.store.dataRights.listHistory(user.id)).toHaveLength(2);
    await page.getByTestId('guardian-delete-scope').selectOption('leo');
    await page.getByTestId('guardian-delete-start').click();
    await page.getByTestId('guardian-delete-confirm').waitFor();
    // Nothing is deleted before the second step.
    expect(await gateway.store.dataRights.listHistory(user.id)).toHaveLength(2);
    await screenshot(page, 'guardian-delete-confirm-en.png');
    await page.getByTestId('guardian-delete-confirm').click();
    const receiptLine = page.getByTestId('guardian-delete-receipt');
    await expect.poll(() => receiptLine.textContent()).toContain('Messages deleted: 2');
    const href = (await receiptLine.getByRole('link').getAttribute('href')) ?? '';
    const receipt = JSON.parse(
      decodeURIComponent(href.replace(/^data:application\/json;charset=utf-8,/, '')),
    );
    expect(receipt).toMatchObject({
      type: 'companion-guard/deletion-receipt',
      externalUserId: 'kid-browser',
      characterId: 'leo',
      requestedBy: 'guardian',
      messagesDeleted: 2,
      signature: expect.any(String),
    });
    expect(await gateway.store.dataRights.listHistory(user.id)).toEqual([]);
    await screenshot(page, 'guardian-delete-receipt-en.png');
    expect(run.pageErrors).toEqual([]);
  });
});
