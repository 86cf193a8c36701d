// Reply templates and drafts in real headless Chromium, at a desk and on a phone: the owner rewrites a
// template and saves it, the preview drafts it for a real dispute filled with the order's facts, the
// draft is copied with one click, an unknown placeholder is refused by name, reset brings the default
// back; a seller reads the templates without being able to change them.
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dashboardSizes, openDashboardBrowser, shootScreen, signedInOwner, wait, type DashboardBrowser,
} from '../helpers/dashboard';
import { fixture, startServer, uploadFiles, type Shop, type TestServer } from '../helpers/server';

const SELLER = { email: 'seller.replies@example.com', password: 'staff passphrase 42' };

/** An order packed on camera with its weight and a photo, and a dispute over it with that photo as evidence. */
async function disputedOrder(server: TestServer, shop: Shop) {
  const device = await shop.deviceToken();
  await server.request('PUT', '/api/v1/orders/NAP-1', {
    token: shop.ownerToken,
    json: { buyer: { name: '김민준' }, items: [{ name: 'Linen napkins', quantity: 4, unitWeightGrams: 570 }], carrier: 'CJ대한통운', trackingNumbers: ['601234567890'] },
  });
  const capture = await (await server.request('POST', '/api/v1/captures', { token: device.token, json: { orderId: 'NAP-1', kind: 'packing', weight: { value: 2310, unit: 'g' } } })).json();
  const upload = await uploadFiles(server, device.token, capture.id, [{ name: 'inside.png', bytes: new Uint8Array(fs.readFileSync(fixture('photo.png'))) }]);
  await server.request('POST', `/api/v1/captures/${capture.id}/finish`, { token: device.token });
  const dispute = await (await server.request('POST', '/api/v1/disputes', {
    token: shop.ownerToken,
    json: { orderId: 'NAP-1', reason: 'item_missing', counterparty: 'buyer', respondBy: '2026-12-30T00:00:00Z' },
  })).json();
  await server.request('POST', `/api/v1/disputes/${dispute.id}/evidence`, { token: shop.ownerToken, json: { mediaId: (await upload.json()).media[0].id, caption: 'All four napkins in the box' } });
  return dispute.id as string;
}

describe.each(dashboardSizes)('reply templates on a $name', (size) => {
  let server: TestServer;
  let browser: DashboardBrowser;
  let page: Page;

  beforeAll(async () => {
    server = await startServer();
    browser = await openDashboardBrowser(size);
    page = browser.page;
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    const shop = await signedInOwner(server, page);
    await disputedOrder(server, shop);
    await server.request('POST', '/api/v1/users', { token: shop.ownerToken, json: { ...SELLER, role: 'seller' } });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const template = () => page.getByLabel('Template text');
  const draft = () => page.getByRole('textbox', { name: /^Draft:/ });

  it('the owner rewrites a template, saves it, and the preview drafts it with the dispute’s facts', async () => {
    await page.goto(`${server.url}/settings/replies`);
    await page.getByRole('heading', { level: 1, name: 'Reply templates' }).waitFor(wait);
    await page.getByLabel('Dispute reason').selectOption('item_missing');
    await page.getByLabel('Stage', { exact: true }).selectOption('first_reply');
    await page.getByLabel('Message language').selectOption('en');
    await expect.poll(() => template().inputValue(), wait).toContain('Dear {buyerName},');
    await expect.poll(() => page.locator('.reply-state').textContent()).toBe('Default wording');

    await template().fill('Hello {buyerName}, about order {orderId}: refund, exchange, or return for {returnFee}.\n\n');
    // A placeholder goes in where the cursor is (on a phone the list is folded away until asked for).
    await template().press('End');
    if ((await page.locator('details.placeholders').getAttribute('open')) === null) await page.getByText('Placeholders', { exact: true }).click();
    await page.getByRole('button', { name: /\{shopName\}/ }).click();
    await expect.poll(() => template().inputValue()).toMatch(/\{shopName\}$/);
    await page.getByRole('button', { name: 'Save template' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Template saved.' }).count(), wait).toBe(1);
    await expect.poll(() => page.locator('.reply-state').textContent()).toMatch(/^Your wording, saved/);

    // The preview picked the dispute of this reason and drafts it with the saved words and the order's facts.
    await expect.poll(() => draft().inputValue(), wait).toBe(
      'Hello 김민준, about order NAP-1: refund, exchange, or return for [return shipping fee: fill in the amount].\n\n포장 상점',
    );
    await expect.poll(() => page.locator('.reply-drafts .notice-warning').textContent()).toContain('Fill in before sending: the return shipping fee (you fill it in).');

    // One click copies it, and says so.
    await page.getByRole('button', { name: 'Copy', exact: true }).click();
    await expect.poll(() => page.locator('.copy-status').textContent(), wait).toBe('Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await draft().inputValue());

    // The other stages keep the default wording, filled in.
    await page.getByRole('radio', { name: 'Evidence sent' }).check();
    await expect.poll(() => draft().inputValue(), wait).toContain('- Packing · Photo, recorded');
    expect(await draft().inputValue()).toContain('All four napkins in the box');
    expect(await page.locator('.copy-status').textContent()).toBe('');
    await page.getByLabel('Language of the message').selectOption('ko');
    await expect.poll(() => draft().inputValue(), wait).toContain('김민준 고객님, 안녕하세요.');
    await page.getByLabel('Language of the message').selectOption('en');
    await page.getByRole('radio', { name: 'First reply' }).check();

    await shootScreen(page, size, 'reply-templates');
  });

  it('refuses an unknown placeholder by name, and goes back to the default on reset', async () => {
    await template().fill('Dear {buyerName}, your {parcelColour} parcel.');
    await page.getByRole('button', { name: 'Save template' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor(wait);
    expect(await alert.textContent()).toContain('{parcelColour}');

    await page.getByRole('button', { name: 'Reset to default' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Back to the default wording.' }).count(), wait).toBe(1);
    await expect.poll(() => template().inputValue()).toContain('Dear {buyerName},');
    await expect.poll(() => page.locator('.reply-state').textContent()).toBe('Default wording');
    await expect.poll(() => draft().inputValue(), wait).toContain('Dear 김민준,');
    expect(await page.getByRole('button', { name: 'Reset to default' }).count()).toBe(0);
  });

  it('asks before unsaved words are lost: leaving by a link or choosing another template', async () => {
    await template().fill('Hello {buyerName}, not saved yet.');
    const questions: string[] = [];
    // Stay: the dialog dismissed, the page and its words kept.
    page.once('dialog', (dialog) => (questions.push(dialog.message()), dialog.dismiss()));
    await page.getByRole('link', { name: 'Today' }).click();
    await expect.poll(() => questions.length).toBe(1);
    expect(questions[0]).toBe('You have unsaved changes to this template. Leave without saving them?');
    expect(new URL(page.url()).pathname).toBe('/settings/replies');
    expect(await template().inputValue()).toBe('Hello {buyerName}, not saved yet.');
    page.once('dialog', (dialog) => (questions.push(dialog.message()), dialog.dismiss()));
    await page.getByLabel('Stage', { exact: true }).selectOption('evidence_sent');
    await expect.poll(() => questions.length).toBe(2);
    expect(await page.getByLabel('Stage', { exact: true }).inputValue()).toBe('first_reply');
    expect(await template().inputValue()).toBe('Hello {buyerName}, not saved yet.');
    // Leave: the words go, as asked.
    page.once('dialog', (dialog) => dialog.accept());
    await page.getByRole('link', { name: 'Today' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await page.goto(`${server.url}/settings/replies`);
    await expect.poll(() => template().inputValue(), wait).toContain('Dear {buyerName},');
  });

  it('a seller reads the templates and previews drafts, but cannot change them', async () => {
    const sellerPage = await browser.newPage();
    await sellerPage.goto(`${server.url}/`);
    await sellerPage.getByLabel('Email').fill(SELLER.email);
    await sellerPage.getByLabel('Password').fill(SELLER.password);
    await sellerPage.getByRole('button', { name: 'Sign in' }).click();
    await sellerPage.getByRole('navigation').waitFor(wait);
    await sellerPage.goto(`${server.url}/settings/replies`);
    await sellerPage.getByText('Only the shop\'s owner can change these templates.', { exact: false }).waitFor(wait);
    await expect.poll(() => sellerPage.getByLabel('Template text').inputValue(), wait).toContain('{orderId}');
    expect(await sellerPage.getByLabel('Template text').getAttribute('readonly')).not.toBeNull();
    expect(await sellerPage.getByRole('button', { name: 'Save template' }).count()).toBe(0);
    await expect.poll(() => sellerPage.getByRole('textbox', { name: /^Draft:/ }).inputValue(), wait).toContain('Dear 김민준,');
    await sellerPage.close();
  });
});
