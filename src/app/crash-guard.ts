import type { Logger } from './logger.ts';

/**
 * postgres.js can throw from a socket callback when PostgreSQL drops a connection in the middle
 * of a transaction (it writes the ROLLBACK to a socket it has just released). The request has
 * already failed with a retryable error and the pool reconnects, so that one error is logged,
 * not fatal. Anything else uncaught still stops the process (a supervisor restarts it).
 */
export function isDroppedConnectionRace(error: unknown): boolean {
  return error instanceof TypeError && /postgres[\\/]src[\\/]connection\.js/.test(error.stack ?? '');
}

export function installCrashGuard(logger: Logger): void {
  process.on('uncaughtException', (error) => {
    if (isDroppedConnectionRace(error)) {
      logger.warn({ err: error }, 'a database connection dropped mid-transaction; continuing');
      return;
    }
    logger.fatal({ err: error }, 'uncaught exception; stopping');
    process.exit(1);
  });
}
