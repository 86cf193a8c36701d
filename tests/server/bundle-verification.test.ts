// A real exported bundle and claim packet checked as a stranger would: the bundle's own verify.mjs
// and verify.html pass it whole, show the capture facts as verified, and name any edited document.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
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

describe('whose key a bundle names, and where it says the shop publishes it', () => {
  const servers: TestServer[] = [];
  const made: { server: TestServer; seller: string; route: string }[] = [];
  let browser: Browser;

  /** A shop with one packing photo in a dispute; returns the dispute's bundle route and a seller's token. */
  async function shopWithDispute(env: Record<string, string> = {}): Promise<{ server: TestServer; seller: string; route: string }> {
    const server = await startServer(env);
    servers.push(server);
    const shop = await setUpShop(server);
    const seller = await shop.token('seller');
    const packer = (await shop.deviceToken('Station 1 phone')).token;
    await server.request('PUT', '/api/v1/orders/KEY-1', { token: seller, json: { items: [{ sku: 'MUG', name: 'Mug', quantity: 1, unitWeightGrams: 380 }] } });
    const capture = await (await server.request('POST', '/api/v1/captures', { token: packer, json: { orderId: 'KEY-1', kind: 'packing' } })).json();
    const photo = (await (await uploadFiles(server, packer, capture.id, [{ name: 'inside.jpg', bytes: read('photo.png') }])).json()).media[0];
    await server.request('POST', `/api/v1/captures/${capture.id}/finish`, { token: packer });
    const dispute = await (await server.request('POST', '/api/v1/disputes', { token: seller, json: { orderId: 'KEY-1', reason: 'damaged', counterparty: 'buyer' } })).json();
    await server.request('POST', `/api/v1/disputes/${dispute.id}/evidence`, { token: seller, json: { mediaId: photo.id } });
    made.push({ server, seller, route: `/api/v1/disputes/${dispute.id}/bundle.zip?lang=en` });
    return made[made.length - 1];
  }

  /** Downloads and unzips a bundle, sending `host` as the Host header (fetch cannot set it). */
  async function download(server: TestServer, route: string, token: string, host?: string): Promise<string> {
    const url = new URL(server.url);
    const zip = await new Promise<Buffer>((resolve, reject) => {
      const request = http.get(
        { hostname: url.hostname, port: url.port, path: route, headers: { authorization: `Bearer ${token}`, ...(host ? { host } : {}) } },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => (response.statusCode === 200 ? resolve(Buffer.concat(chunks)) : reject(new Error(`HTTP ${response.statusCode}: ${Buffer.concat(chunks)}`))));
        },
      );
      request.on('error', reject);
    });
    const dir = tempDir('packtrail-key-');
    fs.writeFileSync(path.join(dir, 'bundle.zip'), zip);
    execFileSync('unzip', ['-q', path.join(dir, 'bundle.zip'), '-d', path.join(dir, 'bundle')]);
    return path.join(dir, 'bundle');
  }

  const keyOf = async (server: TestServer) => (await (await fetch(`${server.url}/api/v1/ledger/key`)).text()).trim();
  const fingerprintOf = (key: string) => key.split('+').slice(2).join('+');
  const statementOf = (dir: string) => fs.readFileSync(path.join(dir, 'verification/export-statement.txt'), 'utf8');
  const lastLines = (dir: string) => {
    const run = runVerifyScript(dir);
    expect(run.status, run.output).toBe(0);
    return run.output.trim().split('\n').slice(-3);
  };

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all(servers.map((server) => server.close()));
  });

  it('names PUBLIC_URL in the signed statement, the README, the report and the result line', async () => {
    const { server, seller, route } = await shopWithDispute({ PUBLIC_URL: 'https://evidence.acme.example' });
    const dir = await download(server, route, seller);
    const key = await keyOf(server);
    const address = 'https://evidence.acme.example/api/v1/ledger/key';
    expect(statementOf(dir)).toContain(`\nkey ${key}\nkey-published ${address}\n`);
    expect(fs.readFileSync(path.join(dir, 'verification/README.txt'), 'utf8')).toContain(`The shop publishes its key at ${address}`);
    const report = execFileSync('pdftotext', [path.join(dir, 'report.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(report).toContain(`The shop publishes its key at ${address}`);
    expect(lastLines(dir)).toEqual([
      `RESULT: every file verified against log key ${fingerprintOf(key)} ("evidence.acme.example/packtrail").`,
      'This proves the files are unchanged since that log recorded them.',
      `Confirm the key is the shop's own: compare it with ${address}`,
    ]);

    const page = await (await browser.newContext({ locale: 'en-US' })).newPage();
    await page.goto(pathToFileURL(path.join(dir, 'verification', 'verify.html')).href);
    await page.setInputFiles('#pick-folder', dir);
    await page.waitForSelector('#summary[data-summary="verified"]');
    expect(await page.textContent('#result-key-line')).toContain(fingerprintOf(key));
    expect(await page.textContent('#result-key-confirm')).toBe(`Confirm the key is the shop's own: compare it with ${address}`);
    await page.context().close();
  });

  it('without PUBLIC_URL, names the address the export was requested on, or says plainly that it cannot', async () => {
    const first = await shopWithDispute();
    const fromLan = await download(first.server, first.route, first.seller, 'shop.lan:8080');
    expect(statementOf(fromLan)).toContain('\nkey-published http://shop.lan:8080/api/v1/ledger/key\n');
    expect(lastLines(fromLan)[2]).toBe("Confirm the key is the shop's own: compare it with http://shop.lan:8080/api/v1/ledger/key");

    const fromLoopback = await download(first.server, first.route, first.seller);
    expect(statementOf(fromLoopback)).not.toContain('key-published');
    expect(lastLines(fromLoopback)[2]).toBe(
      "Confirm the key is the shop's own: this bundle does not say where the shop publishes its key; ask the shop for it.",
    );
    const report = execFileSync('pdftotext', [path.join(fromLoopback, 'report.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(report).toContain('This bundle does not say where the shop publishes its key: ask the shop for it');

    // A second installation under the same shop name: its log has the same name, but not the same key.
    const second = await shopWithDispute();
    const other = await download(second.server, second.route, second.seller);
    const [firstKey, secondKey] = [await keyOf(first.server), await keyOf(second.server)];
    expect(firstKey.split('+')[0]).toBe(secondKey.split('+')[0]);
    expect(fingerprintOf(firstKey)).not.toBe(fingerprintOf(secondKey));
    expect(lastLines(fromLoopback)[0]).toContain(fingerprintOf(firstKey));
    expect(lastLines(other)[0]).toContain(fingerprintOf(secondKey));
    expect(lastLines(other)[0]).not.toContain(fingerprintOf(firstKey));
  });

  it('lists the documents as NOT CHECKED in verify.mjs and verify.html when the export statement is deleted', async () => {
    const { server, seller, route } = made[0] ?? (await shopWithDispute());
    const dir = await download(server, route, seller);
    fs.rmSync(path.join(dir, 'verification/export-statement.txt'));
    const run = runVerifyScript(dir);
    expect(run.status).toBe(1);
    for (const document of ['README.txt', 'report.pdf', 'manifest.json', 'verification/verify.html']) {
      expect(run.output).toContain(`NOT CHECKED – no signed export statement: ${document}\n`);
    }
    expect(run.output).not.toMatch(/^verified  packing capture/m);
    expect(run.output).toMatch(/^log only  packing capture/m);

    const page = await (await browser.newContext({ locale: 'en-US' })).newPage();
    await page.goto(pathToFileURL(path.join(dir, 'verification', 'verify.html')).href);
    await page.setInputFiles('#pick-folder', dir);
    await page.waitForSelector('#summary[data-summary="failed"]');
    for (const document of ['README.txt', 'report.pdf', 'manifest.json']) {
      expect(await page.getAttribute(`#documents tr[data-path="${document}"]`, 'data-status')).toBe('not-checked');
    }
    expect(await page.innerText('main')).not.toContain('Choose the bundle folder to check');
    await page.context().close();
  });
});
