import type { Db } from '../db/client.ts';
import type { Actor } from './access/principal.ts';
import type { Clock } from './activity/clock.ts';
import type { JobSender } from './jobs/job-queue.ts';

/** What the domain needs from its host, built once at start-up. */
export interface DirectoryDeps {
  db: Db;
  clock: Clock;
  /** Workspace time zone (TIMEZONE): "today" and the 30-day window are counted in it. */
  timeZone: string;
  complianceWindowDays: number;
  /** The background job queue, where a server runs one (not in one-off CLI calls). */
  jobs?: JobSender;
}

/** One call into the domain: the dependencies plus who is asking and through what. */
export interface DirectoryContext extends DirectoryDeps {
  actor: Actor;
}
