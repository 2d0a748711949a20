import type { Db } from '../../db/client.ts';
import { sweepBreachNotices } from '../compliance/breach-notices.ts';
import { workImportJobs } from '../imports/import-jobs.ts';
import { deleteJobProgressBefore } from './job-progress.ts';
import type { JobQueue } from './job-queue.ts';

const PROGRESS_KEPT_MS = 30 * 24 * 3600 * 1000;

/**
 * The domain's own background work, registered on every server replica: every five minutes,
 * breach notices recorded without a queue at hand (CLI calls) are enqueued (once now, too); each
 * night, progress older than 30 days is deleted.
 */
export async function workDirectoryJobs(deps: { db: Db; now: () => Date; jobs: JobQueue }): Promise<void> {
  const { jobs } = deps;
  await jobs.work('breach-notice-sweep', async () => ({ enqueued: await sweepBreachNotices(deps) }));
  await jobs.setSchedules('breach-notice-sweep', [
    { key: 'every-5-minutes', cron: '*/5 * * * *', timeZone: 'UTC', data: {} },
  ]);
  await jobs.work('job-progress-cleanup', async () => ({
    deleted: await deleteJobProgressBefore(deps.db, new Date(deps.now().getTime() - PROGRESS_KEPT_MS)),
  }));
  await jobs.setSchedules('job-progress-cleanup', [
    { key: 'nightly', cron: '17 3 * * *', timeZone: 'UTC', data: {} },
  ]);
  await workImportJobs(deps);
  await sweepBreachNotices(deps);
}
