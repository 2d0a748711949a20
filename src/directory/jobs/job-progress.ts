import { and, eq, lt } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { jobProgress } from '../../db/schema/index.ts';

/** How far a job has come: `done` of `total` (when known), with an optional short message. */
export interface JobProgress {
  done: number;
  total?: number;
  message?: string;
}

/** Records a job's progress, replacing what it reported before. */
export async function saveJobProgress(
  db: Db,
  options: { queue: string; jobId: string; progress: JobProgress; at: Date },
): Promise<void> {
  const values = {
    done: options.progress.done,
    total: options.progress.total ?? null,
    message: options.progress.message ?? null,
    updatedAt: options.at,
  };
  await db
    .insert(jobProgress)
    .values({ queue: options.queue, jobId: options.jobId, ...values })
    .onConflictDoUpdate({ target: [jobProgress.queue, jobProgress.jobId], set: values });
}

/** A job's last reported progress, or undefined when it reported none. */
export async function readJobProgress(
  db: Db,
  options: { queue: string; jobId: string },
): Promise<(JobProgress & { updatedAt: Date }) | undefined> {
  const [row] = await db
    .select()
    .from(jobProgress)
    .where(and(eq(jobProgress.queue, options.queue), eq(jobProgress.jobId, options.jobId)));
  if (!row) return undefined;
  return {
    done: row.done,
    ...(row.total === null ? {} : { total: row.total }),
    ...(row.message === null ? {} : { message: row.message }),
    updatedAt: row.updatedAt,
  };
}

/** Deletes progress last reported before `before`; returns how many rows went. */
export async function deleteJobProgressBefore(db: Db, before: Date): Promise<number> {
  const deleted = await db
    .delete(jobProgress)
    .where(lt(jobProgress.updatedAt, before))
    .returning({ jobId: jobProgress.jobId });
  return deleted.length;
}
