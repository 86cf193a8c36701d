// `npm run bench:packets [-- --runs 3 --via http|fitters]`: building the largest recipient packet —
// Coupang's, whose 2-minute 1080p unboxing video must be re-encoded to fit 30 MB — on this machine: how
// long it takes and how much memory it needs, in the Node process that builds it (peak RSS) and in
// ffmpeg.
//
// --via http (the default): the real packet, `GET /api/v1/disputes/:id/packets/coupang.zip`, from a
// server child process started exactly as `npm start` starts it, with the video and a dozen photos
// uploaded as a packing capture and added to a dispute with a marketplace; the ZIP is fetched by curl.
// --via fitters: the fitting functions alone for a Coupang-shaped packet (the video to 30 MB, the
// photos, a stills sheet) in a child Node process with the production flags and environment.
// Either way the parent polls /proc for the building process and for the ffmpeg processes it starts.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { apiJson, setUpCapture, startChildServer, startUpload, type ChildServer } from '../../tests/helpers/child-server';
import { packetPhotos, packetVideo } from '../../tests/helpers/packet-media';
import { buildProductionServer, startScript } from './production-server';
import { machineBusySeconds, settle } from './quiet-machine';

const MIB = 1024 * 1024;
/** Coupang's limit per file, in the decimal megabytes a form's "30 MB" is safest read as. */
const COUPANG_MAX_BYTES = 30_000_000;

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    via: { type: 'string', default: 'http' },
    worker: { type: 'boolean', default: false },
    video: { type: 'string' },
    photos: { type: 'string' },
    out: { type: 'string' },
  },
});

const median = (numbers: number[]) => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)];
const spread = (numbers: number[]) => `${Math.min(...numbers).toFixed(1)}–${Math.max(...numbers).toFixed(1)}`;

interface WorkerReport {
  videoSeconds: number;
  videoBytes: number;
  photosSeconds: number;
  photoBytes: number;
  sheetSeconds: number;
  totalSeconds: number;
  resolution: string;
  /** CPU seconds of the worker and the processes it started and waited for (ffmpeg, ffprobe). */
  cpuSeconds: number;
}

// ——— the worker: one Coupang-shaped packet's derived files ———

async function worker(): Promise<void> {
  const { fitPhoto, fitVideo, stillsSheet } = await import('../../server/services/packets/fitting');
  const { extractStills, probeMedia } = await import('../../storage/video');
  const out = values.out!;
  const photos = JSON.parse(values.photos!) as { file: string; name: string }[];
  const started = performance.now();

  const video = await fitVideo(values.video!, { formats: ['mp4', 'avi', 'wmv'], maxBytes: COUPANG_MAX_BYTES, continuous: true, outDir: out, name: 'unboxing' });
  if ('refused' in video) throw new Error(`the video was refused: ${video.refused}`);
  const afterVideo = performance.now();
  const probed = await probeMedia(video.file);

  let photoBytes = 0;
  for (const photo of photos) {
    photoBytes += (await fitPhoto(photo.file, { formats: ['jpeg', 'gif', 'png'], maxBytes: COUPANG_MAX_BYTES, outDir: out, name: `photo-${photo.name}` })).bytes;
  }
  const afterPhotos = performance.now();

  const stills = await extractStills(values.video!, path.join(out, 'stills'));
  await stillsSheet(stills.map((still) => ({ file: still.path, offsetMs: still.offsetMs })), {
    caption: '언박싱 영상 · 주문 ORDER-7', maxBytes: COUPANG_MAX_BYTES, outDir: out,
  });
  const done = performance.now();

  const report: WorkerReport = {
    videoSeconds: (afterVideo - started) / 1000,
    videoBytes: video.bytes,
    photosSeconds: (afterPhotos - afterVideo) / 1000,
    photoBytes,
    sheetSeconds: (done - afterPhotos) / 1000,
    totalSeconds: (done - started) / 1000,
    resolution: `${probed.width}x${probed.height}`,
    cpuSeconds: cpuSecondsOf('self'),
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

// ——— the parent: fixtures, runs, memory ———

function status(pid: number): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined; // exited between listing and reading
  }
}
const kib = (text: string | undefined, field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(text ?? '')?.[1] ?? 0);

/** The ffmpeg processes whose parent is `pid` (the worker's encodes and stills). */
function ffmpegChildrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const text = status(Number(entry));
    if (text && Number(/^PPid:\s+(\d+)$/m.exec(text)?.[1]) === pid && /^Name:\s+ffmpeg$/m.test(text)) children.push(Number(entry));
  }
  return children;
}

interface RunResult extends WorkerReport {
  workerPeakMiB: number;
  ffmpegPeakMiB: number;
  othersCpuShare: number;
}

async function runOnce(video: string, photos: { file: string; name: string }[], production: { env: Record<string, string>; nodeArgs: string[] }): Promise<RunResult> {
  const out = await fsp.mkdtemp(path.join(os.tmpdir(), 'packtrail-packets-bench-'));
  try {
    const busyBefore = machineBusySeconds();
    const wallStarted = performance.now();
    const child = spawn(
      process.execPath,
      [...production.nodeArgs, '--import', 'tsx', import.meta.filename, '--worker', '--video', video, '--photos', JSON.stringify(photos), '--out', out],
      { env: { ...process.env, ...production.env }, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    let workerPeak = 0;
    let ffmpegPeak = 0;
    const poll = setInterval(() => {
      workerPeak = Math.max(workerPeak, kib(status(child.pid!), 'VmHWM'));
      for (const pid of ffmpegChildrenOf(child.pid!)) ffmpegPeak = Math.max(ffmpegPeak, kib(status(pid), 'VmHWM'));
    }, 50);
    const exit = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    clearInterval(poll);
    if (exit !== 0) throw new Error(`the worker exited with ${exit}`);
    const report = JSON.parse(stdout.trim().split('\n').pop()!) as WorkerReport;
    // What the machine's CPUs spent meanwhile on anything but this packet: the other agents' work.
    const wallSeconds = (performance.now() - wallStarted) / 1000;
    const others = Math.max(0, machineBusySeconds() - busyBefore - report.cpuSeconds);
    return {
      ...report,
      workerPeakMiB: workerPeak / 1024,
      ffmpegPeakMiB: ffmpegPeak / 1024,
      othersCpuShare: others / (wallSeconds * os.availableParallelism()),
    };
  } finally {
    await fsp.rm(out, { recursive: true, force: true });
  }
}

// ——— through HTTP: the real packet from the real server ———

interface HttpRun {
  totalSeconds: number;
  zipBytes: number;
  videoBytes: number;
  serverPeakMiB: number;
  ffmpegPeakMiB: number;
  othersCpuShare: number;
}

/** A dispute with a marketplace whose evidence is a packing capture of the video and the photos. */
async function setUpDispute(server: ChildServer, files: string[]): Promise<{ token: string; disputeId: string; captureId: string }> {
  const { token, captureId } = await setUpCapture(server.url);
  for (const file of files) {
    const size = fs.statSync(file).size;
    const upload = await startUpload({
      url: server.url, token, captureId, chunks: fs.createReadStream(file, { highWaterMark: MIB }), size, filename: path.basename(file),
    }).result;
    if (upload.status !== 201) throw new Error(`upload of ${path.basename(file)} failed: ${upload.status} ${JSON.stringify(upload.body)}`);
  }
  await apiJson(server.url, 'POST', `/api/v1/captures/${captureId}/finish`, { token, expect: 200 }).catch(() => undefined);
  const capture = await apiJson<{ orderId: string }>(server.url, 'GET', `/api/v1/captures/${captureId}`, { token });
  const dispute = await apiJson<{ id: string }>(server.url, 'POST', '/api/v1/disputes', {
    token,
    json: { orderId: capture.orderId, reason: 'damaged', counterparty: 'marketplace', respondBy: new Date(Date.now() + 7 * 86_400_000).toISOString() },
  });
  await apiJson(server.url, 'POST', `/api/v1/disputes/${dispute.id}/evidence`, { token, json: { captureId } });
  return { token, disputeId: dispute.id, captureId };
}

/** curl into a file (a C client: a Node one would take a core of its own on this two-core box). */
function curlTo(url: string, token: string, file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const curl = spawn('curl', ['-sS', '--fail', '-o', file, '-H', `authorization: Bearer ${token}`, url]);
    let err = '';
    curl.stderr.on('data', (chunk: Buffer) => (err += chunk));
    curl.on('error', reject);
    curl.on('close', (status) => (status === 0 ? resolve() : reject(new Error(`curl exited ${status}: ${err}`))));
  });
}

/** The largest video file in the ZIP, from `unzip -l`. */
function largestVideoIn(zip: string): number {
  const listing = spawnSync('unzip', ['-l', zip], { encoding: 'utf8' }).stdout;
  const sizes = listing.split('\n').filter((line) => /\.(mp4|avi|wmv)\s*$/i.test(line)).map((line) => Number(line.trim().split(/\s+/)[0]));
  return Math.max(0, ...sizes);
}

async function viaHttp(runs: number, video: string, photos: string[]): Promise<void> {
  const root = await fsp.mkdtemp(path.join(os.tmpdir(), 'packtrail-packets-bench-'));
  const production = buildProductionServer();
  const server = await startChildServer({ ...production, dataDir: path.join(root, 'data'), env: { ...production.env, MAX_VIDEO_BYTES: '1GiB' } });
  try {
    const { token, disputeId, captureId } = await setUpDispute(server, [video, ...photos]);
    // Let the playback lane finish its own copies first, so the runs measure the packet, not ingest work.
    for (let waited = 0; waited < 1800; waited++) {
      const capture = await apiJson<{ media: { playbackStatus?: string; stillsStatus?: string }[] }>(server.url, 'GET', `/api/v1/captures/${captureId}`, { token });
      if (capture.media.every((item) => item.playbackStatus !== 'pending' && item.stillsStatus !== 'pending')) break;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    const route = `/api/v1/disputes/${disputeId}/packets/coupang.zip?lang=ko`;
    const results: HttpRun[] = [];
    for (let run = 1; run <= runs; run++) {
      await settle();
      server.resetPeakRss();
      const zip = path.join(root, `coupang-${run}.zip`);
      let ffmpegPeak = 0;
      const poll = setInterval(() => {
        for (const pid of ffmpegChildrenOf(server.pid)) ffmpegPeak = Math.max(ffmpegPeak, kib(status(pid), 'VmHWM'));
      }, 50);
      const busyBefore = machineBusySeconds();
      const serverCpuBefore = cpuSecondsOf(server.pid);
      const started = performance.now();
      try {
        await curlTo(new URL(route, server.url).href, token, zip);
      } finally {
        clearInterval(poll);
      }
      const totalSeconds = (performance.now() - started) / 1000;
      const ours = cpuSecondsOf(server.pid) - serverCpuBefore;
      const result: HttpRun = {
        totalSeconds,
        zipBytes: fs.statSync(zip).size,
        videoBytes: largestVideoIn(zip),
        serverPeakMiB: server.peakRssBytes() / MIB,
        ffmpegPeakMiB: ffmpegPeak / 1024,
        othersCpuShare: Math.max(0, machineBusySeconds() - busyBefore - ours) / (totalSeconds * os.availableParallelism()),
      };
      results.push(result);
      await fsp.rm(zip, { force: true });
      console.log(
        `run ${run}: ${result.totalSeconds.toFixed(1)} s for the ZIP (${(result.zipBytes / MIB).toFixed(1)} MiB, video ${(result.videoBytes / MIB).toFixed(1)} MiB) · ` +
          `peak RSS: server ${result.serverPeakMiB.toFixed(0)} MiB, ffmpeg ${result.ffmpegPeakMiB.toFixed(0)} MiB · others took ${(100 * result.othersCpuShare).toFixed(0)}% of the machine`,
      );
    }
    const pick = (key: keyof HttpRun) => results.map((result) => result[key]);
    const summary = {
      via: 'http',
      runs,
      totalSeconds: Number(median(pick('totalSeconds')).toFixed(1)),
      totalSpread: spread(pick('totalSeconds')),
      zipMiB: Number((median(pick('zipBytes')) / MIB).toFixed(1)),
      videoMiB: Number((median(pick('videoBytes')) / MIB).toFixed(1)),
      serverPeakRssMiB: Math.round(median(pick('serverPeakMiB'))),
      serverPeakRssMax: Math.round(Math.max(...pick('serverPeakMiB'))),
      ffmpegPeakRssMiB: Math.round(median(pick('ffmpegPeakMiB'))),
      ffmpegPeakRssMax: Math.round(Math.max(...pick('ffmpegPeakMiB'))),
      othersCpuShare: Number(median(pick('othersCpuShare')).toFixed(2)),
    };
    console.log('\nmedian of runs:');
    console.table(summary);
    console.log(JSON.stringify(summary));
  } finally {
    await server.stop();
    await fsp.rm(root, { recursive: true, force: true });
  }
}

/** CPU seconds of a live process and the children it has waited for (utime, stime, cutime, cstime). */
function cpuSecondsOf(pid: number | 'self'): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields.slice(11, 15).map(Number).reduce((a, b) => a + b, 0) / 100;
}

async function main(): Promise<void> {
  const runs = Number(values.runs);
  console.log('making (or reusing) the 2-minute 1080p video and the dozen photos …');
  const [video, photos] = await Promise.all([packetVideo({ resolution: '1080p' }), packetPhotos()]);
  console.log(`video: ${(fs.statSync(video.file).size / MIB).toFixed(1)} MiB, ${video.width}x${video.height}, ${video.seconds} s · photos: ${photos.length}`);
  if (values.via === 'http') return viaHttp(runs, video.file, photos.map((photo) => photo.file));
  if (values.via !== 'fitters') throw new Error(`--via is http or fitters, not ${values.via}`);
  const production = startScript();
  const results: RunResult[] = [];
  for (let run = 1; run <= runs; run++) {
    await settle();
    const result = await runOnce(video.file, photos.map(({ file, name }) => ({ file, name })), production);
    results.push(result);
    console.log(
      `run ${run}: total ${result.totalSeconds.toFixed(1)} s (video ${result.videoSeconds.toFixed(1)} s → ${(result.videoBytes / MIB).toFixed(1)} MiB ${result.resolution}, ` +
        `photos ${result.photosSeconds.toFixed(1)} s, stills sheet ${result.sheetSeconds.toFixed(1)} s) · peak RSS: Node ${result.workerPeakMiB.toFixed(0)} MiB, ` +
        `ffmpeg ${result.ffmpegPeakMiB.toFixed(0)} MiB · CPU ${result.cpuSeconds.toFixed(0)} s ours, others took ${(100 * result.othersCpuShare).toFixed(0)}% of the machine`,
    );
  }
  const pick = (key: keyof RunResult) => results.map((result) => Number(result[key]));
  const summary = {
    via: 'fitters',
    runs,
    totalSeconds: Number(median(pick('totalSeconds')).toFixed(1)),
    totalSpread: spread(pick('totalSeconds')),
    videoSeconds: Number(median(pick('videoSeconds')).toFixed(1)),
    videoSpread: spread(pick('videoSeconds')),
    videoMiB: Number((median(pick('videoBytes')) / MIB).toFixed(1)),
    resolution: results[0].resolution,
    photosSeconds: Number(median(pick('photosSeconds')).toFixed(1)),
    sheetSeconds: Number(median(pick('sheetSeconds')).toFixed(1)),
    nodePeakRssMiB: Math.round(median(pick('workerPeakMiB'))),
    nodePeakRssMax: Math.round(Math.max(...pick('workerPeakMiB'))),
    ffmpegPeakRssMiB: Math.round(median(pick('ffmpegPeakMiB'))),
    ffmpegPeakRssMax: Math.round(Math.max(...pick('ffmpegPeakMiB'))),
    cpuSeconds: Math.round(median(pick('cpuSeconds'))),
    othersCpuShare: Number(median(pick('othersCpuShare')).toFixed(2)),
  };
  console.log('\nmedian of runs:');
  console.table(summary);
  console.log(JSON.stringify(summary));
}

if (values.worker) await worker();
else await main();
