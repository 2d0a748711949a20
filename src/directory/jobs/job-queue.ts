import { createHash } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import { type DrizzleTransactionLike, fromDrizzle, fromPglite, type JobWithMetadata, PgBoss } from 'pg-boss';
import type { Database, DbOrTx } from '../../db/client.ts';
import { type JobData, type JobName, jobQueues } from './job-kinds.ts';
import { type JobProgress, readJobProgress, saveJobProgress } from './job-progress.ts';

export type { JobData, JobName } from './job-kinds.ts';
export type { JobProgress } from './job-progress.ts';

/** Where the queue reports its own trouble (a pino logger fits). */
export interface JobQueueLog {
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface EnqueueOptions {
  /**
   * At most one job of this kind per key while the queue keeps it (`keepFinishedSeconds`): a
   * second enqueue with the same key, from any replica, creates nothing and returns the same id.
   */
  key?: string;
  /** Not before this time. */
  startAfter?: Date;
  /** Enqueue inside this open transaction: the job exists only if the transaction commits. */
  tx?: DbOrTx;
}

export interface Enqueued {
  id: string;
  /** False when a job with the same key already existed. */
  created: boolean;
}

/** pg-boss's states: created (waiting), retry (waiting after a failure), active, and three final ones. */
export type JobState = 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed';

/** What a caller can read about a job it enqueued, from any replica. */
export interface JobStatus<N extends JobName = JobName> {
  id: string;
  name: N;
  data: JobData[N];
  state: JobState;
  /** 0 for the first attempt, 1 for the first retry, ... */
  attempt: number;
  createdAt: Date;
  startedAt?: Date;
  completedAt?: Date;
  /** What the handler returned (completed), or the error (failed). */
  output?: Record<string, unknown>;
  progress?: JobProgress & { updatedAt: Date };
}

/** A job handed to a worker. */
export interface RunningJob<N extends JobName> {
  id: string;
  name: N;
  data: JobData[N];
  /** 0 for the first attempt; more means an earlier attempt died or failed, perhaps after acting. */
  attempt: number;
  createdAt: Date;
  /** Aborted when the queue stops while the job runs. */
  signal: AbortSignal;
  reportProgress(progress: JobProgress): Promise<void>;
}

/** Resolves with the job's output; throwing fails the attempt (retried as the kind's settings say). */
export type JobHandler<N extends JobName> = (job: RunningJob<N>) => Promise<Record<string, unknown>>;

/** What the domain needs to start background work and follow it. */
export interface JobSender {
  enqueue<N extends JobName>(name: N, data: JobData[N], options?: EnqueueOptions): Promise<Enqueued>;
  status<N extends JobName>(name: N, id: string): Promise<JobStatus<N> | undefined>;
}

export interface JobSchedule<N extends JobName> {
  /** Names the schedule within its kind (one per channel, say). */
  key: string;
  /** Five-field cron, evaluated in `timeZone`. */
  cron: string;
  timeZone: string;
  data: JobData[N];
}

/** The queue a server runs: send and follow jobs, take them as a worker, keep schedules. */
export interface JobQueue extends JobSender {
  /** Takes jobs of one kind on this replica, one at a time. */
  work<N extends JobName>(name: N, handler: JobHandler<N>): Promise<void>;
  /** Jobs of one kind whose data contains `data`, oldest first (at most 1,000). */
  find<N extends JobName>(name: N, filter: { data: Partial<JobData[N]> }): Promise<JobStatus<N>[]>;
  /**
   * Makes the schedules of one kind exactly these. Each occurrence is sent once across
   * replicas (pg-boss claims it in the database); an occurrence missed while no replica ran is skipped.
   */
  setSchedules<N extends JobName>(name: N, schedules: JobSchedule<N>[]): Promise<void>;
  schedules<N extends JobName>(name: N): Promise<JobSchedule<N>[]>;
  /** Stops taking jobs, lets running ones finish for a while, then releases the queue's connections. */
  stop(): Promise<void>;
}

export interface JobQueueOptions {
  database: Database;
  /** PostgreSQL only: pg-boss keeps its own small pool (node-postgres) to the same database. */
  connectionString?: string;
  log: JobQueueLog;
  /** How often a dead replica's jobs are looked for (pg-boss supervise/monitor); 60 s by default. */
  checkIntervalSeconds?: number;
  /** How often an idle worker looks for a job, for every kind (tests); else each kind's `pollSeconds`. */
  pollingIntervalSeconds?: number;
  /** The time progress is stamped with; the system clock by default. */
  now?: () => Date;
}

/** A job id that is the same for the same kind and key on every replica (a name-based UUID). */
export function keyedJobId(name: JobName, key: string): string {
  const bytes = createHash('sha1').update(`partnerbook-job\0${name}\0${key}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** pg-boss statements run through drizzle inside the caller's transaction. */
function drizzleExecutor(tx: DbOrTx): DrizzleTransactionLike {
  return {
    execute: async (query) => (await tx.execute(query as SQL)) as { rows: unknown[] } | unknown[],
  };
}

/**
 * Starts pg-boss on the directory's database: over the PGlite instance itself (one process), or
 * its own pool on PostgreSQL (any number of replicas). Installs or migrates pg-boss's schema
 * ("pgboss") and creates one queue per job kind with that kind's settings.
 */
export async function startJobQueue(options: JobQueueOptions): Promise<JobQueue> {
  const { database, log } = options;
  const now = options.now ?? (() => new Date());
  const timing = options.checkIntervalSeconds
    ? {
        superviseIntervalSeconds: options.checkIntervalSeconds,
        monitorIntervalSeconds: options.checkIntervalSeconds,
      }
    : {};
  let boss: PgBoss;
  if (database.driver === 'pglite') {
    if (!database.pglite) throw new Error('The job queue needs the PGlite instance of an embedded database.');
    boss = new PgBoss({
      backend: 'pglite',
      db: fromPglite(database.pglite),
      openTelemetry: { enabled: false },
      ...timing,
    });
  } else {
    if (!options.connectionString) throw new Error('The job queue needs the PostgreSQL connection string.');
    boss = new PgBoss({
      connectionString: options.connectionString,
      max: 4,
      application_name: 'partnerbook-jobs',
      openTelemetry: { enabled: false },
      ...timing,
    });
  }
  boss.on('error', (error) => log.error({ err: error }, 'job queue error'));
  boss.on('warning', (warning) => log.warn({ data: warning.data }, `job queue: ${warning.message}`));
  await boss.start();
  for (const [name, settings] of Object.entries(jobQueues)) {
    const queue = {
      retryLimit: settings.retryLimit,
      retryDelay: settings.retryDelaySeconds,
      retryBackoff: settings.retryDelaySeconds > 0,
      heartbeatSeconds: settings.heartbeatSeconds,
      expireInSeconds: settings.expireInSeconds,
      deleteAfterSeconds: settings.keepFinishedSeconds,
    };
    await boss.createQueue(name, queue);
    // Settings changed since the queue was created apply to jobs sent from now on.
    await boss.updateQueue(name, queue);
  }

  const statusOf = <N extends JobName>(job: JobWithMetadata<JobData[N]>): JobStatus<N> => ({
    id: job.id,
    name: job.name as N,
    data: job.data,
    state: job.state,
    attempt: job.retryCount,
    createdAt: job.createdOn,
    ...(job.startedOn ? { startedAt: job.startedOn } : {}),
    ...(job.completedOn ? { completedAt: job.completedOn } : {}),
    ...(job.output ? { output: job.output as Record<string, unknown> } : {}),
  });

  return {
    async enqueue(name, data, enqueueOptions = {}) {
      const id = enqueueOptions.key === undefined ? undefined : keyedJobId(name, enqueueOptions.key);
      const sent = await boss.send(name, data, {
        ...(id ? { id } : {}),
        ...(enqueueOptions.startAfter ? { startAfter: enqueueOptions.startAfter } : {}),
        ...(enqueueOptions.tx ? { db: fromDrizzle(drizzleExecutor(enqueueOptions.tx), sql) } : {}),
      });
      if (sent) return { id: sent, created: true };
      if (id) return { id, created: false };
      throw new Error(`The queue did not take the ${name} job.`);
    },

    async status(name, id) {
      const [job] = await boss.findJobs<JobData[typeof name]>(name, { id });
      if (!job) return undefined;
      const progress = await readJobProgress(database.db, { queue: name, jobId: id });
      return { ...statusOf(job), ...(progress ? { progress } : {}) };
    },

    async find(name, filter) {
      const jobs = await boss.findJobs<JobData[typeof name]>(name, { data: filter.data });
      return jobs.map((job) => statusOf(job));
    },

    async work(name, handler) {
      await boss.work(
        name,
        {
          batchSize: 1,
          includeMetadata: true,
          pollingIntervalSeconds: options.pollingIntervalSeconds ?? jobQueues[name].pollSeconds,
        },
        async ([job]: JobWithMetadata<JobData[typeof name]>[]) => {
          if (!job) return {};
          return await handler({
            id: job.id,
            name,
            data: job.data,
            attempt: job.retryCount,
            createdAt: job.createdOn,
            signal: job.signal,
            reportProgress: (progress) =>
              saveJobProgress(database.db, { queue: name, jobId: job.id, progress, at: now() }),
          });
        },
      );
    },

    async setSchedules(name, schedules) {
      const wanted = new Set(schedules.map((schedule) => schedule.key));
      for (const existing of await boss.getSchedules(name)) {
        if (!wanted.has(existing.key)) await boss.unschedule(name, existing.key);
      }
      for (const schedule of schedules) {
        await boss.schedule(name, schedule.cron, schedule.data, { tz: schedule.timeZone, key: schedule.key });
      }
    },

    async schedules(name) {
      return (await boss.getSchedules(name)).map((schedule) => ({
        key: schedule.key,
        cron: schedule.cron,
        timeZone: schedule.timezone,
        data: schedule.data as JobData[typeof name],
      }));
    },

    async stop() {
      // pg-boss closes only the pool it opened; the PGlite instance stays the caller's.
      await boss.stop({ graceful: true, timeout: 10_000 });
    },
  };
}
