import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { type RunningServer, type StartServerOptions, startServer } from '../../src/cli/serve.js';
import { silentLogger } from '../../src/logger.js';

const CHROMIUM = '/usr/bin/chromium';
const consoleIndex = fileURLToPath(new URL('../../../console/dist/index.html', import.meta.url));
const artifactsDir = fileURLToPath(new URL('../../../../test-artifacts/', import.meta.url));

export interface PageOptions {
  readonly locale: string;
  /** The browser's time zone (IANA); default: the machine's. */
  readonly timezoneId?: string;
  readonly viewport: { readonly width: number; readonly height: number };
}

export interface BrowserRun {
  /** The gateway the pages talk to; only once the set-up ran. */
  readonly gateway: RunningServer;
  /** The errors thrown in every page opened so far. */
  readonly pageErrors: string[];
  /**
   * A new page in a fresh browser context (no cookies), at `path` of the gateway; `prepare` runs before it
   * loads (e.g. to install Playwright's fake clock).
   */
  openPage(path: string, options: PageOptions, prepare?: (page: Page) => Promise<void>): Promise<Page>;
}

/**
 * For the `describe` it is called in: before its tests, starts a real gateway on SQLite in a temp dir
 * (named `tempPrefix`…) and launches Debian's Chromium headless; after them, closes both. The console must
 * be built first.
 */
export function useBrowserRun(
  tempPrefix: string,
  serverOptions:
    | Pick<StartServerOptions, 'upstream' | 'configFile' | 'clock'>
    | (() => Promise<Pick<StartServerOptions, 'upstream' | 'configFile' | 'clock'>>) = {},
): BrowserRun {
  let dataDir = '';
  let gateway: RunningServer | null = null;
  let browser: Browser | null = null;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(consoleIndex)) {
      throw new Error(
        `The console build is missing (${consoleIndex}). Run \`npm run build -w @companion-guard/console\` ` +
          '(`npm test` builds it first).',
      );
    }
    if (!existsSync(CHROMIUM)) {
      throw new Error(`Chromium is missing at ${CHROMIUM}; install Debian's \`chromium\` package.`);
    }
    dataDir = await mkdtemp(join(tmpdir(), tempPrefix));
    // An empty environment keeps it on SQLite with the default settings (the paced demo model), whatever
    // the machine sets.
    gateway = await startServer({
      port: 0,
      host: '127.0.0.1',
      dataDir,
      env: {},
      logger: silentLogger,
      ...(typeof serverOptions === 'function' ? await serverOptions() : serverOptions),
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  return {
    get gateway() {
      if (!gateway) throw new Error('set-up failed');
      return gateway;
    },
    pageErrors,
    async openPage(path, options, prepare) {
      if (!browser || !gateway) throw new Error('set-up failed');
      const context = await browser.newContext(options);
      const page = await context.newPage();
      page.on('pageerror', (error) => pageErrors.push(error.message));
      await prepare?.(page);
      await page.goto(`${gateway.url}${path}`);
      return page;
    },
  };
}

/** Saves what the page looks like as `test-artifacts/<file>`. */
export async function screenshot(page: Page, file: string, fullPage = true): Promise<void> {
  await mkdir(artifactsDir, { recursive: true });
  await page.screenshot({ path: join(artifactsDir, file), fullPage });
}
