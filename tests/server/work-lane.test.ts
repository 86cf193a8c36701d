import { describe, expect, it } from 'vitest';
import { createLimiter, createWorkLane } from '../../server/services/work-lane';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('work lanes and limiters', () => {
  it('never runs more than the limit at once, and runs the waiting in order', async () => {
    const limit = createLimiter(1);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    await Promise.all(
      [1, 2, 3, 4].map((n) =>
        limit(async () => {
          running += 1;
          most = Math.max(most, running);
          await tick();
          order.push(n);
          running -= 1;
        }),
      ),
    );
    expect(most).toBe(1);
    expect(order).toEqual([1, 2, 3, 4]);
  });

  it('works each id once however often it is queued, and lets a hurried id go first', async () => {
    const done: string[] = [];
    const lane = createWorkLane(1, async (id) => {
      await tick();
      done.push(id);
    });
    const first = lane.enqueue('a');
    void lane.enqueue('b');
    void lane.enqueue('c');
    void lane.enqueue('a');
    await Promise.all([first, lane.hurry('c')]);
    await lane.enqueue('b');
    expect(done).toEqual(['a', 'c', 'b']);
  });

  it('keeps going after a failing id', async () => {
    const lane = createWorkLane(1, async (id) => {
      if (id === 'bad') throw new Error('boom');
    });
    await lane.enqueue('bad');
    await expect(lane.enqueue('good')).resolves.toBeUndefined();
  });
});
