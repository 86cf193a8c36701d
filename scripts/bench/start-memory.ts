// `npx tsx scripts/bench/start-memory.ts [--runs 3]`: the resident memory of the server as `npm start`
// runs it, right after it listens and after the shop is set up (one scrypt, one password check), before
// any upload. The ingest benchmark's peak RSS (goal ≤ 200 MB during a 1 GiB upload) starts from this.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { setUpCapture, startChildServer } from '../../tests/helpers/child-server';
import { buildProductionServer } from './production-server';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });

const statusMb = (pid: number, field: 'VmRSS' | 'VmHWM') =>
  Number(new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1000;

const build = buildProductionServer();
const rows: { listening: number; setUp: number; peak: number }[] = [];
for (let run = 0; run < Number(values.runs); run++) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'packtrail-start-memory-'));
  const server = await startChildServer({ entry: build.entry, dataDir, env: build.env, nodeArgs: build.nodeArgs });
  try {
    await sleep(1000);
    const listening = statusMb(server.pid, 'VmRSS');
    await setUpCapture(server.url);
    await sleep(1000);
    rows.push({ listening, setUp: statusMb(server.pid, 'VmRSS'), peak: statusMb(server.pid, 'VmHWM') });
    console.log(`run ${run + 1}: ${listening.toFixed(0)} MB listening, ${rows.at(-1)!.setUp.toFixed(0)} MB after setup, peak ${rows.at(-1)!.peak.toFixed(0)} MB`);
    await server.stop(30_000);
  } finally {
    await server.kill();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
console.log(
  `median of ${rows.length}: ${median(rows.map((r) => r.listening)).toFixed(0)} MB listening, ` +
    `${median(rows.map((r) => r.setUp)).toFixed(0)} MB after setup, peak ${median(rows.map((r) => r.peak)).toFixed(0)} MB (MB = 10^6 bytes)`,
);
