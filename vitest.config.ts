import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Generous limits: the suite runs beside other work on 2 cores. No test may depend on a tight
    // timeout; waits are for conditions (FakeSlack.waitFor, polling) with limits this wide.
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // The one error the server's crash guard also tolerates: postgres.js writing to a socket
    // PostgreSQL just dropped (connection-loss.test.ts provokes that on purpose).
    onUnhandledError: (error) => !/postgres[\\/]src[\\/]connection\.js/.test(error.stack ?? ''),
  },
});
