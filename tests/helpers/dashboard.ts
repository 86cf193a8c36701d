// The seller dashboard in real headless Chromium, for every dashboard browser test: a signed-in page at
// a desk (1366×900) or on a phone (390×844), screenshots of a screen in English and Korean for a person
// to look through, axe-core's accessibility check, and the no-sideways-scrolling check.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { projectPath } from '../../server/paths';
import { launchBrowser } from './browser';
import { setUpShop, tempDir, type Shop, type TestServer } from './server';

export const shotsDir = process.env.DASHBOARD_SHOTS_DIR ?? projectPath('test-artifacts', 'dashboard');
export const wait = { timeout: 15_000 };

export const dashboardSizes = [
  { name: 'desktop', viewport: { width: 1366, height: 900 }, phone: false },
  { name: 'phone', viewport: { width: 390, height: 844 }, phone: true },
] as const;
export type DashboardSize = (typeof dashboardSizes)[number];

/** The owner `setUpShop` creates, for signing in through the page. */
export const SHOP_OWNER = { email: 'owner@example.com', password: 'correct horse battery' };

/**
 * This machine has no Korean or Chinese system font, which every seller's computer has; the screenshots
 * would show boxes. Chromium finds fonts through fontconfig, so it is pointed at the Noto fonts the
 * reports already ship with, on top of the system's own configuration.
 */
export function withCjkFonts() {
  if (process.env.FONTCONFIG_FILE) return;
  const dirs = ['noto-sans-kr/400Regular', 'noto-sans-kr/700Bold', 'noto-sans-tc/400Regular', 'noto-sans-tc/700Bold']
    .map((dir) => projectPath('node_modules', '@expo-google-fonts', dir))
    .filter((dir) => fs.existsSync(dir));
  const file = path.join(tempDir('packtrail-fonts-'), 'fonts.conf');
  fs.writeFileSync(file, `<?xml version="1.0"?>\n<fontconfig>\n  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n${dirs.map((dir) => `  <dir>${dir}</dir>\n`).join('')}</fontconfig>\n`);
  process.env.FONTCONFIG_FILE = file;
}

export interface DashboardBrowser {
  browser: Browser;
  page: Page;
  /** A page in a fresh context of the same size (another person, or a recipient with no cookie). */
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/** Chromium with CJK fonts and one page of the given size, in English, in the shop's time zone. */
export async function openDashboardBrowser(size: DashboardSize): Promise<DashboardBrowser> {
  withCjkFonts();
  const browser = await launchBrowser();
  const newPage = async () => {
    const context = await browser.newContext({
      viewport: size.viewport,
      isMobile: size.phone,
      hasTouch: size.phone,
      locale: 'en-US',
      timezoneId: 'Asia/Seoul',
    });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (error) => console.error('page error:', error.message));
    return page;
  };
  return { browser, page: await newPage(), newPage, close: () => browser.close() };
}

/** A shop set up through the API and its owner signed in on the page, which then shows Today. */
export async function signedInOwner(server: TestServer, page: Page): Promise<Shop> {
  const shop = await setUpShop(server);
  await page.goto(`${server.url}/`);
  await page.getByLabel('Email').fill(SHOP_OWNER.email);
  await page.getByLabel('Password').fill(SHOP_OWNER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation').waitFor(wait);
  return shop;
}

/**
 * Nothing wider than the screen. Measured against the viewport set for the test, not `innerWidth`: a
 * phone browser given content wider than the screen zooms out and widens its layout viewport to fit,
 * so `innerWidth` grows with the overflow and a comparison with it always passes.
 */
export async function expectNoSidewaysScroll(page: Page) {
  const screenWidth = page.viewportSize()!.width;
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.scrollingElement!.scrollWidth, innerWidth: window.innerWidth }));
  expect(innerWidth, 'page widened itself past the screen').toBe(screenWidth);
  expect(scrollWidth, 'page scrolls sideways').toBeLessThanOrEqual(screenWidth);
}

const axeSource = () => fs.readFileSync(projectPath('node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/** axe-core's WCAG 2.1 A/AA rules on the page as it is; serious and critical violations fail the test. */
export async function expectAccessible(page: Page, label: string) {
  // Evaluated through the DevTools protocol rather than a <script> tag, which the page's strict CSP refuses.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource());
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((violation) => ({ id: violation.id, impact: violation.impact, help: violation.help, targets: violation.nodes.map((node) => node.target.join(' ')) }));
  });
  const serious = violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  expect(serious, `axe on ${label}`).toEqual([]);
}

/**
 * The screen as it is, in English and in Korean (then back to English): each language is checked by
 * axe, checked for sideways scrolling and written to `<shotsDir>/<size>-<screen>-<lang>.png`.
 */
export async function shootScreen(page: Page, size: DashboardSize, screen: string, { accessible = true } = {}) {
  fs.mkdirSync(shotsDir, { recursive: true });
  const language = page.locator('header select');
  for (const code of ['en', 'ko']) {
    await language.selectOption(code);
    await expect.poll(() => page.evaluate(() => document.documentElement.lang), wait).toBe(code);
    await expectNoSidewaysScroll(page);
    if (accessible) await expectAccessible(page, `${size.name} ${screen} (${code})`);
    // A whole tall page (a dispute with its packets runs to several screens) can take a while to
    // capture while other test files encode video on the same cores: the shot may take a minute.
    await page.screenshot({ path: path.join(shotsDir, `${size.name}-${screen}-${code}.png`), fullPage: true, timeout: 60_000 });
  }
  await language.selectOption('en');
  await expect.poll(() => page.evaluate(() => document.documentElement.lang), wait).toBe('en');
}
