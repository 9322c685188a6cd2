/**
 * Browser test of the staff console at /console against a real gateway on SQLite: Debian's Chromium driven
 * by playwright-core, headless. Each role signs in and sees only its own pages; an admin cannot finish
 * signing in without the second factor; repeated wrong passwords lock an account; an admin manages staff,
 * characters (SCOPE-1) and API keys through the pages. Saves `test-artifacts/console-<role>.png` and more.
 */
import type { StaffRole } from '@companion-guard/core';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { addStaffAccount } from '../../src/server/auth/staff-auth.js';
import { totpCode } from '../../src/server/auth/totp.js';
import { type PageOptions, screenshot, useBrowserRun } from './browser.js';

const password = 'correct horse battery staple';

/** What each role's navigation lists, in order (the console's own labels, English). */
const navigation: Record<StaffRole, string[]> = {
  operator: ['Crisis queue', 'Guardians'],
  compliance: ['Compliance', 'Guardians'],
  auditor: ['Audit'],
  admin: ['Staff', 'Characters', 'API keys', 'Guardians'],
};

describe('staff console in a browser', () => {
  const run = useBrowserRun('cg-console-');
  const { pageErrors } = run;
  /** TOTP secrets of the admins the test created, by email. */
  const totpSecrets = new Map<string, string>();

  /** Adds a staff account the way the CLI does; keeps an admin's TOTP secret for signing in. */
  async function addStaff(email: string, role: StaffRole): Promise<void> {
    const { totpUri } = await addStaffAccount(run.gateway.store, {
      email,
      role,
      password,
      now: Date.now(),
      by: 'cli',
    });
    if (totpUri) {
      const secret = new URL(totpUri).searchParams.get('secret');
      if (!secret) throw new Error(`no secret in ${totpUri}`);
      totpSecrets.set(email, secret);
    }
  }

  function openConsole(
    path = '/console',
    options: PageOptions = { locale: 'en-US', viewport: { width: 1200, height: 860 } },
  ): Promise<Page> {
    return run.openPage(path, options);
  }

  async function submitPassword(page: Page, email: string, secret = password): Promise<void> {
    await page.getByTestId('login-email').fill(email);
    await page.getByTestId('login-password').fill(secret);
    await page.getByTestId('login-submit').click();
  }

  /** Signs in through the login page, with the second step for an admin. */
  async function signIn(page: Page, email: string): Promise<void> {
    await submitPassword(page, email);
    const secret = totpSecrets.get(email);
    if (secret) {
      await page.getByTestId('login-totp').fill(totpCode(secret, Date.now()));
      await page.getByTestId('login-submit').click();
    }
    await page.getByTestId('shell-role').waitFor({ timeout: 10_000 });
  }

  /** `GET /api/me` from the page, with its cookies: 200 only for a signed-in staff member. */
  async function meStatus(page: Page): Promise<number> {
    return page.evaluate(async () => (await fetch('/api/me')).status);
  }

  async function navLabels(page: Page): Promise<string[]> {
    return (await page.locator('nav a').allTextContents()).map((text) => text.trim());
  }

  /** Runs `steps` on a fresh page; on failure saves what the page looked like and what it said. */
  async function withPage(
    name: string,
    steps: (page: Page) => Promise<void>,
    path?: string,
    options?: Parameters<typeof openConsole>[1],
  ): Promise<void> {
    const page = await openConsole(path, options);
    try {
      await steps(page);
    } catch (error) {
      await screenshot(page, `console-${name}-failure.png`);
      const shown = await page.getByRole('alert').allTextContents();
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`${reason}\nalerts on the page: ${JSON.stringify(shown)}`, { cause: error });
    } finally {
      await page.context().close();
    }
    expect(pageErrors).toEqual([]);
  }

  it('signs each role in to its own shell and pages; other pages say "not permitted" when opened by URL', async () => {
    const accounts: Record<StaffRole, string> = {
      operator: 'operator@example.com',
      compliance: 'compliance@example.com',
      auditor: 'auditor@example.com',
      admin: 'admin-shell@example.com',
    };
    for (const [role, email] of Object.entries(accounts) as [StaffRole, string][])
      await addStaff(email, role);

    const phone = { locale: 'en-US', viewport: { width: 390, height: 780 } };
    for (const role of ['operator', 'compliance', 'auditor'] as const) {
      // The auditor's console is seen on a phone-sized screen.
      const options = role === 'auditor' ? phone : undefined;
      await withPage(
        role,
        async (page) => {
          await signIn(page, accounts[role]);
          expect(await page.getByTestId('shell-email').textContent()).toBe(accounts[role]);
          expect(await page.getByTestId('shell-role').getAttribute('data-role')).toBe(role);
          expect(await navLabels(page)).toEqual(navigation[role]);
          // The start page is the role's first page; one that is not built yet says so plainly.
          const first = page.locator('nav a[aria-current="page"]');
          expect(await first.textContent()).toBe(navigation[role][0]);
          // The compliance desk is built (its panels, COMPLAINT-1 first); the auditor's page is still to come.
          const planned = role === 'auditor' ? 1 : 0;
          expect(await page.getByText('Not built yet').count()).toBe(planned);
          expect(await page.getByText('What the gateway does today').count()).toBe(planned);
          await screenshot(page, `console-${role}.png`);

          // A page of another role, opened by URL: not permitted, and the gateway refuses its data too.
          await page.goto(`${run.gateway.url}/console/keys`);
          await page.getByTestId('page-not-permitted').waitFor();
          expect(await page.getByTestId('page-keys').count()).toBe(0);
          const refused = await page.evaluate(async () => (await fetch('/api/keys')).status);
          expect(refused).toBe(403);

          // Signing out ends the session on the gateway as well.
          await page.getByTestId('sign-out').click();
          await page.getByTestId('login-email').waitFor();
          expect(await meStatus(page)).not.toBe(200);
        },
        '/console',
        options,
      );
    }

    // The admin, in Chinese (the browser's language) and then in English.
    await withPage(
      'admin',
      async (page) => {
        expect(await page.getByTestId('login-submit').textContent()).toBe('登录');
        await signIn(page, accounts.admin);
        expect(await page.getByTestId('shell-role').textContent()).toBe('管理员');
        expect(await navLabels(page)).toEqual(['员工账号', '角色', 'API 密钥', '监护人']);
        await page.getByTestId('staff-row').first().waitFor();
        await screenshot(page, 'console-admin-zh.png');

        await page.getByTestId('lang-toggle').click();
        await expect.poll(() => page.getByTestId('shell-role').textContent()).toBe('Administrator');
        expect(await navLabels(page)).toEqual(navigation.admin);
        await screenshot(page, 'console-admin.png');

        await page.goto(`${run.gateway.url}/console/audit`);
        await page.getByTestId('page-not-permitted').waitFor();
      },
      '/console',
      { locale: 'zh-CN', viewport: { width: 1200, height: 860 } },
    );
  }, 120_000);

  it('keeps an admin without the second factor on the code step', async () => {
    const email = 'admin-no-code@example.com';
    await addStaff(email, 'admin');
    await withPage('admin-totp', async (page) => {
      await submitPassword(page, email);
      await page.getByTestId('login-totp').waitFor();
      expect(await page.getByTestId('totp-prompt').textContent()).toContain(email);

      // Not six digits: refused before asking the gateway.
      await page.getByTestId('login-totp').fill('12');
      await page.getByTestId('login-submit').click();
      await expect.poll(() => page.getByTestId('login-error').getAttribute('data-code')).toBe('totp-format');

      // A wrong code: the gateway refuses it, the page stays on the code step, nobody is signed in.
      const secret = totpSecrets.get(email) ?? '';
      const right = totpCode(secret, Date.now());
      const wrong = right === '000000' ? '111111' : '000000';
      await page.getByTestId('login-totp').fill(wrong);
      await page.getByTestId('login-submit').click();
      await expect.poll(() => page.getByTestId('login-error').getAttribute('data-code')).toBe('invalid-totp');
      expect(await page.getByTestId('login-error').textContent()).toContain('not valid');
      expect(await page.getByTestId('login-totp').isVisible()).toBe(true);
      expect(await page.getByTestId('shell-role').count()).toBe(0);
      expect(await meStatus(page)).not.toBe(200);
      await screenshot(page, 'console-admin-totp.png');
    });
  });

  it('locks an account after five wrong passwords, and says so', async () => {
    const email = 'locked@example.com';
    await addStaff(email, 'operator');
    await withPage('locked', async (page) => {
      const codes: string[] = [];
      for (let attempt = 1; attempt <= 6 && codes.at(-1) !== 'account-locked'; attempt++) {
        const answer = page.waitForResponse((r) => r.url().endsWith('/api/login'));
        await submitPassword(page, email, `wrong password ${attempt}`);
        const code = ((await (await answer).json()) as { code?: string }).code ?? '';
        codes.push(code);
        // The page shows the gateway's answer in words.
        await expect.poll(() => page.getByTestId('login-error').getAttribute('data-code')).toBe(code);
      }
      expect(codes.slice(0, 4)).toEqual(Array(4).fill('invalid-credentials'));
      expect(codes.at(-1)).toBe('account-locked');
      expect(await page.getByTestId('login-error').textContent()).toContain('locked');

      // Locked means locked: the right password does not get in either.
      const answer = page.waitForResponse((r) => r.url().endsWith('/api/login'));
      await submitPassword(page, email);
      expect((await answer).status()).toBe(423);
      expect(await page.getByTestId('login-error').getAttribute('data-code')).toBe('account-locked');
      expect(await page.getByTestId('shell-role').count()).toBe(0);
      await screenshot(page, 'console-locked.png');
    });
  });

  it('lets an admin add and disable staff, create and edit a character (SCOPE-1), and create and revoke an API key', async () => {
    const email = 'admin-work@example.com';
    await addStaff(email, 'admin');
    await withPage('admin-work', async (page) => {
      await signIn(page, email);
      expect(new URL(page.url()).pathname).toBe('/console/staff');
      await runStaffSteps(page);
      await runCharacterSteps(page);
      await runKeySteps(page);
    });
  }, 120_000);

  async function runStaffSteps(page: Page): Promise<void> {
    // An operator: added without a second factor, listed, then disabled after a confirmation.
    await page.getByTestId('staff-email').fill('new.operator@example.com');
    await page.getByTestId('staff-role').selectOption('operator');
    await page.getByTestId('staff-password').fill('a long initial password');
    await page.getByTestId('staff-add').click();
    await page.getByTestId('staff-added').waitFor();
    const row = page.locator('[data-testid="staff-row"][data-email="new.operator@example.com"]');
    await row.waitFor();
    expect(await row.getAttribute('data-disabled')).toBe('false');

    // An admin: the otpauth link is shown once, to add to an authenticator app.
    await page.getByTestId('staff-email').fill('second.admin@example.com');
    await page.getByTestId('staff-role').selectOption('admin');
    await page.getByTestId('staff-password').fill('another long password');
    await page.getByTestId('staff-add').click();
    const link = page.getByTestId('totp-uri-value');
    await link.waitFor();
    expect(await link.inputValue()).toMatch(/^otpauth:\/\/totp\/.+secret=[A-Z2-7]+/);
    await screenshot(page, 'console-admin-staff-added.png');
    await page.getByRole('button', { name: 'Done' }).click();
    expect(await page.getByTestId('totp-uri').count()).toBe(0);

    // An email that is taken: the gateway refuses it, the page says why, and nothing is added.
    await page.getByTestId('staff-email').fill('new.operator@example.com');
    await page.getByTestId('staff-role').selectOption('auditor');
    await page.getByTestId('staff-password').fill('yet another long password');
    await page.getByTestId('staff-add').click();
    const refusal = page.getByTestId('console-error');
    await expect.poll(() => refusal.getAttribute('data-code')).toBe('staff-exists');
    expect(await refusal.textContent()).toContain('already exists');
    expect(
      await page.locator('[data-testid="staff-row"][data-email="new.operator@example.com"]').count(),
    ).toBe(1);

    await row.getByTestId('staff-disable').click();
    const dialog = page.getByTestId('confirm-dialog');
    await dialog.waitFor();
    // Cancel first: nothing changes.
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await row.getAttribute('data-disabled')).toBe('false');
    await row.getByTestId('staff-disable').click();
    await page.getByTestId('confirm-ok').click();
    await expect.poll(() => row.getAttribute('data-disabled')).toBe('true');
    expect(await row.getByTestId('staff-disable').count()).toBe(0);
    const stored = (await run.gateway.store.staff.listStaff()).find(
      (s) => s.email === 'new.operator@example.com',
    );
    expect(stored?.disabled).toBe(true);
  }

  async function runCharacterSteps(page: Page): Promise<void> {
    await page.getByTestId('nav-characters').click();
    await page.getByTestId('character-row').first().waitFor();
    // The built-in characters come from the configuration: read-only here.
    const configRows = page.locator('[data-testid="character-row"][data-managed-by="config"]');
    expect(await configRows.count()).toBeGreaterThan(0);
    expect(await configRows.getByTestId('character-edit').count()).toBe(0);

    await page.getByTestId('character-new').click();
    await page.getByTestId('character-id').fill('mentor-li');
    await page.getByTestId('character-name-zh').fill('李老师');
    await page.getByTestId('character-name-en').fill('Teacher Li');
    await page.getByTestId('character-description-zh').fill('耐心的学习导师');
    await page.getByTestId('character-description-en').fill('A patient study mentor');
    await page.getByTestId('character-scope').selectOption('companion');
    await page.getByTestId('character-relation').selectOption('mentor');
    await page.getByTestId('character-persona').fill('You are a patient teacher.');
    await page.getByTestId('character-save').click();
    await page.getByTestId('character-saved').waitFor();
    const row = page.locator('[data-testid="character-row"][data-id="mentor-li"]');
    await row.waitFor();
    expect(await row.getAttribute('data-managed-by')).toBe('console');
    expect(await row.textContent()).toContain('Mentor');

    // Edit: the id is fixed; the new scope and the disabled state are saved.
    await row.getByTestId('character-edit').click();
    expect(await page.getByTestId('character-id').getAttribute('readonly')).not.toBeNull();
    expect(await page.getByTestId('character-persona').inputValue()).toBe('You are a patient teacher.');
    await page.getByTestId('character-scope').selectOption('tool');
    await page.getByTestId('character-relation').selectOption('assistant');
    await page.getByTestId('character-enabled').uncheck();
    await page.getByTestId('character-save').click();
    await page.getByTestId('character-saved').waitFor();
    await expect.poll(() => row.textContent()).toContain('Tool');
    expect(await row.textContent()).toContain('Disabled');
    const stored = (await run.gateway.store.listCharacters()).find((c) => c.id === 'mentor-li');
    expect(stored).toMatchObject({
      scope: 'tool',
      relation: 'assistant',
      enabled: false,
      managedBy: 'console',
    });
    await screenshot(page, 'console-admin-characters.png');
  }

  async function runKeySteps(page: Page): Promise<void> {
    await page.getByTestId('nav-keys').click();
    const production = await createKey(page, 'production backend');
    await screenshot(page, 'console-admin-keys.png');
    await page.getByRole('button', { name: 'Done' }).click();
    expect(await page.getByTestId('key-secret').count()).toBe(0);
    // A second key stays active, so the gateway keeps requiring keys once the first is revoked.
    const staging = await createKey(page, 'staging backend');
    await page.getByRole('button', { name: 'Done' }).click();

    // The secrets shown are the real ones: the companion app's calls work with them.
    const characters = async (secret: string) =>
      (await fetch(`${run.gateway.url}/v1/characters`, { headers: { authorization: `Bearer ${secret}` } }))
        .status;
    expect(await characters(production)).toBe(200);

    const row = page.locator('[data-testid="key-row"]', { hasText: 'production backend' });
    await row.getByTestId('key-revoke').click();
    await page.getByTestId('confirm-ok').click();
    await expect.poll(() => row.getAttribute('data-revoked')).toBe('true');
    expect(await row.getByTestId('key-revoke').count()).toBe(0);
    expect(await row.textContent()).toContain('Revoked');
    expect(await characters(production)).toBe(401);
    expect(await characters(staging)).toBe(200);
    await screenshot(page, 'console-admin-keys-revoked.png');
  }

  /** Creates a key through the page; returns the secret it shows once. */
  async function createKey(page: Page, label: string): Promise<string> {
    await page.getByTestId('key-label').fill(label);
    await page.getByTestId('key-create').click();
    const secretField = page.getByTestId('key-secret-value');
    await secretField.waitFor();
    const secret = await secretField.inputValue();
    expect(secret.length).toBeGreaterThan(20);
    await page.locator('[data-testid="key-row"]', { hasText: label }).waitFor();
    return secret;
  }
});
