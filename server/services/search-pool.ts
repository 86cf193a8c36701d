// Order search in worker threads, so a search never holds the server's event loop.
//
// Why: better-sqlite3 is synchronous. A search (FTS5 lookup, then a page of 50 summaries) takes 1–10 ms,
// and on the main thread every other request (an order page, an upload chunk, /healthz) waits behind it;
// two sellers typing kept the loop about 80 % busy (BENCHMARKS.md, "Order search"). Each worker has its
// own read-only connection to the same file: in WAL mode readers run beside the writer, and a read
// transaction begun after a commit sees it, so a search right after a PUT /orders finds the order.
// The main thread only checks the request and posts it; the worker runs the service's own searchPage.
import { Worker } from 'node:worker_threads';
import type { FastifyBaseLogger } from 'fastify';
import { AppError } from '../errors';
import type { SearchPage, SearchRequest } from './orders.service';

/** What a worker answers: the page, or why it could not read it. */
export type WorkerAnswer<T> = { id: number; result: T } | { id: number; error: string };

export interface WorkerPoolOptions {
  /** The worker's module: a .ts file is loaded through tsx (tests, `npm run` scripts), anything else by Node itself. */
  entry: URL;
  workerData: unknown;
  size: number;
  log?: Pick<FastifyBaseLogger, 'error'>;
}

interface Slot {
  worker: Worker;
  pending: Map<number, { resolve: (value: never) => void; reject: (error: Error) => void }>;
}

const unavailable = (why: string) => new AppError('SEARCH_UNAVAILABLE', `Search is unavailable for a moment (${why}); try again.`);

/**
 * Under tsx or vitest this module is TypeScript source, and Node 20 cannot start a worker on a .ts
 * file by itself (loader hooks given to a worker through --import do not reach its entry): a small
 * bootstrap loads it through tsx's API. The built server (dist/) starts the bundled .mjs directly.
 */
function startWorker(entry: URL, workerData: unknown): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, { workerData });
  // Resolved here, from this module: the bootstrap itself would resolve it from the working directory.
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then(({ tsImport }) => tsImport(${JSON.stringify(entry.href)}, ${JSON.stringify(entry.href)}))`;
  return new Worker(bootstrap, { eval: true, workerData });
}

/**
 * A few workers answering `run(message)` in turn: each request goes to the worker with the fewest
 * waiting. Workers start on first use, so a server nobody searches (a test, a packer-only day) pays
 * nothing. A worker that dies fails its waiting requests with 503 SEARCH_UNAVAILABLE and is replaced
 * by a fresh one on the next request (not at once: a worker that cannot start must not spin).
 */
export function createWorkerPool<Message, Result>({ entry, workerData, size, log }: WorkerPoolOptions) {
  const slots: (Slot | undefined)[] = Array.from({ length: size }, () => undefined);
  let nextId = 1;
  let closed = false;

  function start(index: number): Slot {
    const worker = startWorker(entry, workerData);
    const slot: Slot = { worker, pending: new Map() };
    // Idle workers do not keep the process alive; the HTTP server does while it serves.
    worker.unref();
    worker.on('message', ({ id, ...answer }: WorkerAnswer<Result>) => {
      const waiting = slot.pending.get(id);
      if (!waiting) return;
      slot.pending.delete(id);
      if ('error' in answer) waiting.reject(new Error(answer.error));
      else waiting.resolve(answer.result as never);
      if (slot.pending.size === 0) worker.unref();
    });
    worker.on('error', (error) => log?.error({ err: error }, 'search worker failed'));
    worker.on('exit', (code) => {
      if (slots[index] === slot) slots[index] = undefined;
      if (!closed) log?.error({ code }, 'search worker stopped; a new one starts on the next search');
      for (const { reject } of slot.pending.values()) reject(unavailable(closed ? 'the server is stopping' : 'a search worker stopped'));
      slot.pending.clear();
    });
    return (slots[index] = slot);
  }

  return {
    run(message: Message): Promise<Result> {
      if (closed) return Promise.reject(unavailable('the server is stopping'));
      let index = slots.findIndex((slot) => slot === undefined || slot.pending.size === 0);
      if (index === -1) {
        index = 0;
        slots.forEach((slot, i) => {
          if (slot!.pending.size < slots[index]!.pending.size) index = i;
        });
      }
      const slot = slots[index] ?? start(index);
      const id = nextId++;
      return new Promise<Result>((resolve, reject) => {
        slot.pending.set(id, { resolve, reject });
        // While a request waits, the worker keeps the process alive so the answer arrives.
        slot.worker.ref();
        slot.worker.postMessage({ id, message });
      });
    },

    /** Stops every worker; requests still waiting answer 503. */
    async close(): Promise<void> {
      closed = true;
      await Promise.all(slots.map((slot) => slot?.worker.terminate()));
    },
  };
}

/** The search pool: SEARCH_WORKERS workers over DATA_DIR's database, each running orders.service's searchPage. */
export function createSearchPool({ dataDir, size, log }: { dataDir: string; size: number; log?: WorkerPoolOptions['log'] }) {
  // Beside this file in the source (search-worker.ts), beside the bundle in dist/ (search-worker.mjs,
  // the build's second entry point: see package.json's build script).
  const source = import.meta.url.endsWith('.ts');
  const entry = new URL(source ? './search-worker.ts' : './search-worker.mjs', import.meta.url);
  return createWorkerPool<SearchRequest, SearchPage>({ entry, workerData: { dataDir }, size, log });
}

export type SearchPool = ReturnType<typeof createSearchPool>;
