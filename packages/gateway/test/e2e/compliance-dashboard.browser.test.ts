/**
 * Browser test of the compliance desk (ASSESS-1, ASSESS-2, ASSESS-4, GOV-1) against a real gateway on
 * SQLite: Debian's Chromium, headless. A compliance officer signs in, sees the dashboard's figures and
 * charts (30 days of seeded activity and incidents), records the filing number and a checklist item, and
 * downloads the assessment report; the downloaded HTML report is then opened in Chromium itself.
 * Screenshots: test-artifacts/compliance-dashboard-zh.png, -en.png, compliance-reports-en.png,
 * assessment-report.png (and assessment-report.html, the file downloaded).
 */
import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { AgeBand, Store } from '@companion-guard/core';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { addStaffAccount } from '../../src/server/auth/staff-auth.js';
import { screenshot, useBrowserRun } from './browser.js';

const password = 'correct horse battery staple';
const artifacts = fileURLToPath(new URL('../../../../test-artifacts/', import.meta.url));
const DAY = 86_400_000;
const bands: AgeBand[] = ['adult', 'adult', 'adult', 'elderly', '16-17', 'under-14', 'adult', 'unknown'];

/** 30 days of users, turns and incidents, written through the store as the gateway writes them. */
async function seed(store: Store, now: number): Promise<void> {
  let n = 0;
  for (let back = 29; back >= 0; back -= 1) {
    const at = now - back * DAY;
    for (let k = 0; k < 4 + ((29 - back) % 5); k += 1) {
      n += 1;
      const user = await store.ensureUser(`seed-${n}`, at);
      const session = await store.createSession(
        { id: randomUUID(), userId: user.id, characterId: 'xiaonuan', state: {}, now: at },
        [],
      );
      await store.commitTurn({
        sessionId: session.id,
        expectedVersion: 1,
        state: {},
        now: at,
        messages: [],
        audit: [],
        activity: {
          userId: user.id,
          lastActiveDay: null,
          ageBand: bands[n % bands.length] ?? 'adult',
          usedMs: 9 * 60_000,
        },
      });
      if (n % 9 === 0) {
        const { incident } = await store.incidents.openIncident(
          {
            id: randomUUID(),
            userId: user.id,
            externalUserId: user.externalId,
            sessionId: session.id,
            characterId: 'xiaonuan',
            severity: 'critical',
            reason: 'crisis',
            signals: [{ detector: 'crisis', rule: 'plan', tier: 3 }],
            ageBand: 'adult',
          },
          at,
          () => [],
        );
        const answered = at + (60 + (n % 4) * 70) * 1000;
        await store.incidents.commitIncident({
          incident: {
            ...incident,
            state: 'claimed',
            claimedAt: at + 30_000,
            claimedBy: 'op',
            firstHumanMessageAt: answered,
            updatedAt: answered,
          },
          expectedVersion: incident.version,
          now: answered,
          event: { type: 'message', actor: 'op' },
          audit: [],
        });
      }
    }
  }
}

describe('compliance desk in a browser', () => {
  const run = useBrowserRun('cg-desk-');
  const { pageErrors } = run;
  const email = 'officer@example.com';

  beforeAll(async () => {
    await seed(run.gateway.store, Date.now());
    await addStaffAccount(run.gateway.store, {
      email,
      role: 'compliance',
      password,
      now: Date.now(),
      by: 'cli',
    });
  }, 120_000);

  async function signIn(page: Page): Promise<void> {
    await page.getByTestId('login-email').fill(email);
    await page.getByTestId('login-password').fill(password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('shell-role').waitFor({ timeout: 10_000 });
  }

  async function dashboardShown(page: Page): Promise<void> {
    await page.getByTestId('figure-registered').waitFor({ timeout: 15_000 });
    // Every chart is drawn, with its marks.
    for (const chart of [
      'chart-registered',
      'chart-mau',
      'chart-incidents',
      'chart-first-human',
      'chart-age',
    ]) {
      expect(await page.getByTestId(chart).locator('svg').count(), chart).toBe(1);
    }
    expect(await page.getByTestId('chart-registered').locator('circle').count()).toBe(30);
    expect(await page.getByTestId('chart-incidents').locator('rect').count()).toBe(30);
    expect(await page.getByTestId('chart-age').locator('rect').count()).toBe(6);
  }

  it('ASSESS-2: the compliance officer sees the figures and charts, keeps the filing and checklist, and downloads the report', async () => {
    // The browser keeps the deployment's calendar (cn-2026 counts days in Asia/Shanghai).
    const page = await run.openPage('/console', {
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      viewport: { width: 1200, height: 900 },
    });
    try {
      await signIn(page);
      await dashboardShown(page);
      // The page's first panel header takes the focus (screen readers announce the page), not a later one.
      expect(await page.getByTestId('dashboard').locator('h2:focus').count()).toBe(1);
      // 30 days of 4..8 new users a day: 180 registered, all active within the 30-day window.
      expect(await page.getByTestId('figure-registered').textContent()).toBe('180');
      expect(await page.getByTestId('figure-mau').textContent()).toBe('180');
      expect(await page.getByTestId('threshold-flag').first().getAttribute('data-reached')).toBe('false');
      expect(await page.getByTestId('figure-incidents').textContent()).toBe('20 / 0');
      expect(await page.getByText('数据看板').count()).toBeGreaterThan(0);
      await screenshot(page, 'compliance-dashboard-zh.png');

      await page.getByTestId('lang-toggle').click();
      await page.getByText('Monthly active users').first().waitFor();
      await dashboardShown(page);
      await screenshot(page, 'compliance-dashboard-en.png');

      // ASSESS-4: the filing record, saved and read back.
      await page.getByTestId('filing-number').fill('网信算备110000000000001');
      await page.getByTestId('filing-status').selectOption('in-progress');
      await page.getByTestId('filing-save').click();
      await page.getByText('Last saved').waitFor();
      expect(await page.getByTestId('filing-number').inputValue()).toBe('网信算备110000000000001');

      // GOV-1: a checklist item with its owner and due day.
      await page.getByTestId('checklist-add').click();
      await page.getByTestId('checklist-area').selectOption('contingency-plan');
      await page.getByTestId('checklist-title').fill('Crisis contingency drill');
      await page.getByTestId('checklist-owner').fill('Head of safety');
      await page.getByTestId('checklist-due').fill('2026-12-31');
      await page.getByTestId('checklist-save').click();
      await page.getByTestId('checklist-row').waitFor();
      expect(await page.getByTestId('checklist-row').textContent()).toContain('Head of safety');

      // The report download: a file, audited.
      await page.getByTestId('reports').scrollIntoViewIfNeeded();
      await screenshot(page, 'compliance-reports-en.png');
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('report-download-button').click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/^assessment-\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.html$/);
      await mkdir(artifacts, { recursive: true });
      const file = `${artifacts}assessment-report.html`;
      await copyFile(await download.path(), file);
      await page.getByTestId('report-saved').waitFor();
      const html = await readFile(file, 'utf8');
      expect(html).toContain('网信算备110000000000001');
      expect(html).toContain('Crisis contingency drill');
      const audited = await run.gateway.store.listAudit({ requirements: ['ASSESS-2'] });
      expect(audited.filter((e) => e.type === 'report-generated')).toHaveLength(1);

      // The downloaded report, rendered by Chromium with nothing but itself (no network).
      const report = await page.context().newPage();
      let requests = 0;
      report.on('request', (r) => {
        if (!r.url().startsWith('data:') && r.url() !== 'about:blank') requests += 1;
      });
      await report.setContent(html);
      expect(await report.locator('svg.chart').count()).toBe(5);
      expect(await report.locator('h2').count()).toBe(10);
      await screenshot(report, 'assessment-report.png');
      expect(requests).toBe(0);
    } finally {
      await page.context().close();
    }
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
