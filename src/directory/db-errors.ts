import { driverErrorOf, isConnectionLost } from '../db/connection-errors.ts';
import { DirectoryError } from './errors.ts';

/** The name of the constraint a unique violation (23505) hit, or undefined for any other error. */
export function uniqueViolation(error: unknown): string | undefined {
  const driver = driverErrorOf(error);
  if (driver?.code !== '23505') return undefined;
  return driver.constraint ?? driver.constraint_name ?? '';
}

// Besides a lost connection (isConnectionLost): no connection to be had, the pool closing,
// and a serialization failure, deadlock or lock timeout.
const retryableCodes = new Set([
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  'ECONNREFUSED',
  'ETIMEDOUT',
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
  if (isConnectionLost(error) || (code && retryableCodes.has(code))) {
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
