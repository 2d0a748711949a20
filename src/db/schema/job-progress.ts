import { index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * How far a running background job has come (rows done of a total, a short message), written by
 * its worker and read by whoever asked for the job. The queue itself (pg-boss, schema "pgboss")
 * holds state and output; this holds only what pg-boss has no place for.
 */
export const jobProgress = pgTable(
  'job_progress',
  {
    queue: text('queue').notNull(),
    jobId: uuid('job_id').notNull(),
    done: integer('done').notNull(),
    total: integer('total'),
    message: text('message'),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.queue, t.jobId] }), index('job_progress_updated_idx').on(t.updatedAt)],
);
