import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * JSON logs on stderr (stdout belongs to MCP stdio and to CLI output). Secrets are redacted
 * by key wherever they appear in a logged object.
 */
export function createLogger(level: string): Logger {
  return pino(
    {
      level,
      base: { service: 'partnerbook' },
      redact: {
        paths: [
          'token',
          '*.token',
          'authorization',
          '*.authorization',
          'headers.authorization',
          'apiKey',
          '*.apiKey',
          'signingSecret',
        ],
        censor: '[redacted]',
      },
    },
    pino.destination(2),
  );
}
