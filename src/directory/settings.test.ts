import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextFor, TODAY } from '../../test/context.ts';
import { openTestDatabase } from '../../test/database.ts';
import type { Database } from '../db/client.ts';
import { settings } from '../db/schema/index.ts';
import { fixedClock } from './activity/clock.ts';
import { readSettings, sessionSecret, updateSetting } from './settings.ts';

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const updatedAt = async (key: string) =>
  (await database.db.select().from(settings).where(eq(settings.key, key)))[0]?.updatedAt.toISOString();

describe('settings', () => {
  it('dates a change by the injected clock, on the first write and on a later one', async () => {
    await updateSetting(contextFor(database), 'defaultCurrency', 'eur');
    expect(await updatedAt('defaultCurrency')).toBe(`${TODAY}T12:00:00.000Z`);
    const later = contextFor(database, { clock: fixedClock('2026-08-01T09:30:00Z') });
    expect(await updateSetting(later, 'defaultCurrency', 'VND')).toMatchObject({ defaultCurrency: 'VND' });
    expect(await updatedAt('defaultCurrency')).toBe('2026-08-01T09:30:00.000Z');
  });

  it('refuses an unknown key and a non-admin', async () => {
    await expect(updateSetting(contextFor(database), 'colour', 'blue')).rejects.toMatchObject({
      code: 'validation',
    });
    await expect(
      updateSetting(contextFor(database, { role: 'editor' }), 'defaultCurrency', 'USD'),
    ).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('creates the MCP session secret once and gives every caller the same one', async () => {
    const [first, second] = await Promise.all([sessionSecret(database.db), sessionSecret(database.db)]);
    expect(first).toMatch(/^[\w-]{43}$/);
    expect(second).toBe(first);
    expect(await readSettings(database.db)).not.toHaveProperty('internal.sessionSecret');
  });
});
