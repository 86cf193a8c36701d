// The frame every hostile class shares: a server started before its cases, the checks after them,
// and the counts reported when it is done.
import { afterAll, beforeAll, it } from 'vitest';
import { afterRunProblems, expectNoProblems, MIN_TOTAL_CASES, reportCounts } from './checks';
import { startHostile, type HostileEnv } from './fixtures';

export function hostileSuite(cls: string, options: Parameters<typeof startHostile>[1] = {}) {
  let current: HostileEnv | undefined;
  beforeAll(async () => {
    current = await startHostile(cls, options);
  }, 180_000);
  afterAll(async () => {
    if (!current) return;
    const total = reportCounts(current);
    await current.close();
    if (total !== undefined && total < MIN_TOTAL_CASES) throw new Error(`the hostile suite ran ${total} cases; it must run at least ${MIN_TOTAL_CASES}`);
  });
  return {
    get env(): HostileEnv {
      if (!current) throw new Error('the hostile server did not start');
      return current;
    },
    /** Registers the closing test: the documented error shape, nothing left behind, the service alive and quick. */
    afterRun() {
      it('after the run every error has the documented shape, nothing is left behind, and healthz answers quickly', async () => {
        expectNoProblems(`${cls}, after the run`, await afterRunProblems(this.env));
      }, 60_000);
    },
  };
}
