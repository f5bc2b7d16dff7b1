// The users panel's role change and the built-in admin's password change, in real headless Chromium against a real collector (issue 20 item 5).
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvitation } from './auth/invitations.js';
import { hashPassword } from './auth/password-hash.js';
import { chromiumAvailable, launchChromium } from './test-support/headless-chromium.js';
import { startDashboard, type DashboardFixture } from './test-support/seed-traffic.js';

/** Room for a busy 2-core machine: every sign-in runs scrypt. */
const eventually = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 30_000, interval: 100 });

const ADMIN_PASSWORD = 'stored admin password';
const NEW_ADMIN_PASSWORD = 'the new admin password';
const available = chromiumAvailable(import.meta.url);

let fixture: DashboardFixture;
let browser: Browser;
let shop: string;
let blog: string;

async function signIn(page: Page, password: string, login = ''): Promise<void> {
  await page.goto(fixture.url);
  if (login !== '') await page.fill('#login', login);
  await page.fill('#password', password);
  await page.click('button[type=submit]');
  await page.waitForSelector('#channels');
}

/** A named user made through the invitation API, as the link's page does it. */
async function namedUser(login: string, role: 'admin' | 'viewer', accounts: string[]): Promise<void> {
  const { token } = await createInvitation(fixture.storage, {
    role,
    accountIds: accounts,
    login,
    expiresHours: 1,
    now: Date.now(),
  });
  const res = await fetch(`${fixture.url}/dashboard/api/invitation/accept`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: fixture.url },
    body: JSON.stringify({ token, password: `${login} passphrase` }),
  });
  expect(res.status).toBe(200);
}

const userRow = (page: Page, login: string) => page.locator(`#users-table tr[data-login="${login}"]`);
const rowText = async (page: Page, login: string): Promise<string> =>
  (await userRow(page, login).locator('td').allInnerTexts())
    .slice(0, 3)
    .map((t) => t.trim())
    .join(' | ');

describe.skipIf(!available)('users panel in headless Chromium', () => {
  const contexts: BrowserContext[] = [];
  const newPage = async (): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    contexts.push(context);
    return context.newPage();
  };

  beforeAll(async () => {
    fixture = await startDashboard();
    await fixture.storage.setAdminSetting('admin_password_hash', await hashPassword(ADMIN_PASSWORD), Date.now());
    shop = (await fixture.keyFor('shop')).accountId;
    blog = (await fixture.keyFor('blog')).accountId;
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await fixture?.close();
  });

  it('an admin changes a viewer to admin and back to a viewer of one account; bad choices and viewers are refused with the reason', async () => {
    await namedUser('una', 'viewer', [shop]);
    await namedUser('val', 'viewer', [blog]);
    const admin = await newPage();
    await signIn(admin, ADMIN_PASSWORD);
    const una = await newPage();
    await signIn(una, 'una passphrase', 'una');
    expect(await rowText(admin, 'una')).toBe('una | viewer | shop');

    // A viewer without any account: the server's rule, shown in the row; nothing changes.
    await userRow(admin, 'una').locator('.role-box summary').click();
    await userRow(admin, 'una').locator(`#role-una-account-${shop}`).uncheck();
    await userRow(admin, 'una').locator('.role-save').click();
    await eventually(() => userRow(admin, 'una').locator('.role-error').textContent()).toBe(
      'role: a viewer needs at least one account',
    );
    await una.reload();
    await una.waitForSelector('#channels');

    await userRow(admin, 'una').locator('.role-select').selectOption('admin');
    expect(await userRow(admin, 'una').locator('.role-accounts').isHidden()).toBe(true);
    await userRow(admin, 'una').locator('.role-save').click();
    await eventually(() => rowText(admin, 'una')).toBe('una | admin | all accounts');
    // Her session ended with the change; signed in again she is an admin and sees the users panel.
    await una.reload();
    await una.waitForSelector('#password');
    await signIn(una, 'una passphrase', 'una');
    expect(await una.textContent('#who')).toBe('una (admin)');
    await una.waitForSelector('#users');

    await userRow(admin, 'una').locator('.role-box summary').click();
    await userRow(admin, 'una').locator('.role-select').selectOption('viewer');
    await userRow(admin, 'una').locator(`#role-una-account-${blog}`).check();
    await userRow(admin, 'una').locator('.role-save').click();
    await eventually(() => rowText(admin, 'una')).toBe('una | viewer | blog');

    // A viewer cannot change roles, not even with the page's own token.
    const val = await newPage();
    await signIn(val, 'val passphrase', 'val');
    expect(await val.locator('#users').count()).toBe(0);
    const refused = await val.evaluate(async () => {
      const { csrf_token: csrf } = (await (await fetch('/dashboard/api/session')).json()) as { csrf_token: string };
      const res = await fetch('/dashboard/api/users/any-id/role', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
        body: JSON.stringify({ role: 'admin' }),
      });
      return [res.status, await res.json()] as const;
    });
    expect(refused).toEqual([
      403,
      { error: { code: 'admin_only', message: 'only an admin may change roles; user val is a viewer' } },
    ]);
  });

  it("the built-in admin changes its password in the page: the current one is required, its other browsers are signed out, named users' are not", async () => {
    const here = await newPage();
    await signIn(here, ADMIN_PASSWORD);
    const elsewhere = await newPage();
    await signIn(elsewhere, ADMIN_PASSWORD);
    const named = await newPage();
    await signIn(named, 'val passphrase', 'val');

    await here.click('#password summary');
    expect(await here.textContent('#password summary')).toBe('Change the admin password');
    await here.fill('#current-password', 'not the password');
    await here.fill('#new-password', NEW_ADMIN_PASSWORD);
    await here.click('#password-submit');
    await eventually(() => here.textContent('#password-message')).toBe(
      'current_password: that is not your current password',
    );
    await here.fill('#current-password', ADMIN_PASSWORD);
    await here.fill('#new-password', 'too short');
    await here.click('#password-submit');
    await eventually(() => here.textContent('#password-message')).toBe(
      'new_password: the admin password must be at least 10 characters long',
    );
    await here.fill('#new-password', NEW_ADMIN_PASSWORD);
    await here.click('#password-submit');
    // `elsewhere` and the first test's admin browser; not `named` (una's and val's sessions stay).
    await eventually(() => here.textContent('#password-message')).toBe(
      'Password changed; 2 other session(s) signed out.',
    );

    await here.reload();
    await here.waitForSelector('#channels');
    await elsewhere.reload();
    await elsewhere.waitForSelector('#password');
    await named.reload();
    await named.waitForSelector('#channels');
    // The old password no longer signs in; the new one does.
    await elsewhere.fill('#password', ADMIN_PASSWORD);
    await elsewhere.click('button[type=submit]');
    await eventually(() => elsewhere.textContent('#sign-in-error')).toContain('not the admin password');
    await signIn(elsewhere, NEW_ADMIN_PASSWORD);
  });
});
