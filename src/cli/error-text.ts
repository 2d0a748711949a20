import { CommanderError } from 'commander';
import { ConfigError } from '../config.ts';
import { EmbeddedDatabaseBusy } from '../db/embedded-lock.ts';
import { DirectoryError } from '../directory/errors.ts';
import { explainDatabaseError } from './database-errors.ts';
import { PortUnavailable } from './listen-first.ts';
import { didYouMean } from './option-values.ts';

/**
 * What the CLI prints for an error that ends a command, and its exit code: the message, each
 * problem with its field, the allowed values and the closest one, and the hint; never a stack.
 * Exit codes: 1 refused or failed, 2 configuration or the database (cannot start at all).
 */
export function errorText(error: unknown, databaseUrl?: string): { text: string; exitCode: number } {
  if (
    error instanceof ConfigError ||
    error instanceof EmbeddedDatabaseBusy ||
    error instanceof PortUnavailable
  )
    return { text: error.message, exitCode: 2 };
  if (error instanceof DirectoryError) {
    const problems = error.problems.map((p) => {
      const suggestion =
        p.didYouMean ??
        (p.allowed && typeof p.message === 'string'
          ? didYouMean(quoted(p.message) ?? '', p.allowed)
          : undefined);
      const extra = [
        p.allowed?.length && !p.message.includes(p.allowed.join(', '))
          ? `use one of: ${p.allowed.join(', ')}`
          : '',
        suggestion && !/did you mean/i.test(p.message) ? `did you mean ${suggestion}?` : '',
      ].filter(Boolean);
      return `  ${p.field}: ${p.message}${extra.length ? ` (${extra.join('; ')})` : ''}`;
    });
    const hint = error.hint && !error.message.includes(error.hint) ? error.hint : undefined;
    return { text: [error.message, ...problems, ...(hint ? [hint] : [])].join('\n'), exitCode: 1 };
  }
  const database = explainDatabaseError(error, databaseUrl);
  if (database) return { text: database, exitCode: 2 };
  if (error instanceof CommanderError) return { text: '', exitCode: error.exitCode };
  if ((error as { code?: string }).code === 'EPIPE') return { text: '', exitCode: 0 };
  return {
    text: `partnerbook failed: ${error instanceof Error ? error.message : String(error)}`,
    exitCode: 1,
  };
}

/** The first "quoted" value in a message ("There is no setting "x"."), to suggest a near one. */
function quoted(message: string): string | undefined {
  return /"([^"]+)"/.exec(message)?.[1];
}
