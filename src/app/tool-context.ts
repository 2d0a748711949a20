import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import type { Actor } from '../directory/access/principal.ts';
import type { Clock } from '../directory/activity/clock.ts';
import type { JobSender } from '../directory/jobs/job-queue.ts';
import type { ToolContext } from '../tools/index.ts';
import type { Logger } from './logger.ts';

/** What every call in one process shares; each interface holds one and adds who is asking. */
export interface ToolHost {
  config: Pick<Config, 'TIMEZONE' | 'COMPLIANCE_WINDOW_DAYS' | 'PUBLIC_URL' | 'HOST' | 'PORT'>;
  db: Db;
  clock: Clock;
  logger: Logger;
  /**
   * Base URL of download links; a function when it is known only once the server listens.
   * Default: PUBLIC_URL, else HOST:PORT (publicUrlOf).
   */
  publicUrl?: string | (() => string);
  /** The background job queue, where this process runs one (servers; not one-off CLI calls). */
  jobs?: JobSender;
}

/** The address the server listens on: HOST (an IPv6 one in brackets) and `port` once known, else PORT. */
export function listenUrlOf(config: Pick<Config, 'HOST' | 'PORT'>, port: number = config.PORT): string {
  const host = config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
  return `http://${host}:${port}`;
}

/** The base of links people open: PUBLIC_URL, else the listening address. */
export function publicUrlOf(config: ToolHost['config'], port?: number): string {
  return config.PUBLIC_URL ?? listenUrlOf(config, port);
}

/**
 * The one factory of tool contexts (which are also the domain's contexts): the host's database,
 * clock, time zone, compliance window, logger and link base, plus the actor of this call. MCP,
 * HTTP, Slack, the CLI, the digest and the tests all build their contexts here.
 */
export function createToolContext(host: ToolHost, actor: Actor): ToolContext {
  const publicUrl = typeof host.publicUrl === 'function' ? host.publicUrl() : host.publicUrl;
  return {
    db: host.db,
    clock: host.clock,
    timeZone: host.config.TIMEZONE,
    complianceWindowDays: host.config.COMPLIANCE_WINDOW_DAYS,
    ...(host.jobs ? { jobs: host.jobs } : {}),
    actor,
    logger: host.logger,
    publicUrl: publicUrl ?? publicUrlOf(host.config),
  };
}
