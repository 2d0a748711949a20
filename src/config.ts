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
});

export type Config = z.infer<typeof envSchema>;

/** Thrown when the environment has invalid values; the message names every bad variable. */
export class ConfigError extends Error {}

/** Parses the environment once. Only this module reads process.env. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid environment:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
