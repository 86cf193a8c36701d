// Users and settings in real headless Chromium, at a desk and on a phone: the owner invites a seller,
// who opens the link in their own browser, sets a password and is signed in; the owner disables them
// and their open page falls back to sign-in; the owner renames the shop and moves its time zone, and
// the header and times follow at once. Screens in English and Korean go to test-artifacts/dashboard/.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardSizes, openDashboardBrowser, shootScreen, signedInOwner, wait, type DashboardBrowser } from '../helpers/dashboard';
import { startServer, type TestServer } from '../helpers/server';

const SELLER = { email: 'mina@shop.example', password: 'kettle lantern orchard 7' };

describe.each(dashboardSizes)('users and settings on a $name', (size) => {
  let server: TestServer;
  let dashboard: DashboardBrowser;
  let page: Page;

  beforeAll(async () => {
    server = await startServer();
    dashboard = await openDashboardBrowser(size);
    page = dashboard.page;
  });
  afterAll(async () => {
    await dashboard?.close();
    await server?.close();
  });

  const open = async (target: Page, name: string) => {
    await target.getByRole('navigation').getByRole('link', { name }).click();
    await target.getByRole('heading', { level: 1, name }).waitFor(wait);
  };

  it('invites a seller who sets a password from the link and is signed in; the owner disables them and their session ends', async () => {
    await signedInOwner(server, page);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    await open(page, 'Users');

    await page.getByLabel('Email', { exact: true }).fill(SELLER.email);
    await expect.poll(() => page.getByLabel('Role', { exact: true }).inputValue()).toBe('seller');
    await page.getByRole('button', { name: 'Invite', exact: true }).click();
    const linkField = page.getByRole('textbox', { name: 'Invite link', exact: true });
    await linkField.waitFor(wait);
    const inviteUrl = await linkField.inputValue();
    expect(inviteUrl).toMatch(/\/invite#code=pti_/);
    await page.getByRole('button', { name: 'Copy link' }).click();
    await page.getByText('Copied', { exact: true }).waitFor(wait);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(inviteUrl);
    // Listed at once, as invited.
    await page.getByRole('listitem').filter({ hasText: SELLER.email }).getByText(/Invited; link works until/).waitFor(wait);
    await shootScreen(page, size, 'users');

    // The seller, in a browser of their own.
    const seller = await dashboard.newPage();
    await seller.goto(inviteUrl);
    await seller.getByRole('heading', { level: 1, name: 'Join 포장 상점' }).waitFor(wait);
    expect(await seller.getByLabel('Email').inputValue()).toBe(SELLER.email);
    await shootScreen(seller, size, 'invite');
    await seller.getByLabel('Choose a password').fill('password1');
    await seller.getByRole('button', { name: 'Set password and sign in' }).click();
    await seller.getByRole('alert').getByText('Choose a stronger password.').waitFor(wait);
    await seller.getByLabel('Choose a password').fill(SELLER.password);
    await seller.getByRole('button', { name: 'Set password and sign in' }).click();
    await seller.getByRole('navigation').waitFor(wait);
    expect(new URL(seller.url()).pathname).toBe('/');
    expect(new URL(seller.url()).hash).toBe('');
    // A seller sees no Users or Settings entry, and typing the address shows why.
    await expect.poll(() => seller.getByRole('navigation').getByRole('link', { name: 'Users' }).count()).toBe(0);
    await seller.goto(`${server.url}/users`);
    await seller.getByText('Only the shop owner can manage users.', { exact: false }).waitFor(wait);

    // The link was used: opening it again says so.
    const again = await dashboard.newPage();
    await again.goto(inviteUrl);
    await again.getByText('This invite link no longer works.').waitFor(wait);
    await again.getByRole('link', { name: 'Go to sign-in' }).click();
    await again.getByRole('button', { name: 'Sign in' }).waitFor(wait);
    await again.context().close();

    // The owner sees them active, signed in, and disables them.
    await page.reload();
    const row = page.getByRole('listitem').filter({ hasText: SELLER.email });
    await row.getByText('Active', { exact: true }).waitFor(wait);
    expect(await row.textContent()).not.toContain('Not yet');
    await row.getByRole('button', { name: `Disable ${SELLER.email}` }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(`Disable ${SELLER.email}?`, { exact: false }).waitFor(wait);
    await dialog.getByRole('button', { name: 'Disable', exact: true }).click();
    await page.getByRole('status').getByText(`${SELLER.email} is disabled and signed out everywhere.`).waitFor(wait);
    await row.getByText('Disabled', { exact: true }).waitFor(wait);
    // The owner's own row offers no way to lock themself out.
    const own = page.getByRole('listitem').filter({ hasText: 'owner@example.com' });
    expect(await own.getByRole('button').count()).toBe(0);

    // The seller's open page: the next request finds the session gone.
    await seller.getByRole('navigation').getByRole('link', { name: 'Orders' }).click();
    await seller.getByText('Your session has ended. Sign in again to continue.').waitFor(wait);
    await seller.getByLabel('Email').fill(SELLER.email);
    await seller.getByLabel('Password').fill(SELLER.password);
    await seller.getByRole('button', { name: 'Sign in' }).click();
    await seller.getByText('This account is disabled. Ask the shop owner to enable it.').waitFor(wait);

    // Enabled again, they sign in.
    await row.getByRole('button', { name: `Enable ${SELLER.email}` }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Enable', exact: true }).click();
    await row.getByText('Active', { exact: true }).waitFor(wait);
    await seller.getByRole('button', { name: 'Sign in' }).click();
    await seller.getByRole('navigation').waitFor(wait);
    await seller.context().close();
  }, 120_000);

  it('changes a role through its dialog', async () => {
    await open(page, 'Users');
    const row = page.getByRole('listitem').filter({ hasText: SELLER.email });
    await row.getByRole('button', { name: `Change role of ${SELLER.email}` }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('New role').selectOption('packer');
    await dialog.getByRole('button', { name: 'Save role' }).click();
    await page.getByRole('status').getByText(`${SELLER.email} is now: Packer.`).waitFor(wait);
    expect(await row.textContent()).toContain('Packer');
  }, 60_000);

  it('renames the shop and moves its time zone: the header and times follow at once, and an unknown zone is refused', async () => {
    await open(page, 'Users');
    const lastSignIn = page.getByRole('listitem').filter({ hasText: 'owner@example.com' }).locator('dd').last();
    await expect.poll(() => lastSignIn.textContent()).toContain('GMT+9');

    await open(page, 'Settings');
    const zone = page.getByLabel('Time zone');
    expect(await zone.inputValue()).toBe('Asia/Seoul');
    await zone.fill('Mars/Olympus');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('“Mars/Olympus” is not a time zone.', { exact: false }).waitFor(wait);
    expect(await zone.getAttribute('aria-invalid')).toBe('true');

    await page.getByLabel('Shop name').fill('Napkin House');
    // A city alone is enough, and the field says what it was read as.
    await zone.fill('Taipei');
    await page.getByText('Read as Asia/Taipei.', { exact: false }).waitFor(wait);
    expect(await zone.getAttribute('aria-invalid')).toBe('false');
    await page.getByLabel('Report language').selectOption('ko');
    // The weight check: the shop's usual box, and a tighter tolerance.
    expect(await page.getByLabel('Default packaging weight (g)').inputValue()).toBe('0');
    expect(await page.getByLabel('Weight tolerance (%)').inputValue()).toBe('5');
    await page.getByLabel('Default packaging weight (g)').fill('150');
    await page.getByLabel('Weight tolerance (%)').fill('3');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').getByText('Settings saved.').waitFor(wait);
    await expect.poll(() => zone.inputValue()).toBe('Asia/Taipei');
    await expect.poll(() => page.locator('header .shop-name').textContent()).toBe('Napkin House');
    await page.getByText('Now in this zone:', { exact: false }).waitFor(wait);
    await shootScreen(page, size, 'settings');

    // Saved on the server, and the times elsewhere are now Taipei's, without a reload.
    const owner = await (await server.request('POST', '/api/v1/sessions', { json: { email: 'owner@example.com', password: 'correct horse battery' } })).json();
    expect(await (await server.request('GET', '/api/v1/shop', { token: owner.token })).json()).toEqual({ name: 'Napkin House', timezone: 'Asia/Taipei', reportLanguage: 'ko', packagingWeightGrams: 150, weightTolerancePercent: 3 });
    await page.getByRole('link', { name: 'Edit reply templates' }).waitFor(wait);
    await open(page, 'Users');
    await expect.poll(() => lastSignIn.textContent()).toContain('GMT+8');
  }, 60_000);

  it('invites a packer, who lands on a page that sends them to the packer app and may only look up orders', async () => {
    const PACKER = 'jun@shop.example';
    await open(page, 'Users');
    await page.getByLabel('Email', { exact: true }).fill(PACKER);
    await page.getByLabel('Role', { exact: true }).selectOption('packer');
    await page.getByRole('button', { name: 'Invite', exact: true }).click();
    const inviteUrl = await page.getByRole('textbox', { name: 'Invite link', exact: true }).inputValue();

    const packer = await dashboard.newPage();
    await packer.goto(inviteUrl);
    // On a Korean page the server's English reason for a weak password sits in a disclosure marked English.
    const language = packer.locator('header select');
    await language.selectOption('ko');
    await packer.locator('input[type=password]').fill('password1');
    await packer.locator('button[type=submit]').click();
    const refusal = packer.getByRole('alert');
    await refusal.getByText('더 강한 비밀번호를 정하세요.').waitFor(wait);
    await refusal.getByText('자세한 내용 (서버 메시지, 영어)').click();
    expect(await refusal.locator('details p').getAttribute('lang')).toBe('en');
    expect(await refusal.locator('details p').textContent()).toMatch(/[a-z]/);
    await language.selectOption('en');
    await packer.getByLabel('Choose a password').fill('spruce minnow lantern 4');
    await packer.getByRole('button', { name: 'Set password and sign in' }).click();
    await packer.getByRole('heading', { level: 1, name: 'Packing happens in the packer app' }).waitFor(wait);
    expect(await packer.getByRole('link', { name: 'Open the packer app' }).getAttribute('href')).toBe('/pack/');
    await expect.poll(() => packer.title()).toBe('Packing happens in the packer app · Napkin House · Packtrail');
    // Only what a packer may open: their page and the orders.
    expect(await packer.getByRole('navigation').getByRole('link').allTextContents()).toEqual(['Packing', 'Orders']);
    expect(await packer.getByRole('alert').count()).toBe(0);
    await shootScreen(packer, size, 'packer-home');

    await packer.getByRole('navigation').getByRole('link', { name: 'Orders' }).click();
    await packer.getByRole('heading', { level: 1, name: 'Orders' }).waitFor(wait);
    // A screen their role cannot open says so plainly, with nothing to try again.
    for (const address of ['/disputes', '/phones', '/settings']) {
      await packer.goto(`${server.url}${address}`);
      await packer.getByText('Your role cannot open this page.').waitFor(wait);
      expect(await packer.getByRole('button', { name: 'Try again' }).count(), address).toBe(0);
      expect(await packer.getByRole('alert').count(), address).toBe(0);
    }
    await shootScreen(packer, size, 'role-cannot-open');
    await packer.context().close();
  }, 90_000);

  it('says a wrong password once, in the page’s language, with no English server line', async () => {
    const visitor = await dashboard.newPage();
    await visitor.goto(`${server.url}/`);
    await visitor.locator('header select').selectOption('ko');
    await visitor.locator('#sign-in-email').fill('owner@example.com');
    await visitor.locator('#sign-in-password').fill('not the password');
    await visitor.getByRole('button', { name: '로그인' }).click();
    const alert = visitor.getByRole('alert');
    await alert.waitFor(wait);
    expect((await alert.textContent())!.trim()).toBe('이메일 또는 비밀번호가 맞지 않습니다.');
    await expect.poll(() => visitor.title()).toBe('로그인 · Packtrail');
    await visitor.context().close();
  }, 60_000);
});
