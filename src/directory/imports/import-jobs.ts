import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { imports } from '../../db/schema/index.ts';
import type { DirectoryContext } from '../context.ts';
import { jobQueues } from '../jobs/job-kinds.ts';
import type { JobQueue } from '../jobs/job-queue.ts';
import { runImport } from './import-run.ts';
import { storedSource, withLocalCopy } from './import-store.ts';

/**
 * Takes import jobs on this replica: each runs as the person who started the import (as they
 * were then), reading the stored file, reporting progress on the import and on the job.
 */
export async function workImportJobs(deps: { db: Db; now: () => Date; jobs: JobQueue }): Promise<void> {
  await deps.jobs.work('partner-import', async (job) => {
    const [record] = await deps.db.select().from(imports).where(eq(imports.id, job.data.importId));
    if (!record) return { missing: true };
    const ctx: DirectoryContext = {
      db: deps.db,
      clock: { now: deps.now },
      timeZone: record.timeZone,
      complianceWindowDays: 30,
      actor: record.actor,
    };
    const done = await withLocalCopy(storedSource(deps.db, record), (source) =>
      runImport(ctx, {
        importId: record.id,
        source,
        finalAttempt: job.attempt >= jobQueues['partner-import'].retryLimit,
        onProgress: (progress) => {
          job
            .reportProgress({ done: progress.bytesRead, total: progress.totalBytes, message: progress.phase })
            .catch(() => {});
        },
      }),
    );
    return { status: done.status, rowsRead: done.rowsRead, rejected: done.rejected };
  });
}
