// `npm run bench:ledger [-- --entries 1000000 --samples 2000]`: how fast the evidence ledger appends
// and proves at scale, on a real SQLite file with the production pragmas, in a temporary folder.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createLedgerService, type LedgerAppendInput } from '../../server/services/ledger/ledger.service';
import { verifyConsistency, verifyInclusion } from '../../server/services/ledger/merkle';
import { openDatabase } from '../../storage/database';

const { values } = parseArgs({
  options: {
    entries: { type: 'string', default: '1000000' },
    samples: { type: 'string', default: '2000' },
    'durable-appends': { type: 'string', default: '1000' },
    'batch-size': { type: 'string', default: '1000' },
  },
});
const entries = Number(values.entries);
const samples = Number(values.samples);
const durableAppends = Number(values['durable-appends']);
const batchSize = Number(values['batch-size']);

function entry(i: number): LedgerAppendInput {
  return {
    mediaId: `m${i.toString(36).padStart(8, '0')}`,
    sha256: createHash('sha256').update(`original ${i}`).digest('hex'),
    bytes: 1_000_000 + i,
    mime: i % 4 === 0 ? 'image/jpeg' : 'video/mp4',
    receivedAt: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
    captureId: `c${Math.floor(i / 4)}`,
    orderId: `ORDER-${100000 + Math.floor(i / 4)}`,
    kind: 'packing',
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function timeEach(count: number, work: (i: number) => void): { median: number; p99: number } {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint();
    work(i);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { median: percentile(times, 50), p99: percentile(times, 99) };
}

const random = (below: number) => Math.floor(Math.random() * below);
const ms = (value: number) => `${value.toFixed(3)} ms`;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'packtrail-ledger-bench-'));
try {
  const db = openDatabase(dir);
  const ledger = createLedgerService({ db, dataDir: dir, origin: 'bench.packtrail.example/shop' });
  console.log(`Ledger benchmark: ${entries.toLocaleString('en')} entries in ${dir} (Node ${process.version}, ${os.cpus().length} CPUs)`);

  // Bulk: many appends per transaction, as a migration or import would; measures the tree code and SQLite, not fsync.
  const bulkStart = performance.now();
  const appendBatch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) ledger.append(entry(i));
  });
  for (let from = 0; from < entries; from += batchSize) appendBatch(from, Math.min(entries, from + batchSize));
  const bulkSeconds = (performance.now() - bulkStart) / 1000;
  console.log(`bulk append:        ${Math.round(entries / bulkSeconds).toLocaleString('en')} appends/s (${batchSize} per transaction, ${bulkSeconds.toFixed(1)} s)`);

  // Durable: one transaction per append, each committed with synchronous=FULL, as an upload does.
  const durableStart = performance.now();
  for (let i = entries; i < entries + durableAppends; i++) ledger.append(entry(i));
  const durableSeconds = (performance.now() - durableStart) / 1000;
  console.log(`durable append:     ${Math.round(durableAppends / durableSeconds).toLocaleString('en')} appends/s (one fsync'd transaction each)`);
  const size = entries + durableAppends;

  const checkpointStart = performance.now();
  const checkpoint = ledger.checkpoint();
  console.log(`checkpoint:         ${ms(performance.now() - checkpointStart)} to sign tree of ${checkpoint.size.toLocaleString('en')}`);
  const root = Buffer.from(checkpoint.rootHash, 'hex');

  const inclusion = timeEach(samples, () => ledger.inclusionProof(entry(random(size)).mediaId));
  console.log(`inclusion proof:    median ${ms(inclusion.median)}, p99 ${ms(inclusion.p99)} (${samples} random leaves, latest checkpoint)`);

  const pastInclusion = timeEach(samples, () => {
    const index = random(size);
    ledger.inclusionProof(entry(index).mediaId, index + 1 + random(size - index));
  });
  console.log(`inclusion proof:    median ${ms(pastInclusion.median)}, p99 ${ms(pastInclusion.p99)} (random past tree sizes)`);

  const consistency = timeEach(samples, () => {
    const newSize = 1 + random(size);
    ledger.consistencyProof(1 + random(newSize), newSize);
  });
  console.log(`consistency proof:  median ${ms(consistency.median)}, p99 ${ms(consistency.p99)} (${samples} random size pairs)`);

  // The figures mean nothing if the proofs are wrong: check a sample against the signed root.
  for (let i = 0; i < 200; i++) {
    const proof = ledger.inclusionProof(entry(random(size)).mediaId);
    const ok = verifyInclusion(Buffer.from(proof.leafHash, 'hex'), proof.leafIndex, proof.treeSize, proof.proof.map((h) => Buffer.from(h, 'hex')), root);
    if (!ok) throw new Error(`inclusion proof for leaf ${proof.leafIndex} does not verify`);
    const oldSize = 1 + random(size);
    const c = ledger.consistencyProof(oldSize, size);
    if (!verifyConsistency(oldSize, size, Buffer.from(c.oldRootHash, 'hex'), root, c.proof.map((h) => Buffer.from(h, 'hex')))) {
      throw new Error(`consistency proof ${oldSize} -> ${size} does not verify`);
    }
  }
  console.log('proofs checked:     200 inclusion and 200 consistency proofs verify against the signed root');

  db.pragma('wal_checkpoint(TRUNCATE)');
  const fileBytes = fs.statSync(path.join(dir, 'packtrail.sqlite')).size;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  console.log(`database file:      ${(fileBytes / 1024 / 1024).toFixed(0)} MB`);
  console.log(`peak RSS:           ${peakRssMb.toFixed(0)} MB`);
  console.log(
    JSON.stringify({
      entries: size,
      bulkAppendsPerSecond: Math.round(entries / bulkSeconds),
      durableAppendsPerSecond: Math.round(durableAppends / durableSeconds),
      inclusionMedianMs: inclusion.median,
      inclusionP99Ms: inclusion.p99,
      pastInclusionMedianMs: pastInclusion.median,
      pastInclusionP99Ms: pastInclusion.p99,
      consistencyMedianMs: consistency.median,
      consistencyP99Ms: consistency.p99,
      databaseMb: Math.round(fileBytes / 1024 / 1024),
      peakRssMb: Math.round(peakRssMb),
    }),
  );
  db.close();
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
