// A queue of ids worked off a few at a time, each id once, with a way to wait for (and hurry) one.

export interface WorkLane {
  /** Queues the id unless it is already queued or running; resolves when its work is done. */
  enqueue(id: string): Promise<void>;
  /** Moves a queued id to the front and resolves when its work is done. */
  hurry(id: string): Promise<void>;
  /** Stops starting work; resolves once the running work is done. Queued ids are left for the next start. */
  close(): Promise<void>;
}

export function createWorkLane(concurrency: number, work: (id: string) => Promise<void>): WorkLane {
  const queue: string[] = [];
  const waiting = new Map<string, { promise: Promise<void>; resolve: () => void }>();
  const idle: (() => void)[] = [];
  let running = 0;
  let closed = false;

  function pump(): void {
    while (!closed && running < concurrency && queue.length > 0) {
      const id = queue.shift()!;
      running += 1;
      work(id)
        .catch(() => {}) // work records its own failures; a lane never stops over one id
        .finally(() => {
          running -= 1;
          waiting.get(id)?.resolve();
          waiting.delete(id);
          pump();
          if (running === 0) idle.splice(0).forEach((resolve) => resolve());
        });
    }
  }

  function enqueue(id: string): Promise<void> {
    const existing = waiting.get(id);
    if (existing) return existing.promise;
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    waiting.set(id, { promise, resolve });
    queue.push(id);
    pump();
    return promise;
  }

  return {
    enqueue,
    hurry(id: string): Promise<void> {
      const index = queue.indexOf(id);
      if (index > 0) queue.unshift(...queue.splice(index, 1));
      return enqueue(id);
    },
    async close(): Promise<void> {
      closed = true;
      if (running > 0) await new Promise<void>((resolve) => idle.push(resolve));
    },
  };
}

/** Runs at most `max` tasks at once; the rest wait their turn in order. */
export function createLimiter(max: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async function run<T>(task: () => Promise<T>): Promise<T> {
    if (running >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    running += 1;
    try {
      return await task();
    } finally {
      running -= 1;
      waiting.shift()?.();
    }
  };
}
