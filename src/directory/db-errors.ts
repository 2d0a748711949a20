import { DirectoryError } from './errors.ts';

interface DriverError {
  code?: string;
  constraint?: string;
  constraint_name?: string;
  message?: string;
}

/** The PostgreSQL error under drizzle's wrapper (DrizzleQueryError keeps the driver error as cause). */
export function driverErrorOf(error: unknown): DriverError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    const candidate = current as DriverError & { cause?: unknown };
    if (typeof candidate.code === 'string') return candidate;
    current = candidate.cause;
  }
  return undefined;
}

/** The name of the constraint a unique violation (23505) hit, or undefined for any other error. */
export function uniqueViolation(error: unknown): string | undefined {
  const driver = driverErrorOf(error);
  if (driver?.code !== '23505') return undefined;
  return driver.constraint ?? driver.constraint_name ?? '';
}

const retryableCodes = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  '57P01',
  '57P02',
  '57P03',
  '40001',
  '40P01',
  '55P03',
]);

/**
 * Turns an unexpected database failure into a DirectoryError whose message is safe to show
 * (no SQL, constraint names or paths). Dropped connections and serialization failures are
 * marked retryable; the transaction they were in has rolled back.
 */
export function toDirectoryError(error: unknown): DirectoryError {
  if (error instanceof DirectoryError) return error;
  const code = driverErrorOf(error)?.code;
  if (code && (retryableCodes.has(code) || code.startsWith('08'))) {
    return new DirectoryError(
      'unavailable',
      'The database connection was interrupted; nothing was saved. Try again.',
      {
        retryable: true,
        cause: error,
      },
    );
  }
  return new DirectoryError('internal', 'Something went wrong on our side; nothing was saved.', {
    cause: error,
  });
}
