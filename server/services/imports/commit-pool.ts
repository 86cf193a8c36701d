// Import commits in a worker thread, so writing tens of thousands of orders never holds the event loop.
//
// Why: the commit is one transaction (all of the file's orders or none), and better-sqlite3 is
// synchronous: on the main thread a 50,000-row commit held every request, /healthz included, for its
// whole length (35 s measured; BENCHMARKS.md, "Order imports"). The worker has its own connection to
// the same file and runs the imports service's own commit there, in one IMMEDIATE transaction; reads
// on the main thread go on beside it (WAL). Writes wait for it, as they would for any writer.
import type { FastifyBaseLogger } from 'fastify';
import { createWorkerPool } from '../search-pool';
import type { CommitRequest, CommitAnswer } from './imports.service';

export function createImportCommitter({ dataDir, log }: { dataDir: string; log?: Pick<FastifyBaseLogger, 'error'> }) {
  // Beside this file in the source; beside the bundle in dist/ (the build's import-commit-worker entry).
  const source = import.meta.url.endsWith('.ts');
  const entry = new URL(source ? './commit-worker.ts' : './import-commit-worker.mjs', import.meta.url);
  return createWorkerPool<CommitRequest, CommitAnswer>({ entry, workerData: { dataDir }, size: 1, log });
}

export type ImportCommitter = ReturnType<typeof createImportCommitter>;
