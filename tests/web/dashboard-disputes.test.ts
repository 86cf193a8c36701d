// The disputes screens in real headless Chromium, at a desk and on a phone: a dispute opened from
// /disputes?new=<orderId> → two files attached with captions → the bundle downloaded, its manifest
// listing them with the media's SHA-256 and its own verifier passing → a share link made, opened by
// a recipient in another browser context, revoked (410) and counted once → the dispute marked won.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardSizes, openDashboardBrowser, shootScreen, signedInOwner, wait, type DashboardBrowser } from '../helpers/dashboard';
import { fixture, startServer, tempDir, uploadFiles, type TestServer } from '../helpers/server';

const ORDER_ID = 'SS-2025-0412';

interface UploadedMedia {
  id: string;
  sha256: string;
}

describe.each(dashboardSizes)('disputes on a $name', (size) => {
  let server: TestServer;
  let dash: DashboardBrowser;

  beforeAll(async () => {
    server = await startServer();
    dash = await openDashboardBrowser(size);
  });
  afterAll(async () => {
    await dash?.close();
    await server?.close();
  });

  it('opens a dispute on an order, picks and exports its evidence, shares it and marks it won', async () => {
    const { page } = dash;
    const shop = await signedInOwner(server, page);

    // An order packed by a phone: a capture with two photos, made through the API.
    const device = await shop.deviceToken();
    expect((await server.request('PUT', `/api/v1/orders/${ORDER_ID}`, { token: shop.ownerToken, json: { buyer: { name: '박지훈' }, carrier: 'CJ Logistics', trackingNumbers: ['602233445566'], declaredValue: { amount: 39000, currency: 'KRW' } } })).status).toBe(201);
    const capture = await (await server.request('POST', '/api/v1/captures', { token: device.token, json: { orderId: ORDER_ID, kind: 'packing', station: 'Station 1' } })).json();
    const upload = await uploadFiles(server, device.token, capture.id, [
      { name: 'contents.jpg', bytes: new Uint8Array(fs.readFileSync(fixture('photo-orientation6-gps.jpg'))), type: 'image/jpeg' },
      { name: 'sealed.png', bytes: new Uint8Array(fs.readFileSync(fixture('photo.png'))), type: 'image/png' },
    ]);
    expect(upload.status).toBe(201);
    const media = ((await upload.json()) as { media: UploadedMedia[] }).media;
    expect((await server.request('POST', `/api/v1/captures/${capture.id}/finish`, { token: device.token })).status).toBe(200);

    // The form, reached as the order page links to it; the deadline typed as the shop's clock reads it.
    await page.goto(`${server.url}/disputes?new=${ORDER_ID}`);
    await page.getByRole('heading', { name: `Open a dispute on order ${ORDER_ID}` }).waitFor(wait);
    await page.getByRole('link', { name: `Order ${ORDER_ID}` }).waitFor(wait);
    expect(await page.getByLabel('Order ID').inputValue()).toBe(ORDER_ID);
    await page.getByLabel('Reason').selectOption({ label: 'Item missing' });
    await page.getByLabel('Raised by or with').selectOption({ label: 'Marketplace' });
    await page.getByLabel('Case reference').fill('SS-CASE-9921');
    await page.getByLabel('Amount claimed').fill('39000');
    await expect.poll(() => page.getByLabel('Currency').inputValue()).toBe('KRW');
    // Without a deadline the form warns (there will be no reminders) but does not refuse.
    await page.getByText('Without a deadline there are no reminders.').waitFor(wait);
    await page.getByLabel('Respond by').fill('2031-05-20T18:00');
    await page.getByText('Without a deadline there are no reminders.').waitFor({ ...wait, state: 'detached' });
    await page.getByLabel('Note').fill('Buyer says one pair was missing.');
    await shootScreen(page, size, 'dispute-open-form');
    const created = page.waitForResponse((response) => response.url().endsWith('/api/v1/disputes') && response.request().method() === 'POST');
    await page.getByRole('button', { name: 'Open the dispute' }).click();
    const dispute = (await (await created).json()) as { id: string; respondBy: string };
    // 18:00 in Seoul (UTC+9) is 09:00 UTC.
    expect(dispute.respondBy).toBe('2031-05-20T09:00:00.000Z');
    await page.waitForURL(`**/disputes/${dispute.id}`);
    await page.getByRole('heading', { name: `Dispute on order ${ORDER_ID}`, level: 1 }).waitFor(wait);

    // Nothing attached yet: no share link to an empty page.
    expect(await page.getByRole('button', { name: 'Create a share link' }).isDisabled()).toBe(true);
    await page.getByText('Attach evidence first').waitFor(wait);

    // The facts can be changed after opening: the case reference and the amount, the deadline kept.
    await page.getByRole('button', { name: 'Edit the dispute' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('facts-reason');
    expect(await page.getByLabel('Respond by').inputValue()).toBe('2031-05-20T18:00');
    await page.getByLabel('Case reference').fill('SS-CASE-9922');
    await page.getByLabel('Amount claimed').fill('41000');
    const patched = page.waitForResponse((response) => response.url().endsWith(`/api/v1/disputes/${dispute.id}`) && response.request().method() === 'PATCH');
    await page.getByRole('button', { name: 'Save the changes' }).click();
    expect(await (await patched).json()).toMatchObject({ reason: 'item_missing', counterparty: 'marketplace', reference: 'SS-CASE-9922', amount: { value: 41000, currency: 'KRW' }, respondBy: '2031-05-20T09:00:00.000Z' });
    await page.getByText("Saved the dispute's facts.").waitFor(wait);
    await page.getByRole('region', { name: 'The dispute' }).getByText('SS-CASE-9922').waitFor(wait);
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Edit the dispute');

    // Two files from the timeline, each with its caption, in the order they are attached. After each,
    // the note that replaced the button has the focus, in view where the button was.
    const attachedNote = async (name: string) => {
      await expect.poll(() => page.evaluate(() => document.activeElement?.textContent ?? '')).toContain(name);
      const focused = page.locator(':focus');
      expect(await focused.textContent()).toContain('✓ attached');
      expect(await focused.evaluate((element) => {
        const box = element.getBoundingClientRect();
        return box.top >= 0 && box.bottom <= window.innerHeight;
      })).toBe(true);
    };
    await page.getByLabel('Caption for Packing · Photo 2').fill('Sealed box with tape twice');
    await page.getByRole('button', { name: 'Attach Packing · Photo 2' }).click();
    await attachedNote('Packing · Photo 2');
    await page.getByLabel('Caption for Packing · Photo 1').fill('All four pairs in the box');
    await page.getByRole('button', { name: 'Attach Packing · Photo 1' }).click();
    await attachedNote('Packing · Photo 1');
    expect(await page.getByRole('button', { name: 'Create a share link' }).isDisabled()).toBe(false);
    const chosen = page.getByRole('list', { name: 'Attached, in the order the recipient sees it' }).getByRole('listitem');
    await expect.poll(() => chosen.allTextContents()).toEqual([
      expect.stringContaining('Sealed box with tape twice'),
      expect.stringContaining('All four pairs in the box'),
    ]);
    // The preview lists the same files, each with its SHA-256.
    const preview = page.getByRole('region', { name: 'What the recipient gets' });
    expect(await preview.textContent()).toContain(media[1].sha256);
    expect(await preview.textContent()).toContain(media[0].sha256);

    // Put in order: Photo 1 moved up to first, focus staying on its own (now the Move down) button.
    await page.getByRole('button', { name: 'Move Packing · Photo 1 up' }).click();
    await expect.poll(() => chosen.allTextContents()).toEqual([
      expect.stringContaining('All four pairs in the box'),
      expect.stringContaining('Sealed box with tape twice'),
    ]);
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Move Packing · Photo 1 down');
    expect(await page.getByRole('button', { name: 'Move Packing · Photo 1 up' }).isDisabled()).toBe(true);

    // The report starts in the shop's report language (English here), and follows the page to Korean
    // and back, until one is picked for it.
    expect(await page.getByLabel('Language of the report').inputValue()).toBe('en');
    expect(await page.getByLabel('Language of the message').inputValue()).toBe('en');
    await page.getByRole('combobox', { name: 'Language', exact: true }).selectOption('ko');
    expect(await page.getByLabel('보고서 언어').inputValue()).toBe('ko');
    await page.getByRole('combobox', { name: '언어', exact: true }).selectOption('en');
    expect(await page.getByLabel('Language of the report').inputValue()).toBe('en');

    // The bundle, in Korean: its manifest lists both originals in the order set, with their SHA-256, and its own verifier passes.
    await page.getByLabel('Language of the report').selectOption('ko');
    const downloading = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download the evidence bundle (ZIP)' }).click();
    const download = await downloading;
    expect(download.url()).toContain('lang=ko');
    const dir = tempDir('packtrail-bundle-');
    const zip = path.join(dir, 'bundle.zip');
    await download.saveAs(zip);
    const unpacked = path.join(dir, 'unpacked');
    expect(spawnSync('unzip', ['-q', zip, '-d', unpacked]).status).toBe(0);
    const manifest = JSON.parse(fs.readFileSync(path.join(unpacked, 'manifest.json'), 'utf8')) as { files: { path: string; sha256: string; kind: string; mediaId?: string; description: string }[] };
    const originals = manifest.files.filter((file) => file.kind === 'original');
    expect(originals.map((file) => [file.mediaId, file.sha256])).toEqual([
      [media[0].id, media[0].sha256],
      [media[1].id, media[1].sha256],
    ]);
    expect(originals[0].description).toContain('All four pairs in the box');
    const verify = spawnSync(process.execPath, ['verification/verify.mjs'], { cwd: unpacked, encoding: 'utf8' });
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
    await page.getByLabel('Language of the report').selectOption('en');

    // A share link: made, opened by a recipient with no account, revoked after a confirmation.
    await page.getByLabel('Link lasts (hours)').fill('48');
    await page.getByRole('button', { name: 'Create a share link' }).click();
    const linkField = page.getByRole('textbox', { name: 'New share link' });
    await linkField.waitFor(wait);
    const shareUrl = await linkField.inputValue();
    expect(shareUrl.startsWith(`${server.url}/s/`)).toBe(true);
    await page.getByRole('button', { name: 'Copy the link' }).click();
    await page.getByText(/^(Copied\.|The browser did not allow copying)/).waitFor(wait);
    await page.getByText('Opened 0 times').waitFor(wait);
    await shootScreen(page, size, 'dispute');

    const recipient = await dash.newPage();
    const opened = await recipient.goto(shareUrl);
    expect(opened?.status()).toBe(200);
    expect(await recipient.textContent('body')).toContain('Sealed box with tape twice');
    await recipient.context().close();

    await page.getByRole('button', { name: /^Revoke the Link made/ }).click();
    const confirm = page.getByRole('dialog', { name: 'Revoke this link?' });
    await confirm.waitFor(wait);
    await confirm.getByRole('button', { name: 'Revoke the link' }).click();
    await page.getByText('Link revoked: it no longer opens.').waitFor(wait);
    // Focus on the confirmation in the link's own row, not fallen to the page's top.
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent ?? '')).toContain('Link revoked: it no longer opens.');
    expect((await fetch(shareUrl)).status).toBe(410);
    await page.getByText('Opened 1 time', { exact: true }).waitFor(wait);
    await page.getByText(/^Revoked /).waitFor(wait);

    // Won: saved, and the list counts it under Won.
    await page.getByRole('radio', { name: 'Won' }).check();
    await page.getByLabel('Note', { exact: true }).fill('Marketplace sided with us on the packing video.');
    await page.getByRole('button', { name: 'Save the outcome' }).click();
    await page.getByText('Saved: Won.').waitFor(wait);
    await page.getByRole('heading', { level: 1 }).getByText('Won').waitFor(wait);

    await page.getByRole('link', { name: 'All disputes' }).click();
    await page.getByRole('navigation', { name: 'Disputes by status' }).getByRole('link', { name: 'Won' }).click();
    await page.getByRole('link', { name: `Order ${ORDER_ID} · Item missing` }).waitFor(wait);
    expect(await page.getByRole('status').first().textContent()).toContain('1 dispute');

    // Open ones, soonest deadline first: an overdue one loud at the top, then one due tomorrow.
    const openDispute = (respondBy: string, reason: string) =>
      server.request('POST', '/api/v1/disputes', { token: shop.ownerToken, json: { orderId: ORDER_ID, reason, counterparty: 'courier', respondBy } });
    expect((await openDispute(new Date(Date.now() + 30 * 3_600_000).toISOString(), 'damaged')).status).toBe(201);
    expect((await openDispute(new Date(Date.now() - 5 * 3_600_000).toISOString(), 'not_received')).status).toBe(201);
    await page.getByRole('navigation', { name: 'Disputes by status' }).getByRole('link', { name: 'Open' }).click();
    const items = page.locator('.dispute-item');
    await expect.poll(() => items.count(), wait).toBe(2);
    expect(await items.nth(0).textContent()).toContain('Not received');
    expect(await items.nth(0).textContent()).toMatch(/Overdue: was due 5 hours ago/);
    expect(await items.nth(1).textContent()).toMatch(/due in (29|30) hours/);
    await shootScreen(page, size, 'disputes');

    // A courier's dispute: the claim's filing deadline and the photos couriers ask for, and its packet.
    await page.getByRole('link', { name: `Order ${ORDER_ID} · Not received` }).click();
    await page.getByRole('heading', { name: 'Courier claim', exact: true }).waitFor(wait);
    await page.getByText('Loss claim').waitFor(wait);
    await expect.poll(() => page.getByRole('list', { name: 'Photos couriers ask for' }).getByRole('listitem').count(), wait).toBeGreaterThan(0);
    expect(await page.getByRole('link', { name: 'Download the claim packet (ZIP)' }).getAttribute('href')).toMatch(/\/claim-packet\.zip\?lang=en$/);
    await shootScreen(page, size, 'dispute-courier');

    // A damage claim counts from delivery: unknown until the delivery date is recorded on the order page.
    await page.getByRole('link', { name: 'All disputes' }).click();
    await page.getByRole('link', { name: `Order ${ORDER_ID} · Arrived damaged` }).click();
    await page.getByRole('heading', { name: 'Courier claim', exact: true }).waitFor(wait);
    await page.getByText('Cannot be worked out yet').waitFor(wait);
    await page.getByRole('link', { name: 'Record the delivery date on the order page' }).click();
    await page.getByRole('heading', { name: `Order ${ORDER_ID}`, level: 1 }).waitFor(wait);
    await page.getByLabel('Delivered on', { exact: true }).fill('2031-05-10T14:30');
    const saved = page.waitForResponse((response) => response.url().endsWith(`/api/v1/orders/${ORDER_ID}`) && response.request().method() === 'PUT');
    await page.getByRole('button', { name: 'Save the delivery date' }).click();
    // 14:30 in Seoul is 05:30 UTC.
    expect((await (await saved).json()).deliveredAt).toBe('2031-05-10T05:30:00.000Z');
    await page.getByText('Delivery date saved.').waitFor(wait);
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Save the delivery date');
    await page.goBack();
    await page.getByRole('heading', { name: 'Courier claim', exact: true }).waitFor(wait);
    // The claim's dates load after the heading: wait for them rather than for the old words to go.
    await expect.poll(() => page.getByRole('group', { name: 'Courier claim' }).textContent(), wait).toMatch(/Delivered on.*2031/);
    expect(await page.getByText('Cannot be worked out yet').count()).toBe(0);
  });
});
