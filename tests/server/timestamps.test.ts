// Time that does not rest on the shop, against a real RFC 3161 authority made with `openssl ts`:
// checkpoints get tokens openssl accepts, bundles carry them, both offline verifiers report the
// attested time and refuse a token made for another checkpoint, and an authority that is down
// breaks nothing (a later checkpoint gets its token).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser';
import { fixture, setUpShop, startServer, tempDir, uploadFiles, type TestServer } from '../helpers/server';
import { createTsaAuthority, opensslVerifyToken, startTsaServer, type TsaAuthority, type TsaServer } from '../helpers/tsa';
import { waitFor } from '../helpers/wait';

const read = (name: string) => new Uint8Array(fs.readFileSync(fixture(name)));

interface TokenRow {
  checkpoint_size: number;
  token: Buffer;
  gen_time: string;
  tsa: string;
  note: string;
}

async function unzipResponse(response: Response): Promise<string> {
  expect(response.status).toBe(200);
  const dir = tempDir('packtrail-tsa-bundle-');
  const zip = path.join(dir, 'bundle.zip');
  fs.writeFileSync(zip, Buffer.from(await response.arrayBuffer()));
  execFileSync('unzip', ['-q', zip, '-d', path.join(dir, 'unzipped')]);
  return path.join(dir, 'unzipped');
}

function runVerify(bundleDir: string): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, ['verification/verify.mjs'], { cwd: bundleDir, encoding: 'utf8' });
  return { status: result.status, output: result.stdout + result.stderr };
}

const pdfText = (file: string) => execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');

describe('checkpoints time-stamped by an RFC 3161 authority (TSA_URL)', () => {
  let authority: TsaAuthority;
  let tsa: TsaServer;
  let server: TestServer;
  let db: Database.Database;
  let browser: Browser;
  let seller: string;
  let packer: string;
  let disputeId: string;
  let orderCounter = 0;

  const tokens = () =>
    db
      .prepare(
        `SELECT t.checkpoint_size, t.token, t.gen_time, t.tsa, c.note
         FROM ledger_timestamps t JOIN ledger_checkpoints c ON c.size = t.checkpoint_size ORDER BY t.checkpoint_size`,
      )
      .all() as TokenRow[];
  const latestCheckpointSize = () => db.prepare('SELECT MAX(size) FROM ledger_checkpoints').pluck().get() as number;

  /** A packing capture with one photo, finished: the ledger grows by one original. */
  async function packOrder(): Promise<{ captureId: string; orderId: string }> {
    const orderId = `TSA-${++orderCounter}`;
    const capture = await (await server.request('POST', '/api/v1/captures', { token: packer, json: { orderId, kind: 'packing' } })).json();
    const upload = await uploadFiles(server, packer, capture.id, [{ name: 'inside.png', bytes: read('photo.png') }]);
    expect(upload.status).toBe(201);
    const finish = await server.request('POST', `/api/v1/captures/${capture.id}/finish`, { token: packer });
    expect(finish.status).toBe(200);
    return { captureId: capture.id, orderId };
  }

  async function openDispute(orderId: string, captureId: string): Promise<string> {
    const dispute = await (await server.request('POST', '/api/v1/disputes', {
      token: seller,
      json: { orderId, reason: 'item_missing', counterparty: 'marketplace' },
    })).json();
    await server.request('POST', `/api/v1/disputes/${dispute.id}/evidence`, { token: seller, json: { captureId } });
    return dispute.id;
  }

  beforeAll(async () => {
    authority = createTsaAuthority();
    tsa = await startTsaServer(authority);
    [server, browser] = await Promise.all([startServer({ TSA_URL: tsa.url }), launchBrowser()]);
    db = new Database(path.join(server.dataDir, 'packtrail.sqlite'), { readonly: true });
    const shop = await setUpShop(server);
    seller = await shop.token('seller');
    packer = (await shop.deviceToken()).token;
    const packed = await packOrder();
    disputeId = await openDispute(packed.orderId, packed.captureId);
  });
  afterAll(async () => {
    db?.close();
    await browser?.close();
    await server?.close();
    await tsa?.close();
  });

  it('time-stamps a checkpoint as it is signed, over its exact bytes, and openssl ts -verify accepts the token', async () => {
    const note = await (await fetch(`${server.url}/api/v1/ledger/checkpoint`)).text();
    const size = Number(note.split('\n')[1]);
    await waitFor('the checkpoint’s time-stamp token', () => tokens().some((row) => row.checkpoint_size === size), 15_000);
    const row = tokens().find((candidate) => candidate.checkpoint_size === size)!;
    expect(row.note).toBe(note);
    expect(row.tsa).toBe('CN=Packtrail Test TSA, O=Packtrail Tests');

    const dir = tempDir('packtrail-tsa-openssl-');
    fs.writeFileSync(path.join(dir, 'checkpoint.txt'), row.note);
    fs.writeFileSync(path.join(dir, 'checkpoint.tsr'), row.token);
    expect(opensslVerifyToken(authority, path.join(dir, 'checkpoint.txt'), path.join(dir, 'checkpoint.tsr'))).toContain('Verification: OK');
    // The same token over one changed byte is refused by openssl too: it is bound to these bytes.
    fs.writeFileSync(path.join(dir, 'other.txt'), row.note.replace(/\n\d+\n/, (line) => `\n${Number(line.trim()) + 1}\n`));
    expect(() => opensslVerifyToken(authority, path.join(dir, 'other.txt'), path.join(dir, 'checkpoint.tsr'))).toThrow(/message imprint mismatch/);
  });

  it('puts the token and the authority’s certificates in the bundle, and verify.mjs reports the attested time', async () => {
    const dir = await unzipResponse(await server.request('GET', `/api/v1/disputes/${disputeId}/bundle.zip?lang=en`, { token: seller }));
    for (const name of ['checkpoint.tsr', 'tsa-certificates.pem', 'timestamp.mjs']) {
      expect(fs.existsSync(path.join(dir, 'verification', name)), name).toBe(true);
    }
    // The files a claims agent can check with OpenSSL alone, trusting only the authority's root.
    expect(opensslVerifyToken(authority, path.join(dir, 'verification/checkpoint.txt'), path.join(dir, 'verification/checkpoint.tsr'))).toContain('Verification: OK');
    const pem = fs.readFileSync(path.join(dir, 'verification/tsa-certificates.pem'), 'utf8');
    expect(pem.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);

    const row = tokens().find((candidate) => candidate.note === fs.readFileSync(path.join(dir, 'verification/checkpoint.txt'), 'utf8'))!;
    expect(row).toBeDefined();
    const fingerprint = execFileSync('openssl', ['x509', '-in', authority.tsaCertFile, '-noout', '-fingerprint', '-sha256'], { encoding: 'utf8' })
      .split('=')[1].trim().replace(/:/g, '').toLowerCase();

    const verify = runVerify(dir);
    expect(verify.status, verify.output).toBe(0);
    const attested = `${row.gen_time.slice(0, 10)} ${row.gen_time.slice(11, 19)} UTC`;
    expect(verify.output).toContain(`Time:        existed no later than ${attested}, attested by CN=Packtrail Test TSA, O=Packtrail Tests`);
    expect(verify.output).toContain(fingerprint);
    expect(verify.output).toContain('issued by CN=Packtrail Test Root CA, O=Packtrail Tests');
    expect(verify.output).toMatch(/ships no list of trusted authorities/);
    expect(verify.output).toContain('RESULT: every file verified');

    const readme = fs.readFileSync(path.join(dir, 'verification/README.txt'), 'utf8');
    expect(readme).toContain('openssl ts -verify -data verification/checkpoint.txt -in verification/checkpoint.tsr -token_in');
    const report = pdfText(path.join(dir, 'report.pdf'));
    expect(report).toContain('time-stamped (RFC 3161) by CN=Packtrail Test TSA, O=Packtrail Tests');
    expect(report).toContain(fingerprint);
    expect(report).not.toContain('Times rest on the shop’s own server');

    const npmVerify = spawnSync(path.resolve('node_modules/.bin/tsx'), ['scripts/verify.ts', dir], { encoding: 'utf8' });
    expect(npmVerify.status, npmVerify.stdout + npmVerify.stderr).toBe(0);
    expect(npmVerify.stdout).toContain(`existed no later than ${attested}`);
  });

  it('refuses, in verify.mjs, a token swapped in from another checkpoint', async () => {
    const dir = await unzipResponse(await server.request('GET', `/api/v1/disputes/${disputeId}/bundle.zip?lang=en`, { token: seller }));
    const own = fs.readFileSync(path.join(dir, 'verification/checkpoint.txt'), 'utf8');
    // Grow the log so another checkpoint is signed and stamped, then use its token instead.
    await packOrder();
    await server.app.runJob('ledger-checkpoint');
    const size = latestCheckpointSize();
    expect(tokens().map((row) => row.checkpoint_size)).toContain(size);
    const other = tokens().find((row) => row.note !== own)!;
    fs.writeFileSync(path.join(dir, 'verification/checkpoint.tsr'), other.token);

    const verify = runVerify(dir);
    expect(verify.status).toBe(1);
    expect(verify.output).toMatch(/Time: {8}FAILED: the time-stamp token is for other data/);
    expect(verify.output).toContain('RESULT: verification FAILED');
  });

  it('refuses, in verify.mjs, a bundle whose time-stamp token was deleted: the manifest names it missing', async () => {
    const dir = await unzipResponse(await server.request('GET', `/api/v1/disputes/${disputeId}/bundle.zip?lang=en`, { token: seller }));
    fs.rmSync(path.join(dir, 'verification/checkpoint.tsr'));
    const verify = runVerify(dir);
    expect(verify.status, verify.output).toBe(1);
    expect(verify.output).toMatch(/FAILED +verification\/checkpoint\.tsr/);
    expect(verify.output).toContain('verification/checkpoint.tsr is missing');
    expect(verify.output).toContain('RESULT: verification FAILED');
  });

  it('shows the attested time in verify.html opened from disk, and refuses a swapped token there too', async () => {
    const dir = await unzipResponse(await server.request('GET', `/api/v1/disputes/${disputeId}/bundle.zip?lang=en`, { token: seller }));
    const own = fs.readFileSync(path.join(dir, 'verification/checkpoint.txt'), 'utf8');
    const row = tokens().find((candidate) => candidate.note === own)!;
    const context = await browser.newContext({ locale: 'en-US' });
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      await page.goto(pathToFileURL(path.join(dir, 'verification', 'verify.html')).href);
      await page.waitForSelector('#log-time[data-status="attested"]', { timeout: 15_000 });
      const attested = `${row.gen_time.slice(0, 10)} ${row.gen_time.slice(11, 19)} UTC`;
      expect(await page.textContent('#log-time')).toBe(`✓ Existed no later than ${attested}, attested by CN=Packtrail Test TSA, O=Packtrail Tests`);
      expect(await page.textContent('#log-time-detail')).toMatch(/ships no list of trusted authorities/);
      await page.setInputFiles('#pick-folder', dir);
      await page.waitForSelector('#summary[data-summary="verified"]');
      expect(errors).toEqual([]);

      // The page's own embedded token replaced by one for another checkpoint.
      const other = tokens().find((candidate) => candidate.note !== own)!;
      const html = fs.readFileSync(path.join(dir, 'verification/verify.html'), 'utf8');
      const swapped = html.replace(row.token.toString('base64'), other.token.toString('base64'));
      expect(swapped).not.toBe(html);
      fs.writeFileSync(path.join(dir, 'verification/verify.html'), swapped);
      await page.goto(pathToFileURL(path.join(dir, 'verification', 'verify.html')).href);
      await page.waitForSelector('#log-time[data-status="failed"]', { timeout: 15_000 });
      expect(await page.textContent('#log-time')).toMatch(/^✗ The time-stamp does NOT check out: the time-stamp token is for other data/);
      // The chosen folder's files are what the page checks: its checkpoint.tsr swapped too is refused,
      // and the export statement names both edited files.
      fs.writeFileSync(path.join(dir, 'verification/checkpoint.tsr'), other.token);
      await page.setInputFiles('#pick-folder', dir);
      await page.waitForSelector('#summary[data-summary="failed"]');
      await page.waitForSelector('#log-time[data-status="failed"]');
      expect(await page.textContent('#log-time')).toMatch(/the time-stamp token is for other data/);
      for (const edited of ['verification/checkpoint.tsr', 'verification/verify.html']) {
        expect(await page.getAttribute(`#documents tr[data-path="${edited}"]`, 'data-status'), edited).toBe('failed');
      }
    } finally {
      await context.close();
    }
  });

  it('names, in verify.html opened from disk, an edited manifest.json and report.pdf of a real export', async () => {
    const dir = await unzipResponse(await server.request('GET', `/api/v1/disputes/${disputeId}/bundle.zip?lang=en`, { token: seller }));
    const manifestFile = path.join(dir, 'manifest.json');
    const manifest = fs.readFileSync(manifestFile, 'utf8');
    // A time moved back a day, as someone arguing about when the parcel was packed would.
    const edited = manifest.replace(/"(\d{4}-\d{2}-)(\d{2})T/, (_whole, month: string, day: string) => `"${month}${String(Number(day) === 1 ? 2 : Number(day) - 1).padStart(2, '0')}T`);
    expect(edited).not.toBe(manifest);
    fs.writeFileSync(manifestFile, edited);
    // One byte in the middle of the report.
    const reportFile = path.join(dir, 'report.pdf');
    const report = fs.readFileSync(reportFile);
    report[Math.floor(report.length / 2)] ^= 0x01;
    fs.writeFileSync(reportFile, report);

    const context = await browser.newContext({ locale: 'en-US' });
    try {
      const page = await context.newPage();
      await page.goto(pathToFileURL(path.join(dir, 'verification', 'verify.html')).href);
      await page.waitForSelector('#log-time[data-status="attested"]', { timeout: 15_000 });
      await page.setInputFiles('#pick-folder', dir);
      await page.waitForSelector('#summary[data-summary="failed"]', { timeout: 15_000 });
      for (const edited of ['manifest.json', 'report.pdf']) {
        expect(await page.getAttribute(`#documents tr[data-path="${edited}"]`, 'data-status'), edited).toBe('failed');
      }
      expect(await page.getAttribute('#documents tr[data-path="README.txt"]', 'data-status')).toBe('verified');
    } finally {
      await context.close();
    }
    // verify.mjs names both too.
    const verify = runVerify(dir);
    expect(verify.status).toBe(1);
    expect(verify.output).toMatch(/FAILED +manifest\.json/);
    expect(verify.output).toMatch(/FAILED +report\.pdf/);
  });

  it('passes verify.mjs and npm run verify with a time-stamp and capture facts, and names an edited weight in capture-facts.json', async () => {
    const capture = await (await server.request('POST', '/api/v1/captures', {
      token: packer, json: { orderId: `TSA-${++orderCounter}`, kind: 'packing', weight: { value: 0.79, unit: 'kg' } },
    })).json();
    expect((await uploadFiles(server, packer, capture.id, [{ name: 'inside.png', bytes: read('photo.png') }])).status).toBe(201);
    expect((await server.request('POST', `/api/v1/captures/${capture.id}/finish`, { token: packer })).status).toBe(200);
    const weighed = await openDispute(capture.orderId, capture.id);
    const dir = await unzipResponse(await server.request('GET', `/api/v1/disputes/${weighed}/bundle.zip?lang=en`, { token: seller }));
    expect(fs.existsSync(path.join(dir, 'verification/checkpoint.tsr'))).toBe(true);
    const row = tokens().find((candidate) => candidate.note === fs.readFileSync(path.join(dir, 'verification/checkpoint.txt'), 'utf8'))!;
    expect(row).toBeDefined();
    const attested = `Time:        existed no later than ${row.gen_time.slice(0, 10)} ${row.gen_time.slice(11, 19)} UTC, attested by CN=Packtrail Test TSA`;
    // The export statement signs the checkpoint the kit proved against, time-stamped.
    const statement = fs.readFileSync(path.join(dir, 'verification/export-statement.txt'), 'utf8');
    expect(statement).toContain(`${row.checkpoint_size}`);

    const npmVerify = (bundle: string) => {
      const result = spawnSync(path.resolve('node_modules/.bin/tsx'), ['scripts/verify.ts', bundle], { encoding: 'utf8' });
      return { status: result.status, output: result.stdout + result.stderr };
    };
    for (const { status, output } of [runVerify(dir), npmVerify(dir)]) {
      expect(status, output).toBe(0);
      expect(output).toContain(attested);
      expect(output).toMatch(/Export: {6}statement signed by the same key/);
      expect(output).toContain(`verified  packing capture ${capture.id}, order ${capture.orderId}`);
      expect(output).toContain('weight 790 g (entered as 0.79 kg)');
      expect(output).toContain('RESULT: every file verified');
    }

    const factsFile = path.join(dir, 'verification/capture-facts.json');
    const facts = fs.readFileSync(factsFile, 'utf8');
    expect(facts).toContain('weight-grams 790');
    fs.writeFileSync(factsFile, facts.replace('weight-grams 790', 'weight-grams 985'));
    for (const { status, output } of [runVerify(dir), npmVerify(dir)]) {
      expect(status, output).toBe(1);
      // The time still checks out; the edited fact is named all the same.
      expect(output).toContain(attested);
      expect(output).toMatch(/- capture facts: the weight[^\n]* was changed: the log recorded "790 g", this bundle says "985 g"/);
      expect(output).toMatch(/- document: verification\/capture-facts\.json was changed after export/);
      expect(output).toContain('RESULT: verification FAILED');
    }
  });

  it('keeps capturing, finishing and exporting while the authority is down, and stamps a later checkpoint once it is back', async () => {
    tsa.setDown(true);
    try {
      const granted = tsa.granted;
      const packed = await packOrder();
      const downDispute = await openDispute(packed.orderId, packed.captureId);
      const started = Date.now();
      const dir = await unzipResponse(await server.request('GET', `/api/v1/disputes/${downDispute}/bundle.zip?lang=en`, { token: seller }));
      // A refused request is answered at once: the export does not sit out the whole timeout.
      expect(Date.now() - started).toBeLessThan(8_000);
      expect(fs.existsSync(path.join(dir, 'verification/checkpoint.tsr'))).toBe(false);
      const verify = runVerify(dir);
      expect(verify.status, verify.output).toBe(0);
      expect(verify.output).toContain("Time:        NOT independently attested: every time in this bundle comes from the shop's own server clock");
      const report = pdfText(path.join(dir, 'report.pdf'));
      expect(report).toContain('Times rest on the shop’s own server');
      expect(tsa.granted).toBe(granted);
      const unstamped = latestCheckpointSize();
      expect(tokens().some((row) => row.checkpoint_size === unstamped)).toBe(false);

      // The first dispute's originals are all in an older, stamped checkpoint: its bundle keeps an attested time.
      const older = await unzipResponse(await server.request('GET', `/api/v1/disputes/${disputeId}/bundle.zip?lang=en`, { token: seller }));
      expect(runVerify(older).output).toMatch(/Time: {8}existed no later than .*, attested by CN=Packtrail Test TSA/);
    } finally {
      tsa.setDown(false);
    }

    // Back up: the scheduler's checkpoint run asks again for the newest checkpoint.
    await server.app.runJob('ledger-checkpoint');
    const size = latestCheckpointSize();
    expect(tokens().some((row) => row.checkpoint_size === size)).toBe(true);
  });

  it('falls back to an older time-stamped checkpoint only when it holds the capture facts too', async () => {
    const orderId = `TSA-${++orderCounter}`;
    const capture = await (await server.request('POST', '/api/v1/captures', { token: packer, json: { orderId, kind: 'packing' } })).json();
    expect((await uploadFiles(server, packer, capture.id, [{ name: 'inside.png', bytes: read('photo.png') }])).status).toBe(201);
    // The photo is in a stamped checkpoint; the facts, logged when the capture finishes, are not.
    const note = await (await fetch(`${server.url}/api/v1/ledger/checkpoint`)).text();
    const stampedSize = Number(note.split('\n')[1]);
    await waitFor('the checkpoint’s time-stamp token', () => tokens().some((row) => row.checkpoint_size === stampedSize), 15_000);
    tsa.setDown(true);
    try {
      expect((await server.request('POST', `/api/v1/captures/${capture.id}/finish`, { token: packer })).status).toBe(200);
      const dir = await unzipResponse(await server.request('GET', `/api/v1/disputes/${await openDispute(orderId, capture.id)}/bundle.zip?lang=en`, { token: seller }));
      expect(fs.existsSync(path.join(dir, 'verification/checkpoint.tsr'))).toBe(false);
      const size = Number(fs.readFileSync(path.join(dir, 'verification/checkpoint.txt'), 'utf8').split('\n')[1]);
      expect(size).toBeGreaterThan(stampedSize);
      const verify = runVerify(dir);
      expect(verify.status, verify.output).toBe(0);
      expect(verify.output).toContain(`verified  packing capture ${capture.id}, order ${orderId}`);
      expect(verify.output).toContain('Time:        NOT independently attested');
    } finally {
      tsa.setDown(false);
    }
  });
});
