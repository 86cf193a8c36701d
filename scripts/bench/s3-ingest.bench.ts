// `npm run bench:s3 [-- --runs 2 --size 1073741824 --via multipart|tus|both]`: one upload through the
// service with BLOB_STORE=s3 (a multipart POST answered 201, or a tus upload whose last PATCH answers with
// its media ID, once the original is committed in the bucket) against a bare
// multipart put of the same bytes into the same bucket with @aws-sdk/lib-storage (same part size and
// parallelism as the store), alternating, on the Ceph gateway the tests use (scripts/ceph/start-rgw.sh).
// Client, server and the gateway share this machine's cores. The bucket has Object Lock but
// S3_OBJECT_LOCK_DAYS=0, so each run's bytes can be deleted again (memstore keeps them in RAM);
// retention is one request per original after the copy, not part of the byte path.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { DeleteObjectCommand, ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { pdfChunks, setUpCapture, startChildServer, startUpload } from '../../tests/helpers/child-server';
import { tusCreate } from '../../tests/helpers/tus-client';
import { cephClient, cephDir, createTestBucket, startCephRgw } from '../../tests/helpers/ceph-rgw';
import { S3_PART_BYTES, S3_PARTS_AT_ONCE } from '../../storage/blobs/s3.store';
import { buildProductionServer } from './production-server';

const MIB = 1024 * 1024;
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '2' },
    size: { type: 'string', default: String(1024 * MIB) },
    server: { type: 'string', default: 'bundle' },
    /** Writes a V8 CPU profile of each service run into this folder. */
    'cpu-prof-dir': { type: 'string' },
    via: { type: 'string', default: 'both' },
  },
});
const paths = (values.via === 'both' ? ['multipart', 'tus'] : [values.via]) as ('multipart' | 'tus')[];
const runs = Number(values.runs);
const size = Number(values.size);

const filler = randomBytes(16 * MIB);
const chunks = () => pdfChunks(size, { chunkSize: MIB, filler });
const mbPerSecond = (seconds: number) => size / 1e6 / seconds;
const median = (list: number[]) => {
  const sorted = [...list].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const wasRunning = fs.existsSync(path.join(cephDir, 's3.env'));
const ceph = await startCephRgw();
const client = cephClient(ceph);
const bucket = await createTestBucket(ceph, { objectLock: true });
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'packtrail-s3-bench-'));
const build = values.server === 'tsx' ? { entry: 'server/main.ts', nodeArgs: [] as string[], env: {} as Record<string, string> } : buildProductionServer();

async function emptyBucket(): Promise<void> {
  const page = await client.send(new ListObjectVersionsCommand({ Bucket: bucket }));
  for (const version of page.Versions ?? []) await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: version.Key, VersionId: version.VersionId }));
  for (const marker of page.DeleteMarkers ?? []) await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: marker.Key, VersionId: marker.VersionId }));
}

async function bare(run: number): Promise<{ seconds: number }> {
  const started = performance.now();
  await new Upload({ client, params: { Bucket: bucket, Key: `bench/bare-${run}`, Body: Readable.from(chunks()) }, partSize: S3_PART_BYTES, queueSize: S3_PARTS_AT_ONCE }).done();
  return { seconds: (performance.now() - started) / 1000 };
}

/** A tus upload in one PATCH of the whole file, streamed; done when the PATCH answers with the media's ID. */
async function tusUpload(url: string, token: string, captureId: string, agent: http.Agent): Promise<{ status: number; body: unknown }> {
  const created = await tusCreate(url, token, { captureId, length: size, filename: 'upload.pdf' });
  if (!created.location) return { status: created.status, body: created.body };
  const request = http.request(created.location, {
    method: 'PATCH',
    agent,
    headers: {
      authorization: `Bearer ${token}`,
      'tus-resumable': '1.0.0',
      'upload-offset': '0',
      'content-type': 'application/offset+octet-stream',
      'content-length': String(size),
    },
  });
  const answered = once(request, 'response') as Promise<[http.IncomingMessage]>;
  for await (const chunk of chunks()) if (!request.write(chunk)) await once(request, 'drain');
  request.end();
  const [response] = await answered;
  response.resume();
  await once(response, 'end');
  const mediaId = response.headers['packtrail-media-id'];
  return { status: response.statusCode === 204 && mediaId ? 201 : response.statusCode ?? 0, body: { mediaId } };
}

async function service(run: number, via: 'multipart' | 'tus'): Promise<{ seconds: number; serverCpuSeconds: number; peakRssMb: number }> {
  const server = await startChildServer({
    entry: build.entry,
    nodeArgs: [...build.nodeArgs, ...(values['cpu-prof-dir'] ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(values['cpu-prof-dir'])}`] : [])],
    dataDir: path.join(root, `data-${via}-${run}`),
    env: { ...build.env, ...ceph.env, BLOB_STORE: 's3', S3_BUCKET: bucket, S3_OBJECT_LOCK_DAYS: '0', MAX_DOCUMENT_BYTES: '2GiB', LOG_LEVEL: 'info' },
  });
  const agent = new http.Agent({ keepAlive: false });
  try {
    const { token, captureId } = await setUpCapture(server.url);
    server.resetPeakRss();
    const cpuBefore = cpuSeconds(server.pid);
    const started = performance.now();
    const result =
      via === 'tus'
        ? await tusUpload(server.url, token, captureId, agent)
        : await startUpload({ url: server.url, token, captureId, chunks: chunks(), size, hash: false, agent }).result;
    const seconds = (performance.now() - started) / 1000;
    if (result.status !== 201) throw new Error(`upload answered ${result.status}: ${JSON.stringify(result.body)}`);
    return { seconds, serverCpuSeconds: cpuSeconds(server.pid) - cpuBefore, peakRssMb: server.peakRssBytes() / 1e6 };
  } finally {
    agent.destroy();
    await server.stop(60_000).catch(() => server.kill());
  }
}

type ServiceRun = { seconds: number; serverCpuSeconds: number; peakRssMb: number; ratio: number };
const bareRuns: number[] = [];
const serviceRuns = new Map<string, ServiceRun[]>(paths.map((via) => [via, []]));
const spread = (list: number[], digits: number) => `${median(list).toFixed(digits)} (${Math.min(...list).toFixed(digits)}–${Math.max(...list).toFixed(digits)})`;
try {
  for (let run = 0; run < runs; run++) {
    const plain = await bare(run);
    await emptyBucket();
    bareRuns.push(plain.seconds);
    // The order is rotated from run to run, so neither path always follows the bare put.
    for (const via of run % 2 ? [...paths].reverse() : paths) {
      const through = await service(run, via);
      await emptyBucket();
      const ratio = plain.seconds / through.seconds;
      serviceRuns.get(via)!.push({ ...through, ratio });
      console.log(
        `run ${run + 1} ${via.padEnd(9)}: bare put ${mbPerSecond(plain.seconds).toFixed(0)} MB/s, service ${mbPerSecond(through.seconds).toFixed(0)} MB/s ` +
          `(ratio ${ratio.toFixed(2)}), server CPU ${through.serverCpuSeconds.toFixed(2)} s, peak RSS ${through.peakRssMb.toFixed(0)} MB`,
      );
    }
  }
  console.log(`\ns3 single ${Math.round(size / MIB)} MiB, medians of ${runs} (range); bare multipart put ${spread(bareRuns.map(mbPerSecond), 0)} MB/s`);
  console.log('| path | MB/s | ratio to bare put | server CPU s/GiB | peak RSS MB (max) |\n| --- | --- | --- | --- | --- |');
  for (const [via, list] of serviceRuns) {
    const perGiB = (seconds: number) => seconds / (size / (1024 * MIB));
    console.log(
      `| ${via} | ${spread(list.map((each) => mbPerSecond(each.seconds)), 0)} | ${spread(list.map((each) => each.ratio), 2)} | ` +
        `${spread(list.map((each) => perGiB(each.serverCpuSeconds)), 2)} | ${median(list.map((each) => each.peakRssMb)).toFixed(0)} (${Math.max(...list.map((each) => each.peakRssMb)).toFixed(0)}) |`,
    );
  }
} finally {
  client.destroy();
  fs.rmSync(root, { recursive: true, force: true });
  if (!wasRunning && process.env.PACKTRAIL_KEEP_CEPH !== '1') spawnSync('flock', ['--close', `${cephDir}.lock`, 'bash', 'scripts/ceph/stop-rgw.sh'], { stdio: 'inherit' });
}
