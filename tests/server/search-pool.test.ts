// Order search in worker threads: same answers as on the main thread, read-your-writes, a stopped
// worker answers 503 and is replaced, and the server closes cleanly with a worker running.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config';
import { AppError } from '../../server/errors';
import { createWorkerPool } from '../../server/services/search-pool';
import { openDatabase } from '../../storage/database';
import { createOrdersRepository, orderSearchSql, type OrderFilters } from '../../storage/orders.repository';
import { setUpShop, startServer, tempDir, type TestServer } from '../helpers/server';

interface Page {
  items: { orderId: string; buyer?: { name?: string } }[];
  nextCursor: string | null;
}

async function put(server: TestServer, token: string, orderId: string, json: unknown) {
  const response = await server.request('PUT', `/api/v1/orders/${encodeURIComponent(orderId)}`, { token, json });
  expect(response.status).toBeLessThan(300);
}

async function search(server: TestServer, token: string, query: string): Promise<Page> {
  const response = await server.request('GET', `/api/v1/orders?${query}`, { token });
  expect(response.status).toBe(200);
  return (await response.json()) as Page;
}

describe('search workers', () => {
  let server: TestServer;
  let token: string;

  beforeAll(async () => {
    server = await startServer({ SEARCH_WORKERS: '2' });
    token = await (await setUpShop(server)).token('seller');
  });
  afterAll(() => server.close());

  it('see an order the moment its PUT has answered, and its changes too', async () => {
    for (let n = 0; n < 20; n++) {
      const orderId = `RYW-${String(n).padStart(4, '0')}`;
      await put(server, token, orderId, { buyer: { ref: `ref-${n}`, name: `Buyer ${n}` }, trackingNumbers: [`77${n}0001`] });
      expect((await search(server, token, `q=${orderId}`)).items.map((order) => order.orderId)).toEqual([orderId]);
      await put(server, token, orderId, { buyer: { name: `Renamed ${n}xq` } });
      const renamed = await search(server, token, `q=${encodeURIComponent(`Renamed ${n}xq`)}`);
      expect(renamed.items.map((order) => [order.orderId, order.buyer?.name])).toEqual([[orderId, `Renamed ${n}xq`]]);
    }
  });

  it('answer exactly what a search on the main thread answers, page after page', async () => {
    const onMainThread = await startServer({ SEARCH_WORKERS: '0' }, { dataDir: server.dataDir });
    try {
      for (const query of ['q=RYW', 'q=RYW&limit=7', 'q=Buyer', 'q=ref-1', 'limit=3', 'q=77', 'q=zz-nothing']) {
        let [fromWorker, fromMain] = await Promise.all([search(server, token, query), search(onMainThread, token, query)]);
        expect(fromWorker).toEqual(fromMain);
        while (fromWorker.nextCursor) {
          const next = `${query}&cursor=${fromWorker.nextCursor}`;
          [fromWorker, fromMain] = await Promise.all([search(server, token, next), search(onMainThread, token, next)]);
          expect(fromWorker).toEqual(fromMain);
        }
      }
    } finally {
      await onMainThread.close();
    }
  });

  it('leave bad input to the main thread: a bad cursor is still a 400', async () => {
    const response = await server.request('GET', '/api/v1/orders?q=RYW&cursor=bm90LWEtY3Vyc29y', { token });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { code: string }).code).toBe('VALIDATION_FAILED');
  });

  it('let the server close while searches are under way', async () => {
    const closing = await startServer({}, { dataDir: tempDir() });
    const closingToken = (await setUpShop(closing)).ownerToken;
    await put(closing, closingToken, 'CLOSE-1', {});
    const searches = Array.from({ length: 5 }, () => closing.request('GET', '/api/v1/orders?q=CLOSE', { token: closingToken }).catch(() => undefined));
    const started = Date.now();
    await closing.close();
    expect(Date.now() - started).toBeLessThan(5_000);
    for (const response of await Promise.all(searches)) {
      // Answered before the close, or refused as the server stopped: never left hanging.
      if (response) expect([200, 503]).toContain(response.status);
    }
  });
});

describe('the worker pool', () => {
  // A worker that answers `echo` and dies on `crash`, as a worker hit by a fault in native code would.
  const entry = path.join(tempDir(), 'crashing-worker.mjs');
  fs.writeFileSync(
    entry,
    `import { parentPort } from 'node:worker_threads';
     parentPort.on('message', ({ id, message }) => {
       if (message === 'crash') process.exit(1);
       parentPort.postMessage({ id, result: { echo: message } });
     });`,
  );

  it('answers 503 SEARCH_UNAVAILABLE for a request whose worker died, and starts a new worker for the next', async () => {
    const errors: unknown[] = [];
    const pool = createWorkerPool<string, { echo: string }>({ entry: pathToFileURL(entry), workerData: {}, size: 1, log: { error: (...args: unknown[]) => errors.push(args) } });
    try {
      expect(await pool.run('hello')).toEqual({ echo: 'hello' });
      const crashed = await pool.run('crash').catch((error: unknown) => error);
      expect(crashed).toBeInstanceOf(AppError);
      expect(crashed).toMatchObject({ statusCode: 503, code: 'SEARCH_UNAVAILABLE' });
      expect(errors.length).toBeGreaterThan(0);
      expect(await pool.run('again')).toEqual({ echo: 'again' });
    } finally {
      await pool.close();
    }
  });

  it('refuses requests once closed, and fails those still waiting', async () => {
    const pool = createWorkerPool<string, { echo: string }>({ entry: pathToFileURL(entry), workerData: {}, size: 2 });
    const waiting = pool.run('late').catch((error: unknown) => error);
    await pool.close();
    const answer = await waiting;
    // The worker may have answered before it was stopped; otherwise the request is refused, not left hanging.
    if (answer instanceof AppError) expect(answer.code).toBe('SEARCH_UNAVAILABLE');
    else expect(answer).toEqual({ echo: 'late' });
    await expect(pool.run('after')).rejects.toMatchObject({ code: 'SEARCH_UNAVAILABLE' });
  });
});

describe('SEARCH_WORKERS', () => {
  it('is 1 unless set, 0 searches on the main thread, and anything but a small whole number is refused', () => {
    expect(loadConfig({}).searchWorkers).toBe(1);
    expect(loadConfig({ SEARCH_WORKERS: '0' }).searchWorkers).toBe(0);
    expect(loadConfig({ SEARCH_WORKERS: '4' }).searchWorkers).toBe(4);
    for (const bad of ['-1', '17', 'two', '1.5']) expect(() => loadConfig({ SEARCH_WORKERS: bad })).toThrow(ConfigError);
  });
});

describe('a date range searched with no term', () => {
  // 60 orders, one capture each on day N for order N, except two out of step: order 5 was captured on
  // day 50, order 55 on day 4. Days 3–6 hold orders 3, 4, 6 and 55, and far more captures come after:
  // the page is read from the captures in the range rather than by walking every newer order.
  const db = openDatabase(tempDir());
  const day = (n: number) => new Date(Date.UTC(2026, 0, n)).toISOString();
  const insertOrder = db.prepare('INSERT INTO orders (id, external_id, created_at, updated_at) VALUES (?, ?, ?, ?)');
  const insertCapture = db.prepare(
    'INSERT INTO captures (id, order_id, kind, started_at, station, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  for (let n = 1; n <= 60; n++) {
    const startedAt = day(n === 5 ? 50 : n === 55 ? 4 : n);
    insertOrder.run(n, `RANGE-${n}`, startedAt, startedAt);
    insertCapture.run(`capture-${n}`, n, n % 2 ? 'packing' : 'handover', startedAt, `Station ${n % 3}`, startedAt);
  }
  const orders = createOrdersRepository(db);
  const walk = (filters: OrderFilters, before: number, limit: number) =>
    (db.prepare(orderSearchSql.recent(filters)).all({ before, limit, ...filters }) as { id: number }[]).map((row) => row.id);
  const page = (filters: OrderFilters, before = Number.MAX_SAFE_INTEGER, limit = 51) =>
    orders.recent(before, limit, { filters, tolerance: 0.05, packaging: 0 }).map((row) => row.id);
  afterAll(() => db.close());

  it('finds the orders captured in the range, newest first, page by page, as the walk over orders does', () => {
    const range = { from: day(3), to: day(7) };
    expect(page(range)).toEqual([55, 6, 4, 3]);
    expect(page(range, Number.MAX_SAFE_INTEGER, 2)).toEqual([55, 6]);
    expect(page(range, 6)).toEqual([4, 3]);
    for (const filters of [range, { ...range, station: 'Station 1' }, { ...range, kind: 'packing' as const }, { to: day(4) }, { from: day(58), to: day(61) }]) {
      for (const before of [Number.MAX_SAFE_INTEGER, 55, 4]) expect(page(filters, before)).toEqual(walk(filters, before, 51));
    }
  });
});
