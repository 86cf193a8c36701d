// The only importer of node-cron: when each background job runs. The jobs' bodies live in services.
import cron, { type ScheduledTask } from 'node-cron';

export interface Job {
  name: string;
  /** Cron expression, in the server's time. */
  schedule: string;
  run(): Promise<unknown> | unknown;
}

export interface Scheduler {
  stop(): Promise<void>;
}

export function startScheduler(jobs: Job[], log: { info(obj: object, msg: string): void; error(obj: object, msg: string): void }): Scheduler {
  const tasks: ScheduledTask[] = jobs.map((job) =>
    cron.schedule(
      job.schedule,
      async () => {
        try {
          const result = await job.run();
          log.info({ job: job.name, result }, 'job finished');
        } catch (error) {
          log.error({ job: job.name, err: error }, 'job failed');
        }
      },
      { name: job.name, noOverlap: true },
    ),
  );
  return {
    async stop() {
      await Promise.all(tasks.map((task) => task.stop()));
    },
  };
}
