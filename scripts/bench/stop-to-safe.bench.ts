// `npm run bench:pack [-- --seconds 60 --runs 3 --mbit 20]`: the packer app in headless Chromium on a
// throttled link: how long after the packer taps Done on a recording everything is safe on the server
// (uploaded, hash-confirmed, capture finished), and how much JavaScript the /pack page ships.
// Writes the "Packer app" section of BENCHMARKS.md.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { execFileSync } from 'node:child_process';
import { chromium, type Page } from 'playwright-core';
import { buildApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { ffmpegPath } from '../../storage/video';
import { chromiumPath, newPhoneContext } from '../../tests/helpers/browser';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    runs: { type: 'string', default: '3' },
    mbit: { type: 'string', default: '20' },
    latency: { type: 'string', default: '20' },
    'no-write': { type: 'boolean', default: false },
  },
});
const seconds = Number(values.seconds);
const runs = Number(values.runs);
const mbit = Number(values.mbit);
const latencyMs = Number(values.latency);

const repoRoot = path.join(import.meta.dirname, '..', '..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'packtrail-pack-bench-'));

/**
 * Chromium's built-in fake camera shows a flat test pattern that compresses to a third of what a real
 * camera gives. ffmpeg's moving test picture with sensor-like noise makes the encoder spend its whole
 * bitrate, as a phone filming a packing table does. Y4M, which Chromium plays in a loop as the camera.
 */
function writeCameraFile(file: string): void {
  execFileSync(ffmpegPath, ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=s=1280x720:r=24', '-vf', 'noise=alls=14:allf=t', '-frames:v', '48', '-pix_fmt', 'yuv420p', '-y', file]);
}
const cameraFile = path.join(dataDir, 'camera.y4m');
writeCameraFile(cameraFile);
const app = await buildApp(loadConfig({ DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' }));
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

async function api<T>(method: string, route: string, token?: string, json?: unknown): Promise<T> {
  const response = await fetch(url + route, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(json ? { 'content-type': 'application/json' } : {}) },
    body: json ? JSON.stringify(json) : undefined,
  });
  if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
  return response.json() as Promise<T>;
}

const { token: ownerToken } = await api<{ token: string }>('POST', '/api/v1/setup', undefined, {
  email: 'bench@example.com',
  password: 'benchmark password',
  shopName: 'Bench Shop',
  timezone: 'Asia/Seoul',
});

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const mbitPerSecond = (bytes: number, secondsTaken: number) => ((bytes * 8) / secondsTaken / 1_000_000).toFixed(2);
const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];

interface Shipped {
  files: { name: string; raw: number; gzip: number }[];
  raw: number;
  gzip: number;
}

/**
 * Every script the /pack page loads on a first visit (opening the pairing link, then the home
 * screen with the camera on), as sent (gzip) and as parsed (raw).
 */
async function measureShippedJs(page: Page, visit: () => Promise<void>): Promise<{ page: Shipped; lazy: Shipped }> {
  const seen: { name: string; raw: number; gzip: number }[] = [];
  const pending: Promise<void>[] = [];
  page.on('response', (response) => {
    const name = new URL(response.url()).pathname;
    if (!name.startsWith('/pack/') || !name.endsWith('.js') || response.status() !== 200) return;
    pending.push(
      response.body().then((body) => {
        const sent = Number(response.headers()['content-length'] ?? body.length);
        seen.push({ name, raw: body.length, gzip: sent });
      }),
    );
  });
  const vendor = page.waitForResponse((response) => response.url().includes('/pack/vendor/'), { timeout: 20_000 }).catch(() => undefined);
  await visit();
  // The barcode library is fetched once the camera scans, where BarcodeDetector is missing (as here).
  await vendor;
  await page.waitForTimeout(500);
  await Promise.all(pending);
  const sum = (files: Shipped['files']): Shipped => ({
    files,
    raw: files.reduce((total, file) => total + file.raw, 0),
    gzip: files.reduce((total, file) => total + file.gzip, 0),
  });
  return { page: sum(seen.filter((file) => !file.name.includes('/vendor/'))), lazy: sum(seen.filter((file) => file.name.includes('/vendor/'))) };
}

interface Run {
  stopToSafeMs: number;
  recordingBytes: number;
  recordedSeconds: number;
  leftAtStop: number;
  videoMime: string;
}

async function oneRun(index: number): Promise<{ run: Run; shipped?: { page: Shipped; lazy: Shipped } }> {
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${cameraFile}`,
    ],
  });
  try {
    const context = await newPhoneContext(browser);
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error('page error:', error.message));
    const device = await api<{ pairingUrl: string }>('POST', '/api/v1/devices', ownerToken, { name: `Bench phone ${index + 1}` });
    const link = new URL(device.pairingUrl);
    const pairPhone = async () => {
      await page.goto(`${url}${link.pathname}${link.hash}`);
      await page.locator('#screen-scan').waitFor({ state: 'visible' });
    };
    const shipped = index === 0 ? await measureShippedJs(page, pairPhone) : undefined;
    if (!shipped) await pairPhone();

    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: latencyMs,
      downloadThroughput: (mbit * 1_000_000) / 8,
      uploadThroughput: (mbit * 1_000_000) / 8,
    });

    const orderId = `BENCH-${index + 1}`;
    await page.fill('#order-input', orderId);
    await page.press('#order-input', 'Enter');
    await page.locator('#record-button[data-recording="true"]').waitFor();
    const recordingStarted = Date.now();
    await page.waitForTimeout(seconds * 1000);
    const leftAtStop = await page.evaluate(() => (globalThis as unknown as { __packtrail: { summary(): { bytesLeft: number } } }).__packtrail.summary().bytesLeft);

    const tapped = Date.now();
    await page.click('#done-button');
    await page.waitForFunction(
      (id) => {
        const app = (globalThis as unknown as { __packtrail: { history(): { orderId: string }[]; summary(): { pending: number } } }).__packtrail;
        return app.summary().pending === 0 && app.history().some((entry) => entry.orderId === id);
      },
      orderId,
      { polling: 20, timeout: 120_000 },
    );
    const stopToSafeMs = Date.now() - tapped;

    const entry = (await page.evaluate(() => (globalThis as unknown as { __packtrail: { history(): unknown[] } }).__packtrail.history()))[0] as {
      files: { kind: string; bytes: number; mediaId: string; sha256: string }[];
    };
    const video = entry.files.find((file) => file.kind === 'video')!;
    const media = await api<{ sha256: string; mime: string }>('GET', `/api/v1/media/${video.mediaId}`, ownerToken);
    if (media.sha256 !== video.sha256) throw new Error('the server holds different bytes than the page recorded');
    const recordedSeconds = (tapped - recordingStarted) / 1000;
    console.log(
      `run ${index + 1}: ${recordedSeconds.toFixed(0)} s recorded, ${kb(video.bytes)} (${media.mime}, ${mbitPerSecond(video.bytes, recordedSeconds)} Mbit/s), ` +
        `${kb(leftAtStop)} not yet sent at Done, safe ${stopToSafeMs} ms after Done`,
    );
    return { run: { stopToSafeMs, recordingBytes: video.bytes, recordedSeconds, leftAtStop, videoMime: media.mime }, shipped };
  } finally {
    await browser.close();
  }
}

const results: Run[] = [];
let shipped: { page: Shipped; lazy: Shipped } | undefined;
try {
  console.log(`Packer app benchmark: ${runs} × ${seconds} s recording on a ${mbit} Mbit/s link (${latencyMs} ms latency), ${os.cpus().length} CPUs`);
  for (let i = 0; i < runs; i++) {
    const outcome = await oneRun(i);
    results.push(outcome.run);
    shipped ??= outcome.shipped;
  }
} finally {
  await app.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

const times = results.map((run) => run.stopToSafeMs);
const section = [
  '## Packer app',
  '',
  "What it measures: the packer app (`server/web/pack`) in Debian's headless Chromium whose fake camera",
  "plays ffmpeg's moving test picture with sensor-like noise at 1280×720 (so the encoder spends about",
  'its full bitrate, as on a real phone; the built-in test pattern compresses far smaller), against the',
  `real server on loopback, with the link throttled to ${mbit} Mbit/s each way and`,
  `${latencyMs} ms latency (Chrome DevTools Protocol \`Network.emulateNetworkConditions\`). A ${seconds}-second`,
  'recording (canvas with the burned-in overlay + microphone, MediaRecorder, a piece every 2 s) uploads',
  'while it records; the figure is the time from tapping Done (stop + finish) until the outbox is empty:',
  "the recording's last piece sent, the server's SHA-256 of it matched, and the capture finished.",
  '',
  `Reproduce: \`npm run bench:pack\` (options: \`-- --seconds ${seconds} --runs ${runs} --mbit ${mbit} --latency ${latencyMs}\`).`,
  `Machine: the project's 2-core box, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.`,
  '',
  '| measure | result |',
  '| --- | --- |',
  `| Done → safe on the server, ${seconds} s recording (median of ${runs}) | ${median(times)} ms (runs: ${times.join(', ')} ms; goal < 3,000 ms) |`,
  `| recording size (${results[0].videoMime}) | ${results.map((run) => `${kb(run.recordingBytes)} (${mbitPerSecond(run.recordingBytes, run.recordedSeconds)} Mbit/s)`).join(', ')} |`,
  `| stored on the phone but not yet uploaded when Done was tapped (the recorder itself still holds up to 2 s more) | ${results.map((run) => kb(run.leftAtStop)).join(', ')} |`,
  ...(shipped
    ? [
        `| JavaScript the /pack page loads (${shipped.page.files.length} modules, first visit) | ${kb(shipped.page.gzip)} gzipped, ${kb(shipped.page.raw)} raw |`,
        `| barcode fallback (ZXing), fetched only where BarcodeDetector is missing | ${kb(shipped.lazy.gzip)} gzipped, ${kb(shipped.lazy.raw)} raw |`,
      ]
    : []),
  '',
];
const text = section.join('\n');
console.log(`\n${text}`);
if (shipped) {
  for (const file of shipped.page.files.sort((a, b) => b.raw - a.raw)) console.log(`  ${file.name.padEnd(28)} ${kb(file.raw).padStart(9)} ${kb(file.gzip).padStart(9)}`);
}

if (!values['no-write']) {
  const file = path.join(repoRoot, 'BENCHMARKS.md');
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmarks\n';
  const pattern = /## Packer app\n[\s\S]*?(?=\n## |$)/;
  const next = pattern.test(current) ? current.replace(pattern, text.trimEnd() + '\n') : `${current.trimEnd()}\n\n${text}`;
  fs.writeFileSync(file, next);
  console.log(`written to ${file}`);
}
