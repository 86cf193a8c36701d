// `npm run bench:s3 [-- --runs 2 --size 1073741824]`: one upload through the service with BLOB_STORE=s3
// (a multipart POST, answered 201 once the original is committed in the bucket) against a bare
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
import { pdfChunks, setUpCapture, startChildServer, startUpload } from '../../tests/helpers/child-server';
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
  },
});
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

async function service(run: number): Promise<{ seconds: number; serverCpuSeconds: number; peakRssMb: number }> {
  const server = await startChildServer({
    entry: build.entry,
    nodeArgs: [...build.nodeArgs, ...(values['cpu-prof-dir'] ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(values['cpu-prof-dir'])}`] : [])],
    dataDir: path.join(root, `data-${run}`),
    env: { ...build.env, ...ceph.env, BLOB_STORE: 's3', S3_BUCKET: bucket, S3_OBJECT_LOCK_DAYS: '0', MAX_DOCUMENT_BYTES: '2GiB', LOG_LEVEL: 'info' },
  });
  const agent = new http.Agent({ keepAlive: false });
  try {
    const { token, captureId } = await setUpCapture(server.url);
    server.resetPeakRss();
    const cpuBefore = cpuSeconds(server.pid);
    const started = performance.now();
    const result = await startUpload({ url: server.url, token, captureId, chunks: chunks(), size, hash: false, agent }).result;
    const seconds = (performance.now() - started) / 1000;
    if (result.status !== 201) throw new Error(`upload answered ${result.status}: ${JSON.stringify(result.body)}`);
    return { seconds, serverCpuSeconds: cpuSeconds(server.pid) - cpuBefore, peakRssMb: server.peakRssBytes() / 1e6 };
  } finally {
    agent.destroy();
    await server.stop(60_000).catch(() => server.kill());
  }
}

const bareRuns: number[] = [];
const serviceRuns: { seconds: number; serverCpuSeconds: number; peakRssMb: number }[] = [];
try {
  for (let run = 0; run < runs; run++) {
    const plain = await bare(run);
    await emptyBucket();
    const through = await service(run);
    await emptyBucket();
    bareRuns.push(plain.seconds);
    serviceRuns.push(through);
    console.log(
      `run ${run + 1}: bare put ${mbPerSecond(plain.seconds).toFixed(0)} MB/s, service ${mbPerSecond(through.seconds).toFixed(0)} MB/s ` +
        `(ratio ${(plain.seconds / through.seconds).toFixed(2)}), server CPU ${through.serverCpuSeconds.toFixed(1)} s, peak RSS ${through.peakRssMb.toFixed(0)} MB`,
    );
  }
  const bareMedian = median(bareRuns);
  const serviceMedian = median(serviceRuns.map((each) => each.seconds));
  console.log(
    `s3 single ${Math.round(size / MIB)} MiB, median of ${runs}: bare multipart put ${mbPerSecond(bareMedian).toFixed(0)} MB/s, ` +
      `service ${mbPerSecond(serviceMedian).toFixed(0)} MB/s, ratio ${(bareMedian / serviceMedian).toFixed(2)}, ` +
      `server CPU ${median(serviceRuns.map((each) => each.serverCpuSeconds)).toFixed(1)} s/upload, peak RSS ${Math.max(...serviceRuns.map((each) => each.peakRssMb)).toFixed(0)} MB`,
  );
} finally {
  client.destroy();
  fs.rmSync(root, { recursive: true, force: true });
  if (!wasRunning && process.env.PACKTRAIL_KEEP_CEPH !== '1') spawnSync('flock', ['--close', `${cephDir}.lock`, 'bash', 'scripts/ceph/stop-rgw.sh'], { stdio: 'inherit' });
}
