// `npm run bench:ingest [-- --runs 5]`: one 1 GiB upload sent by curl over loopback into a real server
// child process (built as `npm start` builds it), as multipart and as tus, each against a bare node:http
// server that receives, SHA-256-hashes, writes and fsyncs the same bytes in the same run: throughput,
// server CPU-seconds per GiB and the server's peak RSS. Client and server share this machine's cores.
// The older comparisons (a Node client, against the disk alone; 16 concurrent uploads) are scenarios 1 and 2.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { apiJson, pdfChunks, setUpCapture, startChildServer, startUpload } from '../../tests/helpers/child-server';
import { buildProductionServer } from './production-server';
import { machineBusySeconds, settle } from './quiet-machine';

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    dir: { type: 'string' },
    'single-size': { type: 'string', default: String(GIB) },
    'concurrent-count': { type: 'string', default: '16' },
    'concurrent-size': { type: 'string', default: String(128 * MIB) },
    'chunk-size': { type: 'string', default: String(MIB) },
    /** curl: the curl comparison (default); 1: one upload from a Node client; 2: concurrent uploads from a Node client. */
    scenario: { type: 'string', multiple: true },
    /** Which uploads the curl comparison makes besides the bare server's (default: multipart and tus). */
    via: { type: 'string', multiple: true },
    /** Bytes per tus PATCH in the curl comparison (default: the whole file in one PATCH). */
    'tus-chunk': { type: 'string' },
    'cpu-prof': { type: 'boolean', default: false },
    /** bundle: what `npm start` runs; tsx: the sources through the tsx loader (about 40 MB more RSS). */
    server: { type: 'string', default: 'bundle' },
  },
});
const runs = Number(values.runs);
const chunkSize = Number(values['chunk-size']);
const sizeLabel = (bytes: number) => (bytes % GIB === 0 ? `${bytes / GIB} GiB` : `${Math.round(bytes / MIB)} MiB`);
const scenarios = [
  { count: 1, size: Number(values['single-size']) },
  { count: Number(values['concurrent-count']), size: Number(values['concurrent-size']) },
]
  .map((scenario) => ({ ...scenario, name: scenario.count === 1 ? `single ${sizeLabel(scenario.size)}` : `${scenario.count} concurrent ${sizeLabel(scenario.size)}` }))
  .filter((_, i) => values.scenario?.includes(String(i + 1)));
const runCurlComparison = !values.scenario || values.scenario.includes('curl');

// One pseudo-random buffer, sliced over and over: making the bytes costs next to nothing.
const filler = randomBytes(16 * MIB);
const chunksOf = (size: number) => pdfChunks(size, { chunkSize, filler });

const root = values.dir ? path.resolve(values.dir) : fs.mkdtempSync(path.join(os.tmpdir(), 'packtrail-ingest-bench-'));
fs.mkdirSync(root, { recursive: true });

interface Measure {
  mbPerSecond: number;
  seconds: number;
  /** CPU seconds that processes other than this benchmark and its server used meanwhile: the box's noise. */
  othersCpuSeconds: number;
}
interface IngestMeasure extends Measure {
  /** VmHWM over the server's whole life: start, shop setup (scrypt) and the uploads. */
  peakRssMb: number;
  /** VmHWM from just before the first upload byte to the last 201. */
  uploadPeakRssMb: number;
  idleRssMb: number;
  serverCpuSeconds: number;
  clientCpuSeconds: number;
}

const mbPerSecond = (bytes: number, seconds: number) => bytes / 1e6 / seconds;
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

function currentRssBytes(pid: number): number {
  return Number(/^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;
}

/** user + system CPU seconds a process has used so far, from /proc/<pid>/stat. */
function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ, 100 on Linux)
}

/** What the disk alone gives: write streams into files beside DATA_DIR, each fsynced before it counts as done. */
async function baseline(count: number, size: number): Promise<Measure> {
  const dir = path.join(root, 'baseline');
  fs.mkdirSync(dir, { recursive: true });
  const busyBefore = machineBusySeconds();
  const ownBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      // flush: the descriptor is fsynced before it closes, as the blob store does with its staging files.
      const out = fs.createWriteStream(path.join(dir, `file-${i}`), { flags: 'wx', mode: 0o600, highWaterMark: MIB, flush: true });
      const closed = new Promise<void>((resolve, reject) => {
        out.once('close', resolve);
        out.once('error', reject);
      });
      for (const chunk of chunksOf(size)) {
        if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      }
      out.end();
      await closed;
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const own = process.cpuUsage(ownBefore);
  const othersCpuSeconds = machineBusySeconds() - busyBefore - (own.user + own.system) / 1e6;
  await fsp.rm(dir, { recursive: true, force: true });
  return { seconds, mbPerSecond: mbPerSecond(count * size, seconds), othersCpuSeconds };
}

/** The same bytes as multipart uploads to a fresh server; done when the last 201 (fsync, rename, SQLite commit) arrives. */
async function ingest(build: { entry: string; nodeArgs: string[]; env: Record<string, string> }, count: number, size: number, run: number, profileDir?: string): Promise<IngestMeasure> {
  const dataDir = path.join(root, `data-${run}`);
  const server = await startChildServer({
    entry: build.entry,
    dataDir,
    env: { ...build.env, MAX_DOCUMENT_BYTES: '2GiB', LOG_LEVEL: 'info' },
    nodeArgs: [...build.nodeArgs, ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])],
  });
  // Connections close after each answer, so stopping the server does not wait on idle keep-alive sockets.
  const agent = new http.Agent({ keepAlive: false });
  try {
    const { token, captureId } = await setUpCapture(server.url);
    const peakBeforeUploads = server.peakRssBytes();
    const idleRssMb = currentRssBytes(server.pid) / 1e6;
    server.resetPeakRss();
    const serverCpuBefore = cpuSeconds(server.pid);
    const clientCpuBefore = process.cpuUsage();
    const busyBefore = machineBusySeconds();
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: count }, () =>
        startUpload({ url: server.url, token, captureId, chunks: chunksOf(size), size, hash: false, agent }).result,
      ),
    );
    const seconds = (performance.now() - started) / 1000;
    const clientCpu = process.cpuUsage(clientCpuBefore);
    const serverCpuSeconds = cpuSeconds(server.pid) - serverCpuBefore;
    const clientCpuSeconds = (clientCpu.user + clientCpu.system) / 1e6;
    const othersCpuSeconds = machineBusySeconds() - busyBefore - serverCpuSeconds - clientCpuSeconds;
    for (const result of results) {
      const bytes = (result.body as { media?: { bytes: number }[] })?.media?.[0]?.bytes;
      if (result.status !== 201 || bytes !== size) {
        throw new Error(`upload failed: ${result.status} ${JSON.stringify(result.body) ?? result.error?.message}\n${server.output()}`);
      }
    }
    const uploadPeak = server.peakRssBytes();
    const peakRssMb = Math.max(peakBeforeUploads, uploadPeak) / 1e6;
    const exit = await server.stop(60_000);
    if (exit.code !== 0) throw new Error(`server exited with ${exit.code ?? exit.signal}`);
    return {
      seconds,
      mbPerSecond: mbPerSecond(count * size, seconds),
      peakRssMb,
      uploadPeakRssMb: uploadPeak / 1e6,
      idleRssMb,
      serverCpuSeconds,
      clientCpuSeconds,
      othersCpuSeconds,
    };
  } finally {
    agent.destroy();
    await server.kill();
    await fsp.rm(dataDir, { recursive: true, force: true });
  }
}

/** A bare node:http server that only hashes request bodies: what HTTP plus SHA-256 alone allow on this machine. */
const bareServerSource = `
const { createHash } = require('node:crypto');
const server = require('node:http').createServer((req, res) => {
  const hash = createHash('sha256');
  req.on('data', (chunk) => hash.update(chunk));
  req.on('end', () => { hash.digest(); res.writeHead(201, { 'content-type': 'application/json' }); res.end('{}'); });
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

/** The same uploads against the bare hashing server: no Fastify, no multipart parsing, no disk. */
async function hashingHttpCeiling(count: number, size: number): Promise<Measure> {
  const child = spawn(process.execPath, ['-e', bareServerSource], { stdio: ['ignore', 'pipe', 'inherit'] });
  const agent = new http.Agent({ keepAlive: false });
  try {
    const [port] = (await once(readline.createInterface({ input: child.stdout! }), 'line')) as [string];
    const url = `http://127.0.0.1:${port}`;
    const serverCpuBefore = cpuSeconds(child.pid!);
    const clientCpuBefore = process.cpuUsage();
    const busyBefore = machineBusySeconds();
    const started = performance.now();
    await Promise.all(
      Array.from({ length: count }, () => startUpload({ url, token: '-', captureId: '-', chunks: chunksOf(size), size, hash: false, agent }).result),
    );
    const seconds = (performance.now() - started) / 1000;
    const client = process.cpuUsage(clientCpuBefore);
    const ours = cpuSeconds(child.pid!) - serverCpuBefore + (client.user + client.system) / 1e6;
    return { seconds, mbPerSecond: mbPerSecond(count * size, seconds), othersCpuSeconds: machineBusySeconds() - busyBefore - ours };
  } finally {
    agent.destroy();
    child.kill('SIGKILL');
  }
}

/** SHA-256 over the same chunks in this process: the floor the server's hashing sets. */
function hashAlone(size: number): Omit<Measure, 'othersCpuSeconds'> {
  const hash = createHash('sha256');
  const started = performance.now();
  for (const chunk of chunksOf(size)) hash.update(chunk);
  hash.digest();
  const seconds = (performance.now() - started) / 1000;
  return { seconds, mbPerSecond: mbPerSecond(size, seconds) };
}

// --- The curl comparison: one upload as curl sends it, against a bare server doing the same work ---

/** The file curl sends: written once, then read from the page cache by every step. */
function makeUploadFile(size: number): string {
  const file = path.join(root, 'upload.pdf');
  const fd = fs.openSync(file, 'w');
  for (const chunk of chunksOf(size)) fs.writeSync(fd, chunk);
  fs.closeSync(fd);
  return file;
}

interface CurlAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Runs curl (response headers included in its output, no Expect: 100-continue round trip) and parses its answer. */
async function curl(args: string[], stdin?: fs.ReadStream): Promise<CurlAnswer> {
  const child = spawn('curl', ['-sS', '-i', '-H', 'Expect:', ...args], { stdio: [stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
  if (stdin) stdin.pipe(child.stdin!);
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout!.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr!.on('data', (chunk: Buffer) => err.push(chunk));
  const [code] = (await once(child, 'close')) as [number];
  if (code !== 0) throw new Error(`curl ${args.join(' ')} failed (${code}): ${Buffer.concat(err).toString()}`);
  const text = Buffer.concat(out).toString('utf8');
  const split = text.indexOf('\r\n\r\n');
  const [statusLine, ...lines] = text.slice(0, split).split('\r\n');
  const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).trim().toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
  return { status: Number(statusLine.split(' ')[1]), headers, body: text.slice(split + 4) };
}

interface CurlMeasure extends Measure {
  serverCpuSeconds: number;
  /** The server's RSS just before the upload (after start and shop setup). */
  rssBeforeMb?: number;
  /** VmHWM during the upload (reset just before it), or over the whole life of the bare server. */
  peakRssMb: number;
}

/** Times `send` and the CPU the server process `pid` spends meanwhile. */
async function timed(pid: number, size: number, send: () => Promise<void>): Promise<Omit<CurlMeasure, 'peakRssMb'>> {
  const cpuBefore = cpuSeconds(pid);
  const busyBefore = machineBusySeconds();
  const started = performance.now();
  await send();
  const seconds = (performance.now() - started) / 1000;
  const serverCpuSeconds = cpuSeconds(pid) - cpuBefore;
  return { seconds, mbPerSecond: mbPerSecond(size, seconds), serverCpuSeconds, othersCpuSeconds: machineBusySeconds() - busyBefore - serverCpuSeconds };
}

/**
 * The reference: a bare node:http server that receives each body, SHA-256-hashes it, writes it with a
 * 1 MiB write stream and fsyncs it (flush) before it answers 201. No framework, no parsing, no database.
 */
const bareStoringServerSource = `
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const dir = process.argv[1];
let count = 0;
const server = require('node:http').createServer((req, res) => {
  const hash = createHash('sha256');
  const out = fs.createWriteStream(path.join(dir, 'body-' + count++), { flags: 'wx', highWaterMark: 1 << 20, flush: true });
  req.on('data', (chunk) => {
    hash.update(chunk);
    if (!out.write(chunk)) { req.pause(); out.once('drain', () => req.resume()); }
  });
  req.on('end', () => out.end());
  out.on('close', () => {
    const body = JSON.stringify({ sha256: hash.digest('hex'), bytes: out.bytesWritten });
    res.writeHead(201, { 'content-type': 'application/json' });
    res.end(body);
  });
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

function peakRssBytes(pid: number): number {
  return Number(/^VmHWM:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;
}

async function bareStoring(file: string, size: number): Promise<CurlMeasure> {
  const dir = path.join(root, 'bare');
  fs.mkdirSync(dir, { recursive: true });
  const child = spawn(process.execPath, ['-e', bareStoringServerSource, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const [port] = (await once(readline.createInterface({ input: child.stdout! }), 'line')) as [string];
    let answer: CurlAnswer | undefined;
    const measure = await timed(child.pid!, size, async () => {
      answer = await curl(['-T', file, '-X', 'POST', `http://127.0.0.1:${port}/`]);
    });
    if (answer?.status !== 201 || JSON.parse(answer.body).bytes !== size) throw new Error(`bare server: ${answer?.status} ${answer?.body}`);
    return { ...measure, peakRssMb: peakRssBytes(child.pid!) / 1e6 };
  } finally {
    child.kill('SIGKILL');
    await fsp.rm(dir, { recursive: true, force: true });
  }
}

/** One upload of `file` with curl into a fresh server: as a multipart form, or as tus (POST, then PATCH). */
async function productCurl(build: { entry: string; nodeArgs: string[]; env: Record<string, string> }, how: 'multipart' | 'tus', file: string, size: number, run: number, profileDir?: string): Promise<CurlMeasure> {
  const dataDir = path.join(root, `data-${how}-${run}`);
  const server = await startChildServer({
    entry: build.entry,
    dataDir,
    env: { ...build.env, MAX_DOCUMENT_BYTES: '2GiB', LOG_LEVEL: 'info' },
    nodeArgs: [...build.nodeArgs, ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${how}-${run}.cpuprofile`] : [])],
  });
  try {
    const { token, captureId } = await setUpCapture(server.url);
    const auth = ['-H', `authorization: Bearer ${token}`];
    const tusChunk = values['tus-chunk'] ? Number(values['tus-chunk']) : size;
    const rssBeforeMb = currentRssBytes(server.pid) / 1e6;
    server.resetPeakRss();
    let mediaBytes: number | undefined;
    const measure = await timed(server.pid, size, async () => {
      if (how === 'multipart') {
        const answer = await curl([...auth, '-F', `file=@${file};type=application/pdf;filename=bench.pdf`, `${server.url}/api/v1/captures/${captureId}/media`]);
        if (answer.status !== 201) throw new Error(`multipart upload: ${answer.status} ${answer.body}`);
        mediaBytes = (JSON.parse(answer.body) as { media: { bytes: number }[] }).media[0].bytes;
        return;
      }
      const tus = ['-H', 'tus-resumable: 1.0.0'];
      const metadata = `captureId ${Buffer.from(captureId).toString('base64')},filename ${Buffer.from('bench.pdf').toString('base64')}`;
      const created = await curl([...auth, ...tus, '-X', 'POST', '-H', `upload-length: ${size}`, '-H', `upload-metadata: ${metadata}`, `${server.url}/api/v1/uploads`]);
      if (created.status !== 201) throw new Error(`tus create: ${created.status} ${created.body}`);
      const location = new URL(created.headers.location, server.url).href;
      for (let offset = 0; offset < size; offset += tusChunk) {
        const length = Math.min(tusChunk, size - offset);
        const patch = [...auth, ...tus, '-X', 'PATCH', '-H', `upload-offset: ${offset}`, '-H', 'content-type: application/offset+octet-stream'];
        // The whole file: curl reads it itself. A piece: fed through a pipe, with its length declared.
        const answer =
          length === size
            ? await curl([...patch, '-T', file, location])
            : await curl([...patch, '-H', `content-length: ${length}`, '-T', '-', location], fs.createReadStream(file, { start: offset, end: offset + length - 1 }));
        if (answer.status !== 204) throw new Error(`tus PATCH at ${offset}: ${answer.status} ${answer.body}`);
        if (offset + length === size) {
          const mediaId = answer.headers['packtrail-media-id'];
          const media = await apiJson<{ bytes: number }>(server.url, 'GET', `/api/v1/media/${mediaId}`, { token });
          mediaBytes = media.bytes;
        }
      }
    });
    if (mediaBytes !== size) throw new Error(`${how} upload registered ${mediaBytes} bytes, not ${size}\n${server.output()}`);
    const peakRssMb = server.peakRssBytes() / 1e6;
    const exit = await server.stop(60_000);
    if (exit.code !== 0) throw new Error(`server exited with ${exit.code ?? exit.signal}`);
    return { ...measure, peakRssMb, rssBeforeMb };
  } finally {
    await server.kill();
    await fsp.rm(dataDir, { recursive: true, force: true });
  }
}

const range = (numbers: number[], digits: number) => `${Math.min(...numbers).toFixed(digits)}–${Math.max(...numbers).toFixed(digits)}`;

async function curlComparison(production: { entry: string; nodeArgs: string[]; env: Record<string, string> }, profileDir?: string) {
  const size = Number(values['single-size']);
  const file = makeUploadFile(size);
  const steps = (['bare', 'multipart', 'tus'] as const).filter((step) => step === 'bare' || !values.via || values.via.includes(step));
  const measures: Record<'bare' | 'multipart' | 'tus', CurlMeasure[]> = { bare: [], multipart: [], tus: [] };
  try {
    for (let run = 0; run < runs; run++) {
      // Rotate which goes first, so drift on a shared box favours none of them.
      const order = steps.map((_, i) => steps[(i + run) % steps.length]);
      for (const step of order) {
        await settle();
        const measure = step === 'bare' ? await bareStoring(file, size) : await productCurl(production, step, file, size, run, profileDir);
        measures[step].push(measure);
        console.log(
          `  curl ${sizeLabel(size)} run ${run + 1} ${step.padEnd(9)} ${measure.mbPerSecond.toFixed(0)} MB/s (${measure.seconds.toFixed(2)} s), ` +
            `server CPU ${measure.serverCpuSeconds.toFixed(2)} s, peak RSS ${measure.peakRssMb.toFixed(0)} MB` +
            `${measure.rssBeforeMb === undefined ? '' : ` (${measure.rssBeforeMb.toFixed(0)} MB before the upload)`}${noise(measure)}`,
        );
      }
    }
  } finally {
    fs.rmSync(file, { force: true });
  }
  const gib = size / GIB;
  const rows = steps.map((step) => {
    const list = measures[step];
    // Ratios within each run (same minute, same noise), then their median.
    const ratios = list.map((measure, run) => measure.mbPerSecond / measures.bare[run].mbPerSecond);
    const cpuRatios = list.map((measure, run) => measure.serverCpuSeconds / measures.bare[run].serverCpuSeconds);
    return {
      step,
      mbPerSecond: Math.round(median(list.map((m) => m.mbPerSecond))),
      mbPerSecondRange: range(list.map((m) => m.mbPerSecond), 0),
      ratioToBare: Number(median(ratios).toFixed(2)),
      ratioRange: range(ratios, 2),
      serverCpuSecondsPerGiB: Number(median(list.map((m) => m.serverCpuSeconds / gib)).toFixed(2)),
      serverCpuRange: range(list.map((m) => m.serverCpuSeconds / gib), 2),
      cpuRatioToBare: Number(median(cpuRatios).toFixed(2)),
      cpuRatioRange: range(cpuRatios, 2),
      peakRssMB: Math.round(median(list.map((m) => m.peakRssMb))),
      peakRssMaxMB: Math.round(Math.max(...list.map((m) => m.peakRssMb))),
      othersCpuShare: Number(median(list.map((m) => m.othersCpuSeconds / (m.seconds * os.availableParallelism()))).toFixed(2)),
    };
  });
  console.log('');
  console.log(`| curl, one ${sizeLabel(size)} upload | MB/s (range) | ratio to bare (range) | server CPU s/GiB (range) | CPU ratio to bare (range) | peak RSS (max) |`);
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const row of rows) {
    console.log(
      `| ${row.step} | ${row.mbPerSecond} (${row.mbPerSecondRange}) | ${row.ratioToBare.toFixed(2)} (${row.ratioRange}) | ${row.serverCpuSecondsPerGiB.toFixed(2)} (${row.serverCpuRange}) | ` +
        `${row.cpuRatioToBare.toFixed(2)} (${row.cpuRatioRange}) | ${row.peakRssMB} MB (${row.peakRssMaxMB} MB) |`,
    );
  }
  console.log(`medians of ${runs} runs; MB = 10^6 bytes; goals: ratio ≥ 0.9, CPU ratio ≤ 1.2, peak RSS ≤ 200 MB (bare: RSS over its whole life)`);
  return { bytes: size, runs, tusChunk: values['tus-chunk'] ? Number(values['tus-chunk']) : size, rows };
}

function machine() {
  const df = fs.statfsSync(root);
  return {
    node: process.version,
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model,
    memoryGiB: Math.round(os.totalmem() / GIB),
    dir: root,
    diskFreeGiB: Math.round((df.bavail * df.bsize) / GIB),
  };
}

/** Flags a measurement during which other processes took a noticeable share of the CPUs. */
function noise(measure: Measure): string {
  const share = measure.othersCpuSeconds / (measure.seconds * os.availableParallelism());
  return share > 0.1 ? `  [noisy: other processes used ${(share * 100).toFixed(0)}% of the CPUs]` : '';
}

/** The server as `npm start` runs it (or through tsx, to compare). */
function serverEntry(): { entry: string; nodeArgs: string[]; env: Record<string, string> } {
  if (values.server === 'tsx') return { entry: 'server/main.ts', nodeArgs: [], env: {} };
  if (values.server !== 'bundle') throw new Error(`--server must be bundle or tsx, got ${values.server}`);
  return buildProductionServer();
}

async function main(): Promise<void> {
  const production = serverEntry();
  const { entry } = production;
  const profileDir = values['cpu-prof'] ? path.join(process.cwd(), 'ingest-profiles') : undefined;
  const info = machine();
  console.log(`Ingest benchmark: ${runs} runs per scenario in ${root} (Node ${info.node}, ${info.cpus} CPUs, ${info.memoryGiB} GiB, client and server on the same CPUs)`);
  console.log(`server: ${entry}`);
  const hashing = hashAlone(GIB);
  console.log(`sha256 alone, one core: ${hashing.mbPerSecond.toFixed(0)} MB/s`);
  const curlResults = runCurlComparison ? await curlComparison(production, profileDir) : undefined;

  const report = [];
  for (const scenario of scenarios) {
    const base: Measure[] = [];
    const up: IngestMeasure[] = [];
    const ceiling: Measure[] = [];
    for (let run = 0; run < runs; run++) {
      // Alternate which goes first, so drift on a shared box does not favour either.
      const order = run % 2 === 0 ? (['baseline', 'ingest', 'ceiling'] as const) : (['ceiling', 'ingest', 'baseline'] as const);
      for (const step of order) {
        await settle();
        if (step === 'baseline') {
          const measure = await baseline(scenario.count, scenario.size);
          base.push(measure);
          console.log(`  ${scenario.name} run ${run + 1} baseline: ${measure.mbPerSecond.toFixed(0)} MB/s (${measure.seconds.toFixed(2)} s)${noise(measure)}`);
        } else if (step === 'ceiling') {
          const measure = await hashingHttpCeiling(scenario.count, scenario.size);
          ceiling.push(measure);
          console.log(`  ${scenario.name} run ${run + 1} bare HTTP + SHA-256: ${measure.mbPerSecond.toFixed(0)} MB/s (${measure.seconds.toFixed(2)} s)${noise(measure)}`);
        } else {
          const measure = await ingest(production, scenario.count, scenario.size, run, profileDir);
          up.push(measure);
          console.log(
            `  ${scenario.name} run ${run + 1} ingest:   ${measure.mbPerSecond.toFixed(0)} MB/s (${measure.seconds.toFixed(2)} s), ` +
              `peak RSS ${measure.peakRssMb.toFixed(0)} MB (RSS ${measure.idleRssMb.toFixed(0)} MB before the uploads, peak ${measure.uploadPeakRssMb.toFixed(0)} MB during them), ` +
              `CPU server ${measure.serverCpuSeconds.toFixed(1)} s + client ${measure.clientCpuSeconds.toFixed(1)} s${noise(measure)}`,
          );
        }
      }
    }
    const baselineMb = median(base.map((m) => m.mbPerSecond));
    const ingestMb = median(up.map((m) => m.mbPerSecond));
    const ceilingMb = median(ceiling.map((m) => m.mbPerSecond));
    report.push({
      scenario: scenario.name,
      uploads: scenario.count,
      bytesEach: scenario.size,
      runs,
      baselineMBps: Math.round(baselineMb),
      ingestMBps: Math.round(ingestMb),
      ratio: Number((ingestMb / baselineMb).toFixed(2)),
      bareHttpSha256MBps: Math.round(ceilingMb),
      ratioToBareHttpSha256: Number((ingestMb / ceilingMb).toFixed(2)),
      peakRssMB: Math.round(median(up.map((m) => m.peakRssMb))),
      peakRssMaxMB: Math.round(Math.max(...up.map((m) => m.peakRssMb))),
      rssBeforeUploadsMB: Math.round(median(up.map((m) => m.idleRssMb))),
      uploadPeakRssMB: Math.round(median(up.map((m) => m.uploadPeakRssMb))),
      serverCpuSeconds: Number(median(up.map((m) => m.serverCpuSeconds)).toFixed(1)),
      clientCpuSeconds: Number(median(up.map((m) => m.clientCpuSeconds)).toFixed(1)),
      ingestSeconds: Number(median(up.map((m) => m.seconds)).toFixed(2)),
      othersCpuShare: Number(
        median([...base, ...up, ...ceiling].map((m) => m.othersCpuSeconds / (m.seconds * os.availableParallelism()))).toFixed(2),
      ),
    });
  }

  if (report.length > 0) printLegacy(report);
  const noisiest = Math.max(...report.map((row) => row.othersCpuShare), ...(curlResults?.rows.map((row) => row.othersCpuShare) ?? []));
  if (noisiest > 0.1) console.log(`warning: other processes used a median ${(noisiest * 100).toFixed(0)}% of the CPUs during the measurements; the figures understate what this code can do`);
  if (profileDir) console.log(`server CPU profiles: ${profileDir}`);
  console.log(JSON.stringify({ bench: 'ingest', server: values.server, machine: info, sha256AloneMBps: Math.round(hashing.mbPerSecond), curl: curlResults, results: report }));
}

/** The table of the Node-client scenarios (1 and 2). */
function printLegacy(report: { scenario: string; baselineMBps: number; ingestMBps: number; ratio: number; bareHttpSha256MBps: number; ratioToBareHttpSha256: number; peakRssMB: number; peakRssMaxMB: number; rssBeforeUploadsMB: number; uploadPeakRssMB: number; serverCpuSeconds: number; clientCpuSeconds: number }[]) {
  console.log('');
  console.log('| scenario | baseline MB/s | ingest MB/s | ingest/baseline | bare HTTP + SHA-256 MB/s | ingest/bare | server peak RSS (max) | RSS before uploads | peak during uploads | server CPU s | client CPU s |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const row of report) {
    console.log(
      `| ${row.scenario} | ${row.baselineMBps} | ${row.ingestMBps} | ${row.ratio.toFixed(2)} | ${row.bareHttpSha256MBps} | ${row.ratioToBareHttpSha256.toFixed(2)} | ${row.peakRssMB} MB (${row.peakRssMaxMB} MB) | ` +
        `${row.rssBeforeUploadsMB} MB | ${row.uploadPeakRssMB} MB | ${row.serverCpuSeconds} | ${row.clientCpuSeconds} |`,
    );
  }
  console.log(`medians of ${runs} runs; MB = 10^6 bytes; goal: single upload ≥ 0.75 of baseline, peak RSS ≤ 200 MB`);
}

try {
  await main();
} finally {
  if (!values.dir) fs.rmSync(root, { recursive: true, force: true });
}
