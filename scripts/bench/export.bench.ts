// `npm run bench:export [-- --runs 3 --video-gib 2]`: exports a dispute holding about 2 GB of video as
// a bundle ZIP over loopback HTTP, against reading the same original files from disk in the same run;
// reports throughput (and the ratio), time to the first byte of the ZIP, and the server's peak RSS.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ffmpegPath } from '../../storage/video';
import { apiJson, setUpCapture, startChildServer, startUpload } from '../../tests/helpers/child-server';
import { buildProductionServer } from './production-server';

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

function residentMiB(pid: number): number {
  return Number(/^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
}

async function readAll(paths: string[]): Promise<number> {
  const started = performance.now();
  let total = 0;
  for (const file of paths) for await (const chunk of fs.createReadStream(file, { highWaterMark: MIB })) total += (chunk as Buffer).length;
  return total / MIB / ((performance.now() - started) / 1000);
}

function download(url: string, route: string, token: string): Promise<{ mbPerS: number; ttfbMs: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    http.get(new URL(route, url), { headers: { authorization: `Bearer ${token}` } }, (response) => {
      if (response.statusCode !== 200) return reject(new Error(`export answered ${response.statusCode}`));
      let ttfbMs = 0;
      let bytes = 0;
      response.on('data', (chunk: Buffer) => {
        if (bytes === 0) ttfbMs = performance.now() - started;
        bytes += chunk.length;
      });
      response.on('end', () => resolve({ mbPerS: bytes / MIB / ((performance.now() - started) / 1000), ttfbMs, bytes }));
      response.on('error', reject);
    }).on('error', reject);
  });
}

async function main(): Promise<void> {
  const root = values.dir ?? (await fsp.mkdtemp(path.join(os.tmpdir(), 'packtrail-export-bench-')));
  const dataDir = path.join(root, 'data');
  const videos = Array.from({ length: files }, (_, i) => path.join(root, `video-${i}.mov`));
  console.log(`making ${files} videos of ~${Math.round(bytesPerFile / MIB)} MiB in ${root} …`);
  videos.forEach((file) => makeVideo(file, bytesPerFile));
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

    const baseline: number[] = [];
    const exported: number[] = [];
    const ttfb: number[] = [];
    const peaks: number[] = [];
    for (let run = 1; run <= runs; run++) {
      baseline.push(await readAll(originals));
      const idleMiB = residentMiB(server.pid);
      server.resetPeakRss();
      const result = await download(server.url, `/api/v1/disputes/${dispute.id}/bundle.zip`, token);
      if (result.bytes < videoBytes) throw new Error(`the ZIP (${result.bytes} B) is smaller than its videos (${videoBytes} B)`);
      exported.push(result.mbPerS);
      ttfb.push(result.ttfbMs);
      peaks.push(server.peakRssBytes() / MIB);
      console.log(
        `run ${run}: read ${baseline.at(-1)!.toFixed(0)} MB/s · export ${result.mbPerS.toFixed(0)} MB/s · first byte ${result.ttfbMs.toFixed(0)} ms · ` +
          `RSS ${idleMiB.toFixed(0)} MiB before, peak ${peaks.at(-1)!.toFixed(0)} MiB during`,
      );
    }
    const summary = {
      videoMiB: Math.round(videoBytes / MIB),
      runs,
      readMBps: Math.round(median(baseline)),
      exportMBps: Math.round(median(exported)),
      ratio: Number((median(exported) / median(baseline)).toFixed(2)),
      firstByteMs: Math.round(median(ttfb)),
      peakRssMiB: Math.round(median(peaks)),
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
