// `npm run bench:export [-- --runs 3 --video-gib 2]`: exports a dispute holding about 2 GB of video as
// a bundle ZIP over loopback HTTP, against reading the same original files from disk in the same run;
// reports throughput (and the ratio), time to the first byte of the ZIP, and the server's peak RSS.
// Each run measures both with the originals evicted from the page cache first (cold: how an export
// of last month's videos meets the disk) and again with them cached (warm).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ffmpegPath } from '../../storage/video';
import { apiJson, setUpCapture, startChildServer, startUpload } from '../../tests/helpers/child-server';
import { buildProductionServer } from './production-server';
import { settle } from './quiet-machine';

const MIB = 1024 * 1024;
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    'video-gib': { type: 'string', default: '2' },
    files: { type: 'string', default: '2' },
    dir: { type: 'string' },
  },
});
const runs = Number(values.runs);
const files = Number(values.files);
const bytesPerFile = (Number(values['video-gib']) * 1024 * MIB) / files;

const median = (numbers: number[]) => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)];

/**
 * A real video of about `bytes`: 1080p noise as MJPEG in a QuickTime file, which is large per frame
 * (so 1 GB takes seconds to make) and indexed (so the report's stills seek instead of decoding it all).
 */
function makeVideo(file: string, bytes: number): void {
  const made = spawnSync(ffmpegPath, [
    '-v', 'error', '-y', '-f', 'lavfi', '-i', 'nullsrc=s=1920x1080:r=25,geq=random(1)*255:128:128',
    // -fs stops at the size; the file then ends cleanly, with its index written.
    '-fs', String(bytes), '-c:v', 'mjpeg', '-q:v', '2', '-f', 'mov', file,
  ]);
  if (made.status !== 0) throw new Error(`ffmpeg failed: ${made.stderr}`);
}

/** Drops a file's pages from the page cache (GNU dd: nocache with count=0 advises the whole file away). */
function evict(file: string): void {
  const dd = spawnSync('dd', [`if=${file}`, 'iflag=nocache', 'count=0'], { encoding: 'utf8' });
  if (dd.status !== 0) throw new Error(`dd could not evict ${file}: ${dd.stderr}`);
}

function residentMiB(pid: number): number {
  return Number(/^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
}

async function readAll(paths: string[]): Promise<number> {
  const started = performance.now();
  let total = 0;
  for (const file of paths) for await (const chunk of fs.createReadStream(file, { highWaterMark: MIB })) total += (chunk as Buffer).length;
  return total / MIB / ((performance.now() - started) / 1000);
}

/**
 * Fetches the ZIP with curl into /dev/null. A C client rather than Node's: on this two-core box the
 * client shares the cores with the server, and a Node client spends about a core of its own.
 */
function download(url: string, route: string, token: string): Promise<{ mbPerS: number; ttfbMs: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const curl = spawn('curl', ['-sS', '--fail', '-o', '/dev/null', '-H', `authorization: Bearer ${token}`, '-w', '%{size_download} %{time_starttransfer} %{time_total}', new URL(route, url).href]);
    let out = '';
    let err = '';
    curl.stdout.on('data', (chunk: Buffer) => (out += chunk));
    curl.stderr.on('data', (chunk: Buffer) => (err += chunk));
    curl.on('error', reject);
    curl.on('close', (status) => {
      if (status !== 0) return reject(new Error(`curl exited ${status}: ${err}`));
      const [bytes, firstByte, total] = out.trim().split(' ').map(Number);
      resolve({ bytes, ttfbMs: firstByte * 1000, mbPerS: bytes / MIB / total });
    });
  });
}

async function main(): Promise<void> {
  const root = values.dir ?? (await fsp.mkdtemp(path.join(os.tmpdir(), 'packtrail-export-bench-')));
  const dataDir = path.join(root, 'data');
  await fsp.rm(dataDir, { recursive: true, force: true });
  const videos = Array.from({ length: files }, (_, i) => path.join(root, `video-${i}.mov`));
  // With --dir, videos made by an earlier run are used again: making them is most of a run's time.
  const missing = videos.filter((file) => !fs.existsSync(file));
  console.log(`making ${missing.length} of ${files} videos of ~${Math.round(bytesPerFile / MIB)} MiB in ${root} …`);
  missing.forEach((file) => makeVideo(file, bytesPerFile));
  const videoBytes = videos.reduce((sum, file) => sum + fs.statSync(file).size, 0);

  const production = buildProductionServer();
  const server = await startChildServer({ ...production, dataDir, env: { ...production.env, MAX_VIDEO_BYTES: '8GiB' } });
  try {
    const { token, captureId } = await setUpCapture(server.url);
    for (const file of videos) {
      const size = fs.statSync(file).size;
      const upload = await startUpload({ url: server.url, token, captureId, chunks: fs.createReadStream(file, { highWaterMark: MIB }), size, filename: path.basename(file) }).result;
      if (upload.status !== 201) throw new Error(`upload failed: ${upload.status} ${JSON.stringify(upload.body)}`);
    }
    const capture = await apiJson<{ orderId: string; media: { sha256: string }[] }>(server.url, 'GET', `/api/v1/captures/${captureId}`, { token });
    const dispute = await apiJson<{ id: string }>(server.url, 'POST', '/api/v1/disputes', {
      token,
      json: { orderId: capture.orderId, reason: 'damaged', counterparty: 'courier' },
    });
    await apiJson(server.url, 'POST', `/api/v1/disputes/${dispute.id}/evidence`, { token, json: { captureId } });
    const originals = capture.media.map((media) => path.join(dataDir, 'originals', media.sha256.slice(0, 2), media.sha256.slice(2, 4), media.sha256));
    // Let stills and playback copies finish first, so the runs measure export, not background transcoding.
    for (let waited = 0; waited < 600; waited++) {
      const media = await apiJson<{ media: { playbackStatus?: string }[] }>(server.url, 'GET', `/api/v1/captures/${captureId}`, { token });
      if (media.media.every((item) => item.playbackStatus !== 'pending')) break;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }

    const results = { cold: { read: [] as number[], exported: [] as number[] }, warm: { read: [] as number[], exported: [] as number[] } };
    const ttfb: number[] = [];
    const peaks: number[] = [];
    const exportOnce = async () => {
      await settle();
      server.resetPeakRss();
      const result = await download(server.url, `/api/v1/disputes/${dispute.id}/bundle.zip`, token);
      if (result.bytes < videoBytes) throw new Error(`the ZIP (${result.bytes} B) is smaller than its videos (${videoBytes} B)`);
      ttfb.push(result.ttfbMs);
      peaks.push(server.peakRssBytes() / MIB);
      return result.mbPerS;
    };
    for (let run = 1; run <= runs; run++) {
      const idleMiB = residentMiB(server.pid);
      originals.forEach(evict);
      await settle();
      results.cold.read.push(await readAll(originals));
      originals.forEach(evict);
      results.cold.exported.push(await exportOnce());
      // Now cached by the export: read and export again from memory.
      await settle();
      results.warm.read.push(await readAll(originals));
      results.warm.exported.push(await exportOnce());
      console.log(
        `run ${run}: cold read ${results.cold.read.at(-1)!.toFixed(0)} MB/s, export ${results.cold.exported.at(-1)!.toFixed(0)} MB/s · ` +
          `warm read ${results.warm.read.at(-1)!.toFixed(0)} MB/s, export ${results.warm.exported.at(-1)!.toFixed(0)} MB/s · ` +
          `first byte ${ttfb.at(-2)!.toFixed(0)}/${ttfb.at(-1)!.toFixed(0)} ms · RSS ${idleMiB.toFixed(0)} MiB before, peaks ${peaks.at(-2)!.toFixed(0)}/${peaks.at(-1)!.toFixed(0)} MiB`,
      );
    }
    const summary = {
      videoMiB: Math.round(videoBytes / MIB),
      runs,
      coldReadMBps: Math.round(median(results.cold.read)),
      coldExportMBps: Math.round(median(results.cold.exported)),
      coldRatio: Number((median(results.cold.exported) / median(results.cold.read)).toFixed(2)),
      warmReadMBps: Math.round(median(results.warm.read)),
      warmExportMBps: Math.round(median(results.warm.exported)),
      warmRatio: Number((median(results.warm.exported) / median(results.warm.read)).toFixed(2)),
      firstByteMs: Math.round(median(ttfb)),
      peakRssMiB: Math.round(median(peaks)),
      maxPeakRssMiB: Math.round(Math.max(...peaks)),
    };
    console.log('\nmedian of runs:');
    console.table(summary);
    console.log(JSON.stringify(summary));
  } finally {
    await server.stop();
    if (!values.dir) await fsp.rm(root, { recursive: true, force: true });
  }
}

await main();
