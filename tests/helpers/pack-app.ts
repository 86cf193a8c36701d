// Drives the packer app (/pack) in headless Chromium against a real server: pairing, scanning,
// waiting for the outbox, reading what the page hashed, and screenshots for a person to look at.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { projectPath } from '../../server/paths';
import type { Shop, TestServer } from './server';

/** Where screenshots go (PACK_SHOTS_DIR, else test-artifacts/pack beside the dashboard's, kept after the run); printed once per run. */
export const shotsDir = process.env.PACK_SHOTS_DIR ?? projectPath('test-artifacts', 'pack');

export async function screenshot(page: Page, name: string, fullPage = false): Promise<string> {
  fs.mkdirSync(shotsDir, { recursive: true });
  const file = path.join(shotsDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage });
  return file;
}

export interface PagedFile {
  fileId: string;
  kind: 'video' | 'photo';
  type: string;
  bytes: number;
  sha256: string;
  mediaId: string;
  /** Courier photo tags (photos). */
  tags?: string[];
}

export interface HistoryEntry {
  captureId: string;
  orderId: string;
  kind: string;
  files: PagedFile[];
}

/** Opens the seller's pairing link (its origin is the configured PUBLIC_URL; the test server's is used). */
export async function pairPhone(page: Page, server: TestServer, shop: Shop, name = 'Station 2 phone') {
  const device = await shop.deviceToken(name);
  const link = new URL(device.pairingUrl);
  await page.goto(`${server.url}${link.pathname}${link.hash}`);
  await page.locator('#screen-scan').waitFor({ state: 'visible' });
  return device;
}

/** What a keyboard-wedge scanner does: digits a few ms apart, then Enter, wherever the focus is. */
export async function scanWithUsbScanner(page: Page, code: string): Promise<void> {
  await page.keyboard.type(code, { delay: 8 });
  await page.keyboard.press('Enter');
}

/** Taps Done and waits until the capture is handed to the outbox (the home screen is back). */
export async function tapDone(page: Page): Promise<void> {
  await page.click('#done-button');
  await page.locator('#screen-scan').waitFor({ state: 'visible' });
}

/** No capture open, nothing left in the outbox, and the chip says so. */
export async function waitForAllSafe(page: Page, timeout = 60_000): Promise<void> {
  await page.waitForFunction(
    () => {
      const app = (globalThis as unknown as { __packtrail?: { current(): unknown; summary(): { pending: number } } }).__packtrail;
      return app && app.current() === null && app.summary().pending === 0;
    },
    undefined,
    { timeout, polling: 200 },
  );
  await page.locator('#outbox-chip[data-state="safe"]').waitFor({ timeout: 5000 });
}

export const pageHistory = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as { __packtrail: { history(): unknown } }).__packtrail.history()) as Promise<HistoryEntry[]>;

export const pageSummary = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as { __packtrail: { summary(): unknown } }).__packtrail.summary()) as Promise<{
    state: string;
    pending: number;
    failed: number;
    bytesLeft: number;
  }>;

/** The open capture's files as the outbox holds them (bytes stored, bytes the server has). */
export const pageCurrentFiles = (page: Page) =>
  page.evaluate(() => {
    const app = (globalThis as unknown as { __packtrail: { current(): { localId: string } | null; pending(): { capture: { localId: string }; files: unknown[] }[] } }).__packtrail;
    const current = app.current();
    return (app.pending().find((entry) => entry.capture.localId === current?.localId)?.files ?? []) as { kind: string; bytes: number; offset: number; complete: boolean }[];
  });

export async function sha256OfOriginal(server: TestServer, token: string, mediaId: string): Promise<string> {
  const response = await server.request('GET', `/api/v1/media/${mediaId}/original`, { token });
  if (response.status !== 200) throw new Error(`original ${mediaId}: ${response.status}`);
  return createHash('sha256').update(Buffer.from(await response.arrayBuffer())).digest('hex');
}

export interface ServerCapture {
  id: string;
  kind: string;
  status: string;
  weightGrams?: number;
  weight?: { value: number; unit: string };
  checklist?: { item: string; result: string; mediaIds?: string[] }[];
  outcome?: string;
  media: { id: string; type: string; sha256: string; bytes: number; mime: string }[];
}

export async function serverOrder(server: TestServer, token: string, orderId: string): Promise<{ captures: ServerCapture[] }> {
  const response = await server.request('GET', `/api/v1/orders/${encodeURIComponent(orderId)}`, { token });
  if (response.status !== 200) throw new Error(`order ${orderId}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** Answers the app's question (a code it does not know, going on without the server, a weight far off); returns its text. */
export async function answerQuestion(page: Page, yes: boolean): Promise<string> {
  const panel = page.locator('#ask');
  await panel.waitFor({ state: 'visible' });
  const text = (await page.locator('#ask-text').textContent()) ?? '';
  await page.click(yes ? '#ask-yes' : '#ask-no');
  await panel.waitFor({ state: 'hidden' });
  return text;
}

/** Types an order ID the server does not know and, asked, starts it as a new order. */
export async function startNewOrder(page: Page, orderId: string): Promise<void> {
  await page.fill('#order-input', orderId);
  await page.press('#order-input', 'Enter');
  await answerQuestion(page, true);
  await page.locator('#capture-order').filter({ hasText: orderId }).waitFor();
}
