import { z } from 'zod';

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const timeZone = z
  .string()
  .trim()
  .default('UTC')
  .refine(
    (value) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: value });
        return true;
      } catch {
        return false;
      }
    },
    { message: 'must be an IANA time zone such as UTC, Europe/Berlin or Asia/Ho_Chi_Minh' },
  );

const envSchema = z.object({
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
  ),
  DATA_DIR: z.string().trim().min(1).default('./data'),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: optionalString.pipe(
    z.url({ message: 'must be a URL such as https://partnerbook.example.com' }).optional(),
  ),
  TIMEZONE: timeZone,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PARTNERBOOK_ADMIN_TOKEN: optionalString.pipe(
    z.string().min(24, 'must be at least 24 characters (use a random value)').optional(),
  ),
  PARTNERBOOK_TOKEN: optionalString,
  PARTNERBOOK_URL: optionalString.pipe(z.url().optional()),
  COMPLIANCE_WINDOW_DAYS: z.coerce.number().int().min(0).max(3650).default(30),
  ALLOWED_ORIGINS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    ),
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(6000),
  AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().min(1).default(20),
  TRUST_PROXY: z
    .enum(['true', 'false', '1', '0', ''])
    .default('false')
    .transform((value) => value === 'true' || value === '1'),
  HEADERS_TIMEOUT_MS: z.coerce.number().int().min(1000).default(10_000),
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).default(30_000),
  MAX_CONNECTIONS_PER_ADDRESS: z.coerce.number().int().min(1).default(100),
  SLACK_BOT_TOKEN: optionalString.pipe(
    z.string().startsWith('xoxb-', 'must be a bot token (xoxb-...)').optional(),
  ),
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: optionalString.pipe(
    z.string().startsWith('xapp-', 'must be an app-level token (xapp-...)').optional(),
  ),
  SLACK_API_URL: optionalString.pipe(z.url().optional()),
  SLACK_DEFAULT_ROLE: z.enum(['viewer', 'editor', 'admin', 'none']).default('viewer'),
  DIGEST_CHANNEL: optionalString,
  DIGEST_TIME: z
    .string()
    .trim()
    .default('09:00')
    .refine((value) => /^([01]\d|2[0-3]):[0-5]\d$/.test(value), {
      message: 'must be HH:MM (24-hour), e.g. 09:00',
    }),
  COMPLIANCE_CHANNEL: optionalString,
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalString.pipe(z.url().optional()),
  OPENAI_MODEL: z.string().trim().min(1).default('gpt-4o-mini'),
});

export type Config = z.infer<typeof envSchema>;

/** Whether a model is configured: an API key, or an OpenAI-compatible server (Ollama, vLLM) that may need none. */
export function modelConfigured(config: Config): boolean {
  return !!(config.OPENAI_API_KEY || config.OPENAI_BASE_URL);
}

/** Thrown when the environment has invalid values; the message names every bad variable. */
export class ConfigError extends Error {}

/** Parses the environment once. Only this module reads process.env. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (
    parsed.success &&
    parsed.data.SLACK_BOT_TOKEN &&
    !parsed.data.SLACK_SIGNING_SECRET &&
    !parsed.data.SLACK_APP_TOKEN
  ) {
    throw new ConfigError(
      'Invalid environment:\n  SLACK_SIGNING_SECRET: required with SLACK_BOT_TOKEN (or set SLACK_APP_TOKEN for Socket Mode)',
    );
  }
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid environment:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
