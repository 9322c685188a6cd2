import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { screenshot, useBrowserRun } from './browser.js';

describe('DISC-5: the demo chat copies and downloads with the AI label and the AIGC metadata', () => {
  const run = useBrowserRun('cg-data-browser-');

  it('DISC-5: “copy conversation” keeps the label and content ID; “download my data” is an HTML copy whose <meta name="AIGC"> and messages parse', async () => {
    const page = await run.openPage('/', { locale: 'zh-CN', viewport: { width: 1100, height: 820 } });
    try {
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
      await expect.poll(() => page.getByTestId('character-select').inputValue()).not.toBe('');
      await page.getByTestId('message-input').fill('你好，今天天气不错 <b>bold?</b>');
      await page.getByTestId('send-button').click();
      await page.getByTestId('ai-notice-modal').waitFor({ state: 'visible', timeout: 10_000 });
      await page.getByTestId('ai-notice-ack').click();
      const reply = page.getByTestId('assistant-message').last();
      await expect.poll(() => reply.getAttribute('data-streaming'), { timeout: 20_000 }).toBe('false');

      await page.getByTestId('copy-conversation-button').click();
      await expect.poll(() => page.getByTestId('copy-conversation-button').textContent()).toContain('已复制');
      const clip = String(await page.evaluate('navigator.clipboard.readText()'));
      expect(clip).toMatch(/\[内容由人工智能生成 · [0-9a-zA-Z_-]+\]/);
      await screenshot(page, 'data-rights-demo-chat.png');

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('download-data-button').click(),
      ]);
      const path = await download.path();
      const html = await readFile(path, 'utf8');
      // Parsed by the browser's own HTML parser, as a reader would open it.
      await page.setContent(html);
      const articles = page.locator('article[data-aigc]');
      const ai = [];
      for (let i = 0; i < (await articles.count()); i++) {
        const a = articles.nth(i);
        ai.push({
          aigc: JSON.parse((await a.getAttribute('data-aigc')) ?? '{}') as Record<string, string>,
          contentId: await a.getAttribute('data-content-id'),
          label: (await a.locator('.ai-label').textContent()) ?? '',
        });
      }
      const parsed = {
        meta: JSON.parse((await page.locator('meta[name="AIGC"]').getAttribute('content')) ?? '{}') as Record<
          string,
          string
        >,
        ai,
        user: await page.locator('article[data-author="user"] .content').first().textContent(),
        scripts: await page.locator('b').count(),
      };
      expect(Object.keys(parsed.meta).sort()).toEqual(
        [
          'ContentProducer',
          'ContentPropagator',
          'Label',
          'ProduceID',
          'PropagateID',
          'ReservedCode1',
          'ReservedCode2',
        ].sort(),
      );
      expect(parsed.ai.length).toBeGreaterThan(0);
      for (const m of parsed.ai) {
        expect(m.aigc).toMatchObject({ Label: '1', ProduceID: m.contentId });
        expect(m.label).toContain('内容由人工智能生成');
        expect(clip).toContain(m.contentId ?? 'missing');
      }
      expect(parsed.user).toBe('你好，今天天气不错 <b>bold?</b>');
      expect(parsed.scripts).toBe(0);
    } finally {
      await page.context().close();
    }
    expect(run.pageErrors).toEqual([]);
  });
});
