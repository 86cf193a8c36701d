// A search worker (see search-pool.ts): its own read-only connection, the orders service's own searchPage.
import { parentPort, workerData } from 'node:worker_threads';
import { openReadOnlyDatabase } from '../../storage/database';
import { createOrdersRepository } from '../../storage/orders.repository';
import { createOrdersService, type SearchPage, type SearchRequest } from './orders.service';
import type { WorkerAnswer } from './search-pool';

const db = openReadOnlyDatabase((workerData as { dataDir: string }).dataDir);
const orders = createOrdersService({ db, orders: createOrdersRepository(db), clock: () => new Date() });

parentPort!.on('message', ({ id, message }: { id: number; message: SearchRequest }) => {
  let answer: WorkerAnswer<SearchPage>;
  try {
    answer = { id, result: orders.searchPage(message) };
  } catch (error) {
    answer = { id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  parentPort!.postMessage(answer);
});
