// Today, the dashboard's home page, in real Chromium at a desk and on a phone: a shop with disputes,
// captures, a weight warning and a flagged buyer made through the API shows each with its countdown,
// the overdue one loud, and both charts by their accessible names; a new shop's Today says what to
// do first. Screens are written in English and Korean to test-artifacts/dashboard/.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardSizes, openDashboardBrowser, shootScreen, signedInOwner, wait, type DashboardBrowser } from '../helpers/dashboard';
import { startServer, type Shop, type TestServer } from '../helpers/server';

const NOW = new Date('2026-11-23T09:00:00Z'); // 18:00 in Seoul
const hoursFromNow = (hours: number) => new Date(NOW.getTime() + hours * 3_600_000).toISOString();

/** A shop's month: captures on several days (two either side of Seoul's midnight), disputes in every state. */
async function fillShop(server: TestServer, shop: Shop, setClock: (iso: string) => void) {
  const seller = await shop.token('seller');
  const packer = (await shop.deviceToken('Table 1 phone')).token;
  const call = async (method: string, route: string, json: unknown, token = seller) => {
    const response = await server.request(method, `/api/v1${route}`, { token, json });
    expect(response.status, `${method} ${route}: ${await response.clone().text()}`).toBeLessThan(300);
    return (await response.json()) as { id: string };
  };
  const capture = (when: string, json: Record<string, unknown>) => {
    setClock(when);
    return call('POST', '/captures', { kind: 'packing', ...json }, packer);
  };

  await call('PUT', '/orders/W-1', { items: [{ name: 'Napkins', quantity: 4, unitWeightGrams: 570 }] });
  await call('PUT', '/orders/F-1', { buyer: { ref: 'buyer-77', name: '박서준', flagged: true, flagReason: 'Claims missing items' } });
  const days = [0, 0, 0, 1, 1, 2, 4, 4, 4, 4, 7, 12, 20, 29];
  for (const [index, daysAgo] of days.entries()) {
    await capture(hoursFromNow(-24 * daysAgo - 1), { orderId: `P-${index}`, station: index % 3 === 0 ? 'Table 2' : 'Table 1' });
  }
  await capture(hoursFromNow(-2), { orderId: 'W-1', station: 'Table 1', weight: { value: 1710, unit: 'g' } });
  await capture(hoursFromNow(-3), { orderId: 'F-1', station: 'Table 2' });

  setClock(hoursFromNow(-24 * 10));
  const overdue = await call('POST', '/disputes', { orderId: 'P-1', reason: 'damaged', counterparty: 'courier', respondBy: hoursFromNow(-26), amount: { value: 45000, currency: 'KRW' } });
  const soon = await call('POST', '/disputes', { orderId: 'P-2', reason: 'item_missing', counterparty: 'marketplace', respondBy: hoursFromNow(5.5) });
  const later = await call('POST', '/disputes', { orderId: 'P-3', reason: 'not_received', counterparty: 'buyer', respondBy: hoursFromNow(3 * 24 + 5) });
  const won = await call('POST', '/disputes', { orderId: 'P-4', reason: 'chargeback', counterparty: 'payment_processor', amount: { value: 120, currency: 'USD' } });
  await call('PATCH', `/disputes/${won.id}`, { status: 'won' });
  const lost = await call('POST', '/disputes', { orderId: 'P-5', reason: 'return_used', counterparty: 'buyer', amount: { value: 30, currency: 'USD' } });
  await call('PATCH', `/disputes/${lost.id}`, { status: 'lost' });
  setClock(NOW.toISOString());
  await server.app.runJob('dispute-deadline-reminders');
  return { overdue: overdue.id, soon: soon.id, later: later.id };
}

const disputeRow = (page: Page, name: string) => page.locator('#today-disputes li').filter({ has: page.getByRole('link', { name }) });

describe.each(dashboardSizes)('Today on a $name', (size) => {
  let dashboard: DashboardBrowser;

  beforeAll(async () => {
    dashboard = await openDashboardBrowser(size);
  });
  afterAll(() => dashboard?.close());

  describe('a shop at work', () => {
    let server: TestServer;
    let now = NOW;
    beforeAll(async () => {
      server = await startServer({}, { clock: () => now });
    });
    afterAll(() => server?.close());

    it('shows deadlines counting down, the overdue one loud, and both charts by their names', async () => {
      const { page } = dashboard;
      const shop = await signedInOwner(server, page);
      const ids = await fillShop(server, shop, (iso) => {
        now = new Date(iso);
      });
      // The owner's own "Add evidence" at the desk: no phone, no station.
      const desk = await server.request('POST', '/api/v1/captures', { token: shop.ownerToken, json: { orderId: 'P-0', kind: 'other' } });
      expect(desk.status).toBe(201);
      await page.reload();
      await page.getByRole('heading', { name: 'Today', level: 1 }).waitFor(wait);
      await page.getByRole('heading', { name: 'Open disputes', level: 2 }).waitFor(wait);

      // Soonest deadline first: the overdue one, then 5½ hours, then 3 days.
      const links = page.locator('#today-disputes li a');
      await expect.poll(() => links.allTextContents()).toEqual(['Order P-1: Arrived damaged', 'Order P-2: Item missing', 'Order P-3: Not received']);
      expect(await links.first().getAttribute('href')).toBe(`/disputes/${ids.overdue}`);
      const overdue = disputeRow(page, 'Order P-1: Arrived damaged');
      expect(await overdue.textContent()).toMatch(/Overdue.*1 day late/);
      // Loud in more than colour: a badge with the word, and a different frame.
      expect(await overdue.getAttribute('class')).toContain('dispute-overdue');
      expect(await overdue.locator('.overdue-badge').textContent()).toContain('Overdue');
      expect(await disputeRow(page, 'Order P-2: Item missing').textContent()).toContain('Due in 5 hours');
      expect(await disputeRow(page, 'Order P-3: Not received').textContent()).toContain('3 days left');
      expect(await disputeRow(page, 'Order P-3: Not received').textContent()).not.toContain('Overdue');

      // Reminders from the deadline job, today's captures per station, the weight warning, the flagged buyer.
      const reminders = page.getByRole('region', { name: 'Reminders' });
      expect(await reminders.textContent()).toMatch(/Overdue:.*Order P-1/);
      expect(await reminders.textContent()).toMatch(/Due within 48 hours:.*Order P-2/);
      const captures = page.getByRole('region', { name: 'Today’s captures' });
      expect(await captures.textContent()).toContain('6 captures today');
      expect(await captures.getByRole('row', { name: /Table 1/ }).textContent()).toContain('3');
      // The desk upload is no station's work, and no "station not set" either.
      expect(await captures.getByRole('row', { name: /At the desk/ }).textContent()).toContain('1');
      expect(await captures.textContent()).not.toContain('No station set');
      expect(await page.title()).toBe('Today · 포장 상점 · Packtrail');
      const weights = page.getByRole('region', { name: 'Weight warnings' });
      expect(await weights.getByRole('link', { name: 'Order W-1' }).getAttribute('href')).toBe('/orders/W-1');
      expect(await weights.textContent()).toMatch(/Light.*1,710 g measured, 2,280 g expected \([−-]25%\)/);
      const flagged = page.getByRole('region', { name: 'Flagged buyers’ orders in progress' });
      expect(await flagged.getByRole('link', { name: 'Order F-1' }).getAttribute('href')).toBe('/orders/F-1');
      expect(await flagged.textContent()).toContain('Claims missing items');

      // The charts: figures named by their captions, pictures named by what they show, numbers as text.
      const perDay = page.getByRole('figure', { name: 'Captures per day' });
      const perDayImage = perDay.getByRole('img');
      expect(await perDayImage.getAttribute('aria-label')).toMatch(/^17 captures in 30 days; the busiest day was Nov 23 with 6\.$/);
      expect(await page.getByRole('img', { name: /17 captures in 30 days/ }).count()).toBe(1);
      expect(await perDay.locator('rect').count()).toBeGreaterThanOrEqual(7);
      const outcomes = page.getByRole('figure', { name: 'Disputes won and lost' });
      expect(await outcomes.getByRole('img').getAttribute('aria-label')).toBe('1 won, 1 lost. Recovered: $120.00.');
      expect(await outcomes.textContent()).toContain('$120.00');
      await perDay.getByText('Show the numbers').click();
      expect(await perDay.getByRole('row', { name: /Nov 23/ }).textContent()).toContain('6');

      await shootScreen(page, size, 'today');

      // The link opens the dispute's own address.
      await links.first().click();
      await expect.poll(() => new URL(page.url()).pathname).toBe(`/disputes/${ids.overdue}`);
    });
  });

  describe('a new shop', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startServer({}, { clock: () => NOW });
    });
    afterAll(() => server?.close());

    it('tells the seller what to do first', async () => {
      const page = await dashboard.newPage();
      await signedInOwner(server, page);
      const captures = page.getByRole('region', { name: 'Today’s captures' });
      await captures.getByText('No captures yet', { exact: false }).waitFor(wait);
      expect(await captures.getByRole('link', { name: 'Pair a packing phone' }).getAttribute('href')).toBe('/phones');
      expect(await page.getByRole('region', { name: 'Open disputes' }).textContent()).toContain('No open disputes.');
      expect(await page.getByRole('img', { name: 'No captures in the last 30 days.' }).count()).toBe(1);
      expect(await page.getByRole('figure', { name: 'Disputes won and lost' }).getByRole('img').getAttribute('aria-label')).toMatch(/^No dispute decided yet/);
      await shootScreen(page, size, 'today-empty');

      // A mistyped address: the page says so and leads home, and the tab says where the person is.
      await page.goto(`${server.url}/settings/reply-templates`);
      await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor(wait);
      await expect.poll(() => page.title()).toBe('Page not found · 포장 상점 · Packtrail');
      await shootScreen(page, size, 'not-found');
      await page.getByRole('link', { name: 'Go to Today' }).click();
      await page.getByRole('heading', { level: 1, name: 'Today' }).waitFor(wait);
      await expect.poll(() => page.title()).toBe('Today · 포장 상점 · Packtrail');
      await page.getByRole('navigation').getByRole('link', { name: 'Phones' }).click();
      await expect.poll(() => page.title()).toBe('Packing phones · 포장 상점 · Packtrail');
      await page.context().close();
    });
  });
});
