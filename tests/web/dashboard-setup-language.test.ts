// A shop set up in Korean writes its reports in Korean: the language the owner set the shop up in is
// the report language (bundles, claim letters), not English by default; set up in English, it stays English.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardSizes, openDashboardBrowser, wait, type DashboardBrowser } from '../helpers/dashboard';
import { startServer, type TestServer } from '../helpers/server';

const OWNER = { email: 'owner@seoul-socks.example', password: 'correct horse battery staple 42' };

describe('setting a shop up in the dashboard’s language', () => {
  let browser: DashboardBrowser;
  beforeAll(async () => {
    browser = await openDashboardBrowser(dashboardSizes[0]);
  });
  afterAll(() => browser.close());

  async function setUp(language: 'ko' | 'en'): Promise<{ server: TestServer; reportLanguage: string }> {
    const server = await startServer();
    const page = await browser.newPage();
    try {
      await page.addInitScript((chosen) => localStorage.setItem('packtrail.dashboard.language', chosen), language);
      await page.goto(`${server.url}/`);
      await page.getByRole('heading', { name: language === 'ko' ? '상점 설정' : 'Set up your shop' }).waitFor(wait);
      await page.locator('input[name="shopName"]').fill('서울 양말');
      await page.locator('input[name="email"]').fill(OWNER.email);
      await page.locator('input[name="password"]').fill(OWNER.password);
      await page.getByRole('button', { name: language === 'ko' ? '상점 만들기' : 'Create the shop' }).click();
      await page.getByRole('heading', { level: 1, name: language === 'ko' ? '오늘' : 'Today' }).waitFor(wait);
      const session = await server.request('POST', '/api/v1/sessions', { json: OWNER });
      const { token } = await session.json();
      const shop = await (await server.request('GET', '/api/v1/shop', { token })).json();
      return { server, reportLanguage: shop.reportLanguage };
    } finally {
      await page.context().close();
    }
  }

  it('writes reports in Korean for a shop set up in Korean, and in English for one set up in English', async () => {
    for (const language of ['ko', 'en'] as const) {
      const { server, reportLanguage } = await setUp(language);
      try {
        expect(reportLanguage, language).toBe(language);
      } finally {
        await server.close();
      }
    }
  }, 90_000);
});
