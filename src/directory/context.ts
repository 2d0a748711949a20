import type { Db } from '../db/client.ts';
import type { Actor } from './access/principal.ts';
import type { Clock } from './activity/clock.ts';

/** What the domain needs from its host, built once at start-up. */
export interface DirectoryDeps {
  db: Db;
  clock: Clock;
  /** Workspace time zone (TIMEZONE): "today" and the 30-day window are counted in it. */
  timeZone: string;
  complianceWindowDays: number;
}

/** One call into the domain: the dependencies plus who is asking and through what. */
export interface DirectoryContext extends DirectoryDeps {
  actor: Actor;
}
