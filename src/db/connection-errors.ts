/** What the drivers (postgres.js, PGlite) put on an error. */
export interface DriverError {
  code?: string;
  constraint?: string;
  constraint_name?: string;
  message?: string;
}

/** The driver error under drizzle's wrapper (DrizzleQueryError keeps the driver error as cause). */
export function driverErrorOf(error: unknown): DriverError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    const candidate = current as DriverError & { cause?: unknown };
    if (typeof candidate.code === 'string') return candidate;
    current = candidate.cause;
  }
  return undefined;
}

// The connection died under the statement: reset or closed by the server, or its backend
// terminated (57P01 admin shutdown, 57P02 crash shutdown) or lost (class 08).
const lostConnectionCodes = new Set(['CONNECTION_CLOSED', 'ECONNRESET', 'EPIPE', '57P01', '57P02']);

/**
 * True when a statement failed because its database connection was lost, not because of the
 * statement (a connection that ends because we close the pool does not count).
 */
export function isConnectionLost(error: unknown): boolean {
  const code = driverErrorOf(error)?.code;
  return !!code && (lostConnectionCodes.has(code) || code.startsWith('08'));
}
