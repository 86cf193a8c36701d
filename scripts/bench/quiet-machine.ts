// The benchmarks share a noisy machine: they wait for it to go quiet before each measurement and say
// how much of the CPUs other processes took meanwhile.
import fs from 'node:fs';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

/** CPU seconds the whole machine has spent busy (not idle or waiting on I/O), from /proc/stat. */
export function machineBusySeconds(): number {
  const [user, nice, system, , , irq, softirq, steal] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/).slice(1).map(Number);
  return (user + nice + system + irq + softirq + steal) / 100;
}

/**
 * Before each measurement: a second for writeback from the previous step to drain, then up to a minute
 * for the shared machine to go quiet (under a tenth of its CPUs busy over a second).
 */
export async function settle(): Promise<void> {
  await sleep(1000);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const before = machineBusySeconds();
    await sleep(1000);
    if (machineBusySeconds() - before < 0.1 * os.availableParallelism()) return;
  }
}
