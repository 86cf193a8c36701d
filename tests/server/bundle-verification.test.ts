// A real exported bundle and claim packet checked as a stranger would: the bundle's own verify.mjs
// and verify.html pass it whole, show the capture facts as verified, and name any edited document.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser';
import { fixture, setUpShop, startServer, tempDir, uploadFiles, type TestServer } from '../helpers/server';

const read = (name: string) => new Uint8Array(fs.readFileSync(fixture(name)));

function runVerifyScript(dir: string): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, ['verification/verify.mjs'], { cwd: dir, encoding: 'utf8' });
  return { status: result.status, output: result.stdout + result.stderr };
}

function flipMiddleByte(file: string): void {
  const bytes = fs.readFileSync(file);
  bytes[Math.floor(bytes.length / 2)] ^= 0x01;
  fs.writeFileSync(file, bytes);
}

describe('an exported bundle verified whole', () => {
  let server: TestServer;
  let seller: string;
  let browser: Browser;
  let bundleDir: string;
  let packetDir: string;
  const ids: Record<string, string> = {};
  const leaf: Record<string, number> = {};

  async function download(route: string, name: string): Promise<string> {
    const response = await server.request('GET', route, { token: seller });
    expect(response.status).toBe(200);
    const dir = tempDir(`packtrail-${name}-`);
    const zip = path.join(dir, `${name}.zip`);
    fs.writeFileSync(zip, Buffer.from(await response.arrayBuffer()));
    const unzipped = path.join(dir, name);
    execFileSync('unzip', ['-q', zip, '-d', unzipped]);
    return unzipped;
  }

  function copyOf(dir: string, name: string): string {
    const copy = path.join(path.dirname(dir), name);
    fs.cpSync(dir, copy, { recursive: true });
    return copy;
  }

  beforeAll(async () => {
    browser = await launchBrowser();
    server = await startServer();
    const shop = await setUpShop(server, 'Asia/Seoul');
    seller = await shop.token('seller');
    const packer = (await shop.deviceToken('Station 1 phone')).token;
    await server.request('PUT', '/api/v1/orders/MUG-0007', {
      token: seller,
      json: { items: [{ sku: 'MUG', name: 'Mug', quantity: 2, unitWeightGrams: 380 }], carrier: 'CJ Logistics', trackingNumbers: ['600000000007'] },
    });

    // A capture finished before facts were logged: made and finished, then its log entry never existed.
    const old = await (await server.request('POST', '/api/v1/captures', { token: packer, json: { orderId: 'MUG-0007', kind: 'other' } })).json();
    ids.old = old.id;
    const db = new Database(path.join(server.dataDir, 'packtrail.sqlite'));
    db.prepare('UPDATE captures SET finished_at = started_at WHERE id = ?').run(old.id);
    db.close();

    const packing = await (await server.request('POST', '/api/v1/captures', {
      token: packer, json: { orderId: 'MUG-0007', kind: 'packing', weight: { value: 0.79, unit: 'kg' }, station: 'Station 1' },
    })).json();
    ids.packing = packing.id;
    const photos = (await (await uploadFiles(server, packer, packing.id, [{ name: 'inside.jpg', bytes: read('photo-orientation6-gps.jpg') }])).json()).media;
    await server.request('POST', `/api/v1/captures/${packing.id}/finish`, { token: packer });

    const unboxing = await (await server.request('POST', '/api/v1/captures', {
      token: packer,
      json: { orderId: 'MUG-0007', kind: 'unboxing', checklist: [{ item: 'outer_box', result: 'issue', note: 'Crushed corner' }], outcome: 'damaged' },
    })).json();
    ids.unboxing = unboxing.id;
    await uploadFiles(server, packer, unboxing.id, [{ name: 'return.png', bytes: read('photo.png') }]);
    await server.request('POST', `/api/v1/captures/${unboxing.id}/finish`, { token: packer });
    for (const id of [packing.id, unboxing.id]) {
      leaf[id] = (await (await server.request('GET', `/api/v1/captures/${id}/proof`, { token: seller })).json()).leafIndex;
    }

    const dispute = await (await server.request('POST', '/api/v1/disputes', {
      token: seller, json: { orderId: 'MUG-0007', reason: 'damaged', counterparty: 'courier', damageDescription: 'One mug broken' },
    })).json();
    await server.request('POST', `/api/v1/disputes/${dispute.id}/evidence`, { token: seller, json: { mediaId: photos[0].id, caption: 'Packed' } });
    bundleDir = await download(`/api/v1/disputes/${dispute.id}/bundle.zip?lang=en`, 'bundle');
    packetDir = await download(`/api/v1/disputes/${dispute.id}/claim-packet.zip?lang=en`, 'packet');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('passes verify.mjs, showing the capture facts as verified and the capture finished before facts were logged as not in the log', () => {
    const { status, output } = runVerifyScript(bundleDir);
    expect(status, output).toBe(0);
    expect(output).toContain(`verified  packing capture ${ids.packing}, order MUG-0007, log entry ${leaf[ids.packing]}`);
    expect(output).toContain('          weight 790 g (entered as 0.79 kg); expected then 760 g');
    expect(output).toContain(`verified  unboxing capture ${ids.unboxing}, order MUG-0007, log entry ${leaf[ids.unboxing]}`);
    expect(output).toContain('          checklist: "outer_box" issue ("Crushed corner")');
    expect(output).toContain(`not in the log  other capture ${ids.old}: finished before capture facts were recorded in the log`);
    expect(output).toMatch(/verified {2}report\.pdf {2}\(report\)/);
    expect(output).toMatch(/verified {2}manifest\.json {2}\(manifest\)/);
    const manifest = JSON.parse(fs.readFileSync(path.join(bundleDir, 'manifest.json'), 'utf8'));
    expect(manifest.files.map((file: { path: string }) => file.path)).toContain('verification/capture-facts.json');
  });

  it('says in the report which capture facts are verified in the log, with the entry, and which are not', () => {
    const text = execFileSync('pdftotext', ['-layout', path.join(bundleDir, 'report.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toContain('Capture facts in the evidence log');
    expect(text).toContain(`Verified in the log: entry ${leaf[ids.packing]}`);
    expect(text).toContain(`Verified in the log: entry ${leaf[ids.unboxing]}`);
    // The cell wraps beside the capture's time: its two lines are read apart.
    expect(text).toContain('Not in the log: finished before');
    expect(text).toContain('capture facts were recorded');
    expect(text).toContain('verification/export-statement.txt');
  });

  it('names an edited report.pdf and an edited manifest.json in verify.mjs', () => {
    const report = copyOf(bundleDir, 'edited-report');
    flipMiddleByte(path.join(report, 'report.pdf'));
    const reportRun = runVerifyScript(report);
    expect(reportRun.status).toBe(1);
    expect(reportRun.output).toMatch(/FAILED {4}report\.pdf {2}\(report\)\n {10}- document: report\.pdf was changed after export/);

    const manifest = copyOf(bundleDir, 'edited-manifest');
    const file = path.join(manifest, 'manifest.json');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"reason": "damaged"', '"reason": "not_received"'));
    const manifestRun = runVerifyScript(manifest);
    expect(manifestRun.status).toBe(1);
    expect(manifestRun.output).toMatch(/- document: manifest\.json was changed after export/);
    expect(manifestRun.output).not.toMatch(/report\.pdf was changed/);
  });

  it('names an edited claim letter in a claim packet, in verify.mjs and in verify.html', async () => {
    expect(runVerifyScript(packetDir).status).toBe(0);
    const edited = copyOf(packetDir, 'edited-letter');
    flipMiddleByte(path.join(edited, 'claim-letter.pdf'));
    const run = runVerifyScript(edited);
    expect(run.status).toBe(1);
    expect(run.output).toMatch(/- document: claim-letter\.pdf was changed after export/);

    const page = await (await browser.newContext({ locale: 'en-US' })).newPage();
    await page.goto(pathToFileURL(path.join(edited, 'verification', 'verify.html')).href);
    await page.setInputFiles('#pick-folder', edited);
    await page.waitForSelector('#summary[data-summary="failed"]');
    expect(await page.getAttribute('#documents tr[data-path="claim-letter.pdf"]', 'data-status')).toBe('failed');
    expect(await page.textContent('#documents tr[data-path="claim-letter.pdf"] li')).toBe(
      'document: claim-letter.pdf was changed after export: its SHA-256 is not the one the signed export statement lists.',
    );
    await page.context().close();
  });

  it('passes verify.html opened from disk, with the capture facts shown as verified', async () => {
    const page = await (await browser.newContext({ locale: 'en-US' })).newPage();
    await page.goto(pathToFileURL(path.join(bundleDir, 'verification', 'verify.html')).href);
    await page.setInputFiles('#pick-folder', bundleDir);
    await page.waitForSelector('#summary[data-summary="verified"]');
    expect(await page.getAttribute(`.capture[data-capture="${ids.packing}"]`, 'data-status')).toBe('verified');
    expect(await page.textContent(`.capture[data-capture="${ids.packing}"] dd[data-fact="factWeight"]`)).toBe('790 g (entered as 0.79 kg)');
    expect(await page.textContent(`.capture[data-capture="${ids.packing}"] dd[data-fact="factExpected"]`)).toBe('760 g');
    expect(await page.textContent(`.capture[data-capture="${ids.unboxing}"] dd[data-fact="factChecklist"]`)).toBe('outer_box: issue (“Crushed corner”)');
    expect(await page.getAttribute(`.capture[data-capture="${ids.old}"]`, 'data-status')).toBe('not-in-log');
    expect(await page.getAttribute('#documents tr[data-path="report.pdf"]', 'data-status')).toBe('verified');
    await page.context().close();
  });
});
