import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../db/client.ts';
import { settings } from '../db/schema/index.ts';
import { requirePermission } from './access/principal.ts';
import type { DirectoryContext } from './context.ts';
import { type FieldProblem, throwIfProblems } from './errors.ts';
import { cleanCurrency } from './values/contact-fields.ts';

/** Workspace settings an admin may change, with their defaults. */
export const settingsSchema = z.object({
  defaultCurrency: z
    .string()
    .default('USD')
    .describe('Currency for new records when none is given (ISO 4217).'),
});
export type Settings = z.infer<typeof settingsSchema>;
export type SettingKey = keyof Settings;
export const settingKeys = Object.keys(settingsSchema.shape) as SettingKey[];

/** All settings, defaults filled in. */
export async function readSettings(db: DbOrTx): Promise<Settings> {
  const rows = await db.select({ key: settings.key, value: settings.value }).from(settings);
  return settingsSchema.parse(Object.fromEntries(rows.map((row) => [row.key, row.value])));
}

/** Sets one setting (admin only), validated. */
export async function updateSetting(ctx: DirectoryContext, key: string, value: string): Promise<Settings> {
  requirePermission(ctx.actor.principal, 'manage', 'change settings');
  const problems: FieldProblem[] = [];
  if (key === 'defaultCurrency') {
    const currency = cleanCurrency(value.trim(), key, problems);
    throwIfProblems(problems, 'The setting');
    const change = { value: currency, updatedBy: ctx.actor.principal.name, updatedAt: ctx.clock.now() };
    await ctx.db
      .insert(settings)
      .values({ key, ...change })
      .onConflictDoUpdate({ target: settings.key, set: change });
  } else {
    problems.push({
      field: 'key',
      code: 'unknown_setting',
      message: `There is no setting "${key}".`,
      allowed: settingKeys,
    });
    throwIfProblems(problems, 'The setting');
  }
  return readSettings(ctx.db);
}

/**
 * The HMAC key for stateless MCP sessions: created by the first process that asks and then
 * read by every replica, so a session id signed by one is accepted by all.
 */
export async function sessionSecret(db: DbOrTx): Promise<string> {
  const key = 'internal.sessionSecret';
  await db
    .insert(settings)
    .values({ key, value: randomBytes(32).toString('base64url'), updatedBy: 'system' })
    .onConflictDoNothing();
  const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, key));
  return String(row!.value);
}
