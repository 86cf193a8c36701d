// The import-commit worker (see commit-pool.ts): its own connection, the imports service's own commit.
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../../../storage/database';
import { createImportsRepository } from '../../../storage/imports.repository';
import { createOrdersRepository } from '../../../storage/orders.repository';
import { AppError } from '../../errors';
import { createOrdersService } from '../orders.service';
import type { WorkerAnswer } from '../search-pool';
import { createImportsService, type CommitAnswer, type CommitRequest } from './imports.service';

const db = openDatabase((workerData as { dataDir: string }).dataDir);
// The main thread's clock decides expiry (tests move it); each request carries its "now".
let now = new Date();
const clock = () => now;
const orders = createOrdersService({ db, orders: createOrdersRepository(db), clock });
const imports = createImportsService({ db, imports: createImportsRepository(db), orders, clock });

parentPort!.on('message', ({ id, message }: { id: number; message: CommitRequest }) => {
  let answer: WorkerAnswer<CommitAnswer>;
  try {
    now = new Date(message.now);
    answer = { id, result: { result: imports.commit(message.id) } };
  } catch (error) {
    answer = error instanceof AppError
      ? { id, result: { refused: { code: error.code, message: error.message } } }
      : { id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  parentPort!.postMessage(answer);
});
