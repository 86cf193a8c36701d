// `npm run bench:import [-- --rows 50000 --runs 3 --dir .bench/import]`: a marketplace-sized order export
// (an XLSX of 50,000 rows, made once and cached) imported through the real server as `npm start` runs
// it, over HTTP: upload into a preview, then commit; then the same file again (every order unchanged).
// Reports seconds, the server's peak RSS, /healthz latency sampled every 50 ms throughout (failures
// counted), and what became of a seller's saves and a packer's lookups sent during the first commit.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import ExcelJS from 'exceljs';
import { apiJson, startChildServer, type ChildServer } from '../../tests/helpers/child-server';
import { buildProductionServer } from './production-server';
import { settle } from './quiet-machine';

const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: path.join(import.meta.dirname, '..', '..', '.bench', 'import') },
    rows: { type: 'string', default: '50000' },
    runs: { type: 'string', default: '3' },
  },
});
const dir = path.resolve(values.dir);
const rowCount = Number(values.rows);
const runs = Number(values.runs);
const MIB = 1024 * 1024;

/** Deterministic (mulberry32), so the cached file is the same file every time it is made. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FAMILY = ['김', '이', '박', '최', '정', '강', '조', '윤', '장', '임'];
const GIVEN = ['민준', '서준', '도윤', '서연', '지우', '하은', '지호', '수아', '예린', '현우'];
const PRODUCTS = [['MUG-WHT', '머그컵 화이트'], ['MUG-BLK', '머그컵 블랙'], ['TEA-GRN', '녹차 티백 20입'], ['SPN-WOD', '나무 스푼'], ['BWL-02', '세라믹 볼'], ['PLT-03', '접시 세트']];
const HEADER = ['상품주문번호', '주문번호', '구매자명', '구매자ID', '수취인명', '택배사', '송장번호', '판매자 상품코드', '상품명', '수량', '상품가격', '최종 상품별 총 주문금액', '배송메세지'];

/** A Naver Smart Store-shaped export: one row per item, orders of one to three items. */
async function makeWorkbook(file: string): Promise<void> {
  const random = prng(20261126);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: `${file}.partial`, useSharedStrings: true });
  const sheet = workbook.addWorksheet('발주발송관리');
  sheet.addRow(HEADER).commit();
  let written = 0;
  for (let order = 1; written < rowCount; order++) {
    const orderId = `2026112${String(order).padStart(9, '0')}`;
    const name = pick(FAMILY) + pick(GIVEN);
    const buyer = `buyer${Math.floor(random() * 20_000)}`;
    const tracking = `6401${String(order).padStart(8, '0')}`;
    const items = 1 + Math.floor(random() * random() * 3);
    for (let item = 0; item < items && written < rowCount; item++, written++) {
      const [sku, product] = pick(PRODUCTS);
      const quantity = 1 + Math.floor(random() * 3);
      const price = 3000 + Math.floor(random() * 20) * 500;
      sheet.addRow([`${orderId}${item}`, orderId, name, buyer, name, 'CJ대한통운', tracking, sku, product, quantity, price, price * quantity, random() < 0.3 ? '문 앞에 놓아 주세요' : '']).commit();
    }
  }
  sheet.commit();
  await workbook.commit();
  await fsp.rename(`${file}.partial`, file);
}

/**
 * /healthz every 50 ms from a keep-alive connection; each answer's latency, until stopped. An answer
 * that is not a 200, or that takes longer than a second, is a failure and counted as one (never dropped).
 */
function sampleHealth(url: string) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const latencies: number[] = [];
  let failures = 0;
  let stopped = false;
  const once = () =>
    new Promise<void>((resolve) => {
      const started = performance.now();
      const request = http.get(`${url}/healthz`, { agent, timeout: 1000 }, (response) => {
        response.resume();
        response.on('end', () => {
          if (response.statusCode === 200) latencies.push(performance.now() - started);
          else failures++;
          resolve();
        });
      });
      request.on('timeout', () => request.destroy(new Error('healthz took over a second')));
      request.on('error', () => {
        failures++;
        resolve();
      });
    });
  const loop = (async () => {
    while (!stopped) {
      const started = performance.now();
      await once();
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 50 - (performance.now() - started))));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      agent.destroy();
      return { latencies, failures };
    },
  };
}

/**
 * While an import commits: a seller saving an order and a packer's phone looking one up, each every
 * 100 ms. Counts what became of them: done, answered 503 DATABASE_BUSY (to be retried), or anything else.
 */
function keepWorking(url: string, ownerToken: string, packerToken: string, run: number) {
  const counts = { saved: 0, saveBusy: 0, looked: 0, lookBusy: 0, other: 0 };
  let stopped = false;
  const every100ms = async (send: (n: number) => Promise<Response>, ok: 'saved' | 'looked', busy: 'saveBusy' | 'lookBusy') => {
    for (let n = 1; !stopped; n++) {
      const response = await send(n);
      await response.arrayBuffer();
      if (response.status === 200 || response.status === 201) counts[ok]++;
      else if (response.status === 503) counts[busy]++;
      else counts.other++;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const json = { 'content-type': 'application/json' };
  const loops = Promise.all([
    every100ms(
      (n) => fetch(`${url}/api/v1/orders/WRITER-${run}-${n}`, {
        method: 'PUT', headers: { authorization: `Bearer ${ownerToken}`, ...json }, body: JSON.stringify({ items: [{ name: 'Mug', quantity: 1, unitWeightGrams: 380 }] }),
      }),
      'saved', 'saveBusy',
    ),
    every100ms((n) => fetch(`${url}/api/v1/orders?q=${n}`, { headers: { authorization: `Bearer ${packerToken}` } }), 'looked', 'lookBusy'),
  ]);
  return {
    async stop() {
      stopped = true;
      await loops;
      return counts;
    },
  };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};
const median = (values: number[]) => percentile(values, 50);

async function upload(url: string, token: string, file: string) {
  const form = new FormData();
  form.append('channel', 'naver_smartstore');
  form.append('file', await fs.openAsBlob(file), path.basename(file));
  const response = await fetch(`${url}/api/v1/orders/imports`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  const body = await response.json();
  if (response.status !== 201) throw new Error(`preview: ${response.status} ${JSON.stringify(body)}`);
  return body as { id: string; totals: Record<string, number> };
}

/** One phase (preview or commit) timed, with the server's peak RSS and /healthz latencies during it. */
async function phase<T>(server: ChildServer, work: () => Promise<T>) {
  server.resetPeakRss();
  const health = sampleHealth(server.url);
  const started = performance.now();
  const result = await work();
  const seconds = (performance.now() - started) / 1000;
  const { latencies, failures } = await health.stop();
  return {
    result, seconds, peakMiB: server.peakRssBytes() / MIB,
    healthMaxMs: Math.max(...latencies), healthP99Ms: percentile(latencies, 99), samples: latencies.length, healthFailures: failures,
  };
}

async function main(): Promise<void> {
  await fsp.mkdir(dir, { recursive: true });
  const file = path.join(dir, `orders-${rowCount}.xlsx`);
  if (!fs.existsSync(file)) {
    console.log(`making ${file} …`);
    await makeWorkbook(file);
  }
  console.log(`${file}: ${(fs.statSync(file).size / MIB).toFixed(1)} MiB, ${rowCount} rows`);
  const production = buildProductionServer();
  const rows: Record<string, number>[] = [];
  for (let run = 1; run <= runs; run++) {
    const dataDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'packtrail-import-bench-'));
    const server = await startChildServer({ ...production, dataDir, env: production.env });
    try {
      const { token } = await apiJson<{ token: string }>(server.url, 'POST', '/api/v1/setup', {
        json: { email: 'owner@bench.example', password: 'bench passphrase 42', shopName: 'Bench', timezone: 'Asia/Seoul' },
      });
      await settle();
      const preview = await phase(server, () => upload(server.url, token, file));
      await settle();
      const packer = await apiJson<{ token: string }>(server.url, 'POST', '/api/v1/devices', { token, json: { name: 'Bench phone' } });
      const others = keepWorking(server.url, token, packer.token, run);
      const commit = await phase(server, () => apiJson<{ created: number }>(server.url, 'POST', `/api/v1/orders/imports/${preview.result.id}/commit`, { token, expect: 200 }));
      const work = await others.stop();
      await settle();
      const again = await phase(server, () => upload(server.url, token, file));
      const againCommit = await phase(server, () => apiJson<{ unchanged: number }>(server.url, 'POST', `/api/v1/orders/imports/${again.result.id}/commit`, { token, expect: 200 }));
      const row = {
        run,
        orders: commit.result.created,
        previewS: preview.seconds,
        commitS: commit.seconds,
        totalS: preview.seconds + commit.seconds,
        previewPeakRssMiB: preview.peakMiB,
        commitPeakRssMiB: commit.peakMiB,
        previewHealthMaxMs: preview.healthMaxMs,
        previewHealthP99Ms: preview.healthP99Ms,
        commitHealthMaxMs: commit.healthMaxMs,
        commitHealthP99Ms: commit.healthP99Ms,
        healthSamples: preview.samples + commit.samples,
        healthFailures: preview.healthFailures + commit.healthFailures,
        commitSaves: work.saved,
        commitSavesBusy: work.saveBusy,
        commitLookups: work.looked,
        commitLookupsBusy: work.lookBusy,
        commitOtherAnswers: work.other,
        reimportS: again.seconds + againCommit.seconds,
        reimportUnchanged: againCommit.result.unchanged,
        reimportHealthMaxMs: Math.max(again.healthMaxMs, againCommit.healthMaxMs),
        reimportHealthFailures: again.healthFailures + againCommit.healthFailures,
      };
      rows.push(row);
      console.log(
        `run ${run}: ${row.orders} orders · preview ${row.previewS.toFixed(2)} s + commit ${row.commitS.toFixed(2)} s · peak RSS ${row.previewPeakRssMiB.toFixed(0)} MiB in preview, ${row.commitPeakRssMiB.toFixed(0)} MiB in commit · ` +
          `healthz max ${row.previewHealthMaxMs.toFixed(0)} ms (p99 ${row.previewHealthP99Ms.toFixed(0)}) in preview, max ${row.commitHealthMaxMs.toFixed(0)} ms (p99 ${row.commitHealthP99Ms.toFixed(0)}) in commit · ` +
          `re-import ${row.reimportS.toFixed(2)} s (${row.reimportUnchanged} unchanged, healthz max ${row.reimportHealthMaxMs.toFixed(0)} ms) · ` +
          `healthz failures ${row.healthFailures + row.reimportHealthFailures} · during the commit: ${row.commitSaves} saves done, ${row.commitSavesBusy} busy (503); ` +
          `${row.commitLookups} packer lookups done, ${row.commitLookupsBusy} busy; ${row.commitOtherAnswers} other answers`,
      );
    } finally {
      await server.stop();
      await fsp.rm(dataDir, { recursive: true, force: true });
    }
  }
  const spread = (key: string) => {
    const values = rows.map((row) => row[key]);
    return `${median(values).toFixed(2)} (${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)})`;
  };
  const summary = Object.fromEntries(
    ['previewS', 'commitS', 'totalS', 'previewPeakRssMiB', 'commitPeakRssMiB', 'previewHealthMaxMs', 'previewHealthP99Ms', 'commitHealthMaxMs', 'commitHealthP99Ms', 'reimportS', 'reimportHealthMaxMs', 'healthFailures', 'reimportHealthFailures', 'commitSaves', 'commitSavesBusy', 'commitLookups', 'commitLookupsBusy', 'commitOtherAnswers'].map((key) => [key, spread(key)]),
  );
  console.log('\nmedian (min–max) of runs:');
  console.table(summary);
  console.log(JSON.stringify({ rows: rowCount, runs, ...summary }));
}

await main();
