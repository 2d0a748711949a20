import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The one error the server's crash guard also tolerates: postgres.js writing to a socket
    // PostgreSQL just dropped (connection-loss.test.ts provokes that on purpose).
    onUnhandledError: (error) => !/postgres[\\/]src[\\/]connection\.js/.test(error.stack ?? ''),
  },
});
