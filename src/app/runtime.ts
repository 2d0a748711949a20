import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Config } from '../config.ts';
import { type Database, openDatabase } from '../db/client.ts';
import { lockEmbeddedDatabase } from '../db/embedded-lock.ts';
import { migrateDatabase } from '../db/migrate.ts';
import type { Principal, Via } from '../directory/access/principal.ts';
import { type Clock, systemClock } from '../directory/activity/clock.ts';
import type { ToolContext } from '../tools/index.ts';
import { createLogger, type Logger } from './logger.ts';
import { createToolContext } from './tool-context.ts';

export interface Runtime {
  config: Config;
  database: Database;
  logger: Logger;
  clock: Clock;
  /** True when this start created the embedded database (first start). */
  createdEmbedded: boolean;
  /** Embedded database only: lets CLI commands reach this server while it holds the database. */
  announceServer(server: { url: string; localToken: string }): void;
  /** A context for CLI and stdio calls (tool and domain alike); links point at PUBLIC_URL or HOST:PORT. */
  toolContext(principal: Principal, via: Via, clientName?: string): ToolContext;
  /** The same as toolContext, for calls straight into the domain. */
  context(principal: Principal, via: Via): ToolContext;
  close(): Promise<void>;
}

/**
 * Opens the database named by the config (PostgreSQL with DATABASE_URL, else PGlite under
 * DATA_DIR, locked to this process) and applies pending migrations.
 */
export async function openRuntime(config: Config, options: { command: string }): Promise<Runtime> {
  const logger = createLogger(config.LOG_LEVEL);
  let lock: Awaited<ReturnType<typeof lockEmbeddedDatabase>> | undefined;
  let database: Database;
  let createdEmbedded = false;
  if (config.DATABASE_URL) {
    database = await openDatabase({
      driver: 'postgres',
      url: config.DATABASE_URL,
      onIdleRetry: ({ kind, error }) =>
        logger.warn(
          { err: error, kind },
          'a database connection had died while idle; ran again on a fresh one',
        ),
    });
  } else {
    const dataDir = resolve(config.DATA_DIR, 'pglite');
    lock = await lockEmbeddedDatabase(config.DATA_DIR, options.command);
    if (lock.tookOverFrom) {
      const { holder, reason } = lock.tookOverFrom;
      logger.warn(
        { previousHolder: holder && { pid: holder.pid, command: holder.command }, reason },
        'the previous holder of the embedded database stopped without releasing it; taking over',
      );
    }
    createdEmbedded = !existsSync(dataDir) || readdirSync(dataDir).length === 0;
    database = await openDatabase({ driver: 'pglite', dataDir });
  }
  try {
    await migrateDatabase(database);
  } catch (error) {
    await database.close();
    await lock?.release();
    throw error;
  }
  const host = { config, db: database.db, clock: systemClock, logger };
  const toolContext = (principal: Principal, via: Via, clientName?: string) =>
    createToolContext(host, { principal, via, clientName });
  return {
    config,
    database,
    logger,
    clock: systemClock,
    createdEmbedded,
    announceServer: (server) => lock?.setServer(server),
    toolContext,
    context: toolContext,
    async close() {
      await database.close();
      await lock?.release();
    },
  };
}
