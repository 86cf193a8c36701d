// The only importer of node-cron: when each background job runs. The jobs' bodies live in services.
import cron, { type ScheduledTask } from 'node-cron';

export interface Job {
  name: string;
  /** Cron expression, in the server's time. */
  schedule: string;
  run(): Promise<unknown> | unknown;
}

export interface Scheduler {
  /** Runs a job now, outside its schedule: for operators' scripts and tests. */
  run(name: string): Promise<unknown>;
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
    async run(name) {
      const job = jobs.find((candidate) => candidate.name === name);
      if (!job) throw new Error(`no job "${name}"; jobs: ${jobs.map((candidate) => candidate.name).join(', ')}`);
      return job.run();
    },
    async stop() {
      await Promise.all(tasks.map((task) => task.stop()));
    },
  };
}
