// `npm run bench:search [-- --dir .bench/search --runs 3 --samples 300]`: order search as the seller
// types, over real HTTP against the real server (buildApp) on a real SQLite file holding 100,000 orders,
// 300,000 captures and 500,000 media rows (built once through the app's migrations, then reused).
// Measures each kind of search term alone, then an order page while two other clients search without
// pause, and the same with the LIKE query search used before migration 007, for comparison.
// The HTTP clients run in worker threads, so the main thread is the server's alone, as in production.
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { buildApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { openDatabase } from '../../storage/database';
import { createOrdersRepository, fragmentQuery, orderSearchSql, type OrderRow } from '../../storage/orders.repository';
import { createOrdersService } from '../../server/services/orders.service';
import { machineBusySeconds, settle } from './quiet-machine';

const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: path.join(import.meta.dirname, '..', '..', '.bench', 'search') },
    orders: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '3' },
    samples: { type: 'string', default: '300' },
    'page-samples': { type: 'string', default: '400' },
    'like-page-samples': { type: 'string', default: '100' },
    // SEARCH_WORKERS for the server: 0 searches on the main thread, as before search workers.
    'search-workers': { type: 'string', default: '1' },
  },
});
const dir = path.resolve(values.dir);
const orderCount = Number(values.orders);
const runs = Number(values.runs);
const samples = Number(values.samples);
const pageSamples = Number(values['page-samples']);
const likePageSamples = Number(values['like-page-samples']);
const searchWorkers = values['search-workers'];
const OWNER = { email: 'owner@bench.example', password: 'bench passphrase 42' };

// --- The data set ------------------------------------------------------------------------------

/** Deterministic, so every build of the data set is the same (mulberry32). */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(20260412);
const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
const digits = (count: number) => Array.from({ length: count }, () => Math.floor(random() * 10)).join('');

const FAMILY = ['김', '김', '김', '이', '이', '박', '최', '정', '강', '조', '윤', '장', '임', '한', '오', '서', '신', '권', '황', '안', '송', '류', '홍'];
const GIVEN = ['민준', '서준', '도윤', '예준', '시우', '하준', '주원', '지호', '지후', '준우', '서연', '서윤', '지우', '서현', '민서', '하은', '하윤', '윤서', '지유', '채원', '지민', '수아', '지아', '다은', '은우', '유진', '현우', '건우', '우진', '선우', '연우', '유준', '정우', '승우', '승현', '시윤', '준서', '유나', '소율', '예린'];
const FIRST = ['Olivia', 'Liam', 'Emma', 'Noah', 'Ava', 'Ethan', 'Mia', 'Lucas', 'Chloe', 'Daniel', 'Grace', 'Ryan', 'Hannah', 'Jason', 'Sophie', 'Kevin', 'Emily', 'Brian', 'Claire', 'David'];
const LAST = ['Park', 'Smith', 'Chen', 'Wang', 'Lin', 'Johnson', 'Lee', 'Brown', 'Nguyen', 'Tanaka', 'Garcia', 'Kim', 'Wilson', 'Huang', 'Taylor'];
const CHANNELS = [
  { prefix: 'CP', channel: 'coupang' },
  { prefix: 'NS', channel: 'smartstore' },
  { prefix: 'SP', channel: 'shopify' },
  { prefix: 'SP', channel: 'shopify' },
] as const;
const CARRIERS = ['CJ Logistics', 'Hanjin', 'Lotte', 'Korea Post', 'UPS'] as const;

function trackingNumber(carrier: string): string {
  if (carrier === 'UPS') return `1Z${randomBytes(3).toString('hex').toUpperCase()}${digits(10)}`;
  if (carrier === 'Korea Post') return digits(13);
  return digits(12);
}

function buildDataSet(): void {
  fs.rmSync(dir, { recursive: true, force: true });
  const db = openDatabase(dir);
  const started = performance.now();
  const insertOrder = db.prepare(
    `INSERT INTO orders (id, external_id, channel, buyer_ref, buyer_name, carrier, declared_amount, declared_currency,
                         shipped_at, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'KRW', ?, ?, ?)`,
  );
  const insertItem = db.prepare('INSERT INTO order_items (order_id, position, sku, name, quantity, unit_weight_grams, unit_value) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const insertTracking = db.prepare('INSERT INTO order_tracking_numbers (order_id, tracking_number) VALUES (?, ?)');
  const insertCapture = db.prepare(
    `INSERT INTO captures (id, order_id, kind, started_at, finished_at, station, weight_grams, weight_value, weight_unit, tracking_number, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'g', ?, ?)`,
  );
  const insertMedia = db.prepare(
    `INSERT INTO media (id, capture_id, type, mime, bytes, sha256, received_at, captured_at, captured_at_source, width, height,
                        duration_ms, processing_status, playback_status)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'exif', ?, ?, ?, 'ready', ?)`,
  );
  const firstDay = Date.UTC(2025, 3, 12);
  const span = 365 * 86_400_000;
  const batch = db.transaction((from: number, to: number) => {
    for (let id = from; id < to; id++) {
      const at = firstDay + Math.floor((id / orderCount) * span);
      const iso = new Date(at).toISOString();
      const { prefix, channel } = pick(CHANNELS);
      const day = iso.slice(0, 10).replaceAll('-', '');
      const externalId = `${prefix}-${day}-${String(id).padStart(6, '0')}`;
      const korean = random() < 0.7;
      const name = korean ? `${pick(FAMILY)}${pick(GIVEN)}` : `${pick(FIRST)} ${pick(LAST)}`;
      const buyerRef = `CUST-${String(Math.floor(random() * 60_000) + 1_000_000)}`;
      const carrier = korean ? pick(CARRIERS.slice(0, 4)) : pick(CARRIERS);
      insertOrder.run(id, externalId, channel, buyerRef, name, carrier, 10_000 + Math.floor(random() * 200) * 500, iso, iso, iso);
      const items = 1 + Math.floor(random() * 3);
      for (let position = 0; position < items; position++) {
        insertItem.run(id, position, `SKU-${digits(4)}`, `Item ${digits(3)}`, 1 + Math.floor(random() * 3), 50 + Math.floor(random() * 900), 9_900);
      }
      const numbers = [trackingNumber(carrier), ...(random() < 0.2 ? [trackingNumber(carrier)] : [])];
      for (const number of numbers) insertTracking.run(id, number);
      // Packing (photo + video), handover (two photos), and a third capture with one photo.
      const kinds = [['packing', ['photo', 'video']], ['handover', ['photo', 'photo']], [random() < 0.1 ? 'unboxing' : 'other', ['photo']]] as const;
      kinds.forEach(([kind, types], k) => {
        const captureId = randomUUID();
        const startedAt = new Date(at + k * 3_600_000).toISOString();
        const grams = 200 + Math.floor(random() * 3000);
        insertCapture.run(captureId, id, kind, startedAt, startedAt, `Station ${1 + (id % 3)}`, grams, grams, numbers[0], startedAt);
        for (const type of types) {
          const video = type === 'video';
          insertMedia.run(randomUUID(), captureId, type, video ? 'video/mp4' : 'image/jpeg', video ? 40_000_000 : 2_500_000,
            randomBytes(32).toString('hex'), startedAt, startedAt, video ? 1920 : 4032, video ? 1080 : 3024, video ? 60_000 : null,
            video ? 'ready' : null);
        }
      });
    }
  });
  for (let from = 1; from <= orderCount; from += 5000) {
    batch(from, Math.min(orderCount + 1, from + 5000));
    process.stdout.write(`\rbuilding: ${Math.min(orderCount, from + 4999).toLocaleString('en')} orders`);
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.exec('ANALYZE');
  const counts = {
    orders: db.prepare('SELECT count(*) FROM orders').pluck().get(),
    captures: db.prepare('SELECT count(*) FROM captures').pluck().get(),
    media: db.prepare('SELECT count(*) FROM media').pluck().get(),
    trackingNumbers: db.prepare('SELECT count(*) FROM order_tracking_numbers').pluck().get(),
  };
  db.close();
  fs.writeFileSync(path.join(dir, 'dataset.json'), JSON.stringify({ orderCount, counts }));
  console.log(`\nbuilt in ${((performance.now() - started) / 1000).toFixed(0)} s: ${JSON.stringify(counts)}`);
}

function ensureDataSet(): void {
  const marker = path.join(dir, 'dataset.json');
  if (fs.existsSync(marker) && JSON.parse(fs.readFileSync(marker, 'utf8')).orderCount === orderCount) {
    console.log(`reusing the data set in ${dir}`);
    return;
  }
  console.log(`building the data set in ${dir}`);
  buildDataSet();
}

// --- Search terms, drawn from the data set as a seller would type them --------------------------

interface Sample {
  orderId: string;
  buyerRef: string;
  buyerName: string;
  tracking: string;
  /** The order's day (its captures are on it), as the data set spreads orders over the year. */
  day: string;
}

/** `count` orders picked at random (with repeats), so each run's terms differ and no cache is favoured. */
function sampleOrders(db: Database.Database, count: number): Sample[] {
  const byId = db.prepare(
    `SELECT o.external_id AS orderId, o.buyer_ref AS buyerRef, o.buyer_name AS buyerName,
            (SELECT min(tracking_number) FROM order_tracking_numbers t WHERE t.order_id = o.id) AS tracking,
            substr(o.created_at, 1, 10) AS day
     FROM orders o WHERE o.id = ?`,
  );
  return Array.from({ length: count }, () => byId.get(1 + Math.floor(Math.random() * orderCount)) as Sample);
}

const koreanGiven = (name: string) => ([...name].length === 3 && /^[가-힣]+$/.test(name) ? name.slice(1) : undefined);

const searchPath = (term: string) => `/api/v1/orders?q=${encodeURIComponent(term)}`;
const addDays = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** Each shape: a label and the searches (one per sample): terms typed, or filters with no term. */
function searchShapes(samplesOf: Sample[]): { label: string; terms?: string[]; paths: string[] }[] {
  const korean = samplesOf.filter((s) => koreanGiven(s.buyerName));
  const lastDay = samplesOf.map((s) => s.day).sort().at(-1)!;
  const typed: { label: string; terms: string[] }[] = [
    { label: 'full order ID', terms: samplesOf.map((s) => s.orderId) },
    { label: 'order-ID fragment (last 5 digits)', terms: samplesOf.map((s) => s.orderId.slice(-5)) },
    { label: 'full tracking number', terms: samplesOf.map((s) => s.tracking) },
    { label: 'tracking number, 4 digits from the middle', terms: samplesOf.map((s) => s.tracking.slice(4, 8)) },
    { label: 'buyer name, Hangul full name (3 syllables)', terms: korean.map((s) => s.buyerName) },
    { label: 'buyer name, Hangul given name (2 syllables)', terms: korean.map((s) => koreanGiven(s.buyerName)!) },
    { label: 'buyer ref (exact)', terms: samplesOf.map((s) => s.buyerRef) },
    { label: 'typo, no match', terms: samplesOf.map((s) => `${s.orderId.slice(-4)}zq`) },
  ];
  return [
    ...typed.map((shape) => ({ ...shape, paths: shape.terms.map(searchPath) })),
    // A narrow range long ago is where walking orders newest first was slowest (every newer order passed).
    {
      label: 'no term, 2 days in the older half of the year',
      paths: samplesOf.filter((s) => s.day < addDays(lastDay, -183)).map((s) => `/api/v1/orders?from=${s.day}&to=${addDays(s.day, 1)}`),
    },
    { label: 'no term, the last 7 days', paths: samplesOf.map(() => `/api/v1/orders?from=${addDays(lastDay, -6)}&to=${lastDay}`) },
  ];
}

// --- HTTP clients in worker threads -------------------------------------------------------------

/** Plain JavaScript (run with eval), so the workers need no TypeScript loader. */
const CLIENT = `
const { parentPort, workerData } = require('node:worker_threads');
const { url, token, paths, mode, stop } = workerData;
const flag = new Int32Array(stop);
async function get(path) {
  const response = await fetch(url + path, { headers: { authorization: 'Bearer ' + token } });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(path + ' answered ' + response.status);
}
(async () => {
  if (mode === 'measure') {
    for (const path of paths.slice(0, 5)) await get(path);
    const times = [];
    for (const path of paths) {
      const started = performance.now();
      await get(path);
      times.push(performance.now() - started);
    }
    parentPort.postMessage({ times });
  } else {
    let requests = 0;
    while (Atomics.load(flag, 0) === 0) await get(paths[requests++ % paths.length]);
    parentPort.postMessage({ requests });
  }
})().catch((error) => parentPort.postMessage({ error: String(error) }));
`;

function runClient(url: string, token: string, paths: string[], mode: 'measure' | 'load', stop: SharedArrayBuffer) {
  const worker = new Worker(CLIENT, { eval: true, workerData: { url, token, paths, mode, stop } });
  return new Promise<{ times?: number[]; requests?: number }>((resolve, reject) => {
    worker.once('message', (message) => {
      void worker.terminate();
      if (message.error) reject(new Error(message.error));
      else resolve(message);
    });
    worker.once('error', reject);
  });
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
function stats(times: number[]) {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted[sorted.length - 1] };
}
const ms = (value: number) => `${value.toFixed(2)} ms`;
const median = (numbers: number[]) => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)];

/** Measures `paths` from one client while `loadClients` others fetch `loadPaths` without pause. */
async function measureUnderLoad(url: string, token: string, paths: string[], loadPaths: string[], loadClients: number) {
  const stop = new SharedArrayBuffer(4);
  const load = Array.from({ length: loadClients }, (_, i) => runClient(url, token, [...loadPaths.slice(i), ...loadPaths.slice(0, i)], 'load', stop));
  // Let the searchers get going before the first timed request.
  if (loadClients > 0) await new Promise((resolve) => setTimeout(resolve, 300));
  const busyBefore = machineBusySeconds();
  const started = performance.now();
  const { times } = await runClient(url, token, paths, 'measure', stop);
  const seconds = (performance.now() - started) / 1000;
  Atomics.store(new Int32Array(stop), 0, 1);
  const searches = (await Promise.all(load)).reduce((sum, result) => sum + result.requests!, 0);
  const cpus = (machineBusySeconds() - busyBefore) / seconds;
  return { ...stats(times!), searchesPerSecond: searches / seconds, cpus };
}

// --- The old search, for comparison -------------------------------------------------------------

/** The search before migration 007 (three LIKE '%q%' tests and a correlated tracking-number probe). */
const LIKE_SEARCH = `SELECT o.* FROM orders o
  WHERE o.id < @before
    AND (o.external_id LIKE @pattern ESCAPE '\\'
         OR o.buyer_ref LIKE @pattern ESCAPE '\\'
         OR o.buyer_name LIKE @pattern ESCAPE '\\'
         OR EXISTS (SELECT 1 FROM order_tracking_numbers t
                    WHERE t.order_id = o.id AND t.tracking_number LIKE @pattern ESCAPE '\\'))
  ORDER BY o.id DESC
  LIMIT @limit`;

// --- Main ---------------------------------------------------------------------------------------

ensureDataSet();
const config = loadConfig({ DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', SEARCH_WORKERS: searchWorkers });
const app = await buildApp(config);
// The old query, served by the same event loop on its own connection and answered as the endpoint
// answered it (each order summarized): it stalls the server as it did.
const likeDb = openDatabase(dir);
const likeSearch = likeDb.prepare(LIKE_SEARCH);
const likeOrders = createOrdersService({ db: likeDb, orders: createOrdersRepository(likeDb), clock: () => new Date() });
app.get('/bench/like-search', { config: { allow: 'public' } }, async (request) => {
  const q = (request.query as { q: string }).q;
  const rows = likeSearch.all({ pattern: `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`, before: Number.MAX_SAFE_INTEGER, limit: 51 }) as OrderRow[];
  return { items: rows.slice(0, 50).map((row) => likeOrders.summarize(row)), nextCursor: null };
});
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

let setup = await fetch(`${url}/api/v1/setup`, {
  method: 'POST', headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ ...OWNER, shopName: '벤치 상점', timezone: 'Asia/Seoul' }),
});
if (setup.status !== 201) {
  setup = await fetch(`${url}/api/v1/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(OWNER) });
}
const { token } = (await setup.json()) as { token: string };
if (!token) throw new Error(`could not sign in: ${setup.status}`);

const db = new Database(path.join(dir, 'packtrail.sqlite'), { readonly: true });
console.log(`Search benchmark: ${JSON.stringify(JSON.parse(fs.readFileSync(path.join(dir, 'dataset.json'), 'utf8')).counts)}`);
console.log(`Node ${process.version}, SQLite ${db.prepare('SELECT sqlite_version()').pluck().get()}, ${os.cpus().length} CPUs, ${runs} runs of ${samples} samples per shape, SEARCH_WORKERS=${config.searchWorkers}\n`);

// Query plans, one per statement a search shape uses.
const plan = (sql: string, params: object) =>
  (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { id: number; parent: number; detail: string }[])
    .map((row) => `    ${row.parent === 0 ? '' : '  '}${row.detail}`).join('\n');
const before = Number.MAX_SAFE_INTEGER;
console.log('Query plans:');
console.log(`  exact matches (every term is looked up here first):\n${plan(orderSearchSql.exactMatches(), { term: 'CP-20260101-000001', buyerRef: 'CP-20260101-000001', before, limit: 51 })}`);
console.log(`  fragment, 3 characters or more (fragmentQuery "4567" = ${fragmentQuery('4567')}):\n${plan(orderSearchSql.fragmentMatches(), { match: fragmentQuery('4567'), term: '4567', buyerRef: '4567', before, limit: 51 })}`);
console.log(`  fragment, 2 characters (fragmentQuery "민준" = ${fragmentQuery('민준')}):\n${plan(orderSearchSql.fragmentMatches(), { match: fragmentQuery('민준'), term: '민준', buyerRef: '민준', before, limit: 51 })}`);
const longAgo = { from: '2025-05-01T00:00:00Z', to: '2025-05-03T00:00:00Z' };
console.log(`  no term, a narrow date range long ago (read from the captures in the range):\n${plan(orderSearchSql.recentInRange(longAgo), { ...longAgo, before, limit: 51 })}`);
console.log(`  no term, any other date range (orders newest first until the page is full):\n${plan(orderSearchSql.recent(longAgo), { ...longAgo, before, limit: 51 })}`);
console.log(`  old LIKE search, for comparison:\n${plan(LIKE_SEARCH, { pattern: '%4567%', before, limit: 51 })}\n`);

const results: Record<string, { p50: number; p95: number; extra?: string }[]> = {};
const record = (label: string, value: { p50: number; p95: number; extra?: string }) => (results[label] ??= []).push(value);
for (let run = 1; run <= runs; run++) {
  console.log(`run ${run}:`);
  const shapes = searchShapes(sampleOrders(db, samples));
  // The machine is shared: wait once per run for it to go quiet (at most a minute), not per measure.
  await settle();
  for (const shape of shapes) {
    const { paths } = shape;
    const result = await measureUnderLoad(url, token, paths, [], 0);
    console.log(`  search, ${shape.label.padEnd(46)} p50 ${ms(result.p50)}  p95 ${ms(result.p95)}  max ${ms(result.max)}  (${paths.length} searches, ${result.cpus.toFixed(1)} CPUs busy)`);
    record(`search: ${shape.label}`, result);
  }

  const pages = sampleOrders(db, pageSamples).map((s) => `/api/v1/orders/${encodeURIComponent(s.orderId)}`);
  // The searchers type what sellers type: every shape, mixed (the old query had terms only).
  const mix = <T>(list: T[]) => list.map((_, i) => list[(i * 7919) % list.length]);
  const typed = mix(shapes.flatMap((shape) => shape.terms ?? []));
  const searches = mix(shapes.flatMap((shape) => shape.paths));
  const quiet = await measureUnderLoad(url, token, pages, [], 0);
  console.log(`  order page, no other clients                          p50 ${ms(quiet.p50)}  p95 ${ms(quiet.p95)}  max ${ms(quiet.max)}  (${quiet.cpus.toFixed(1)} CPUs busy)`);
  record('order page, no other clients', quiet);
  const loaded = await measureUnderLoad(url, token, pages, searches, 2);
  const loadNote = `${Math.round(loaded.searchesPerSecond)} searches/s alongside, ${loaded.cpus.toFixed(1)} CPUs busy`;
  console.log(`  order page, 2 clients searching without pause         p50 ${ms(loaded.p50)}  p95 ${ms(loaded.p95)}  max ${ms(loaded.max)}  (${loadNote})`);
  record('order page, 2 clients searching without pause', { ...loaded, extra: loadNote });
  const old = await measureUnderLoad(url, token, pages.slice(0, likePageSamples), typed.map((term) => `/bench/like-search?q=${encodeURIComponent(term)}`), 2);
  const oldNote = `${Math.round(old.searchesPerSecond)} searches/s alongside, ${old.cpus.toFixed(1)} CPUs busy`;
  console.log(`  order page, 2 clients searching with the old LIKE query p50 ${ms(old.p50)}  p95 ${ms(old.p95)}  max ${ms(old.max)}  (${oldNote})`);
  record('order page, 2 clients searching with the old LIKE query', { ...old, extra: oldNote });
}

console.log(`\nSummary, median of ${runs} runs (range in brackets):`);
console.log('| measure | p50 | p95 |\n| --- | --- | --- |');
const range = (numbers: number[]) => `${median(numbers).toFixed(2)} ms (${Math.min(...numbers).toFixed(2)}–${Math.max(...numbers).toFixed(2)})`;
for (const [label, values] of Object.entries(results)) {
  console.log(`| ${label} | ${range(values.map((v) => v.p50))} | ${range(values.map((v) => v.p95))} |`);
}

likeDb.close();
db.close();
await app.close();
