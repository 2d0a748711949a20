import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { type Database, openDatabase } from '../src/db/client.ts';
import { migrateDatabase } from '../src/db/migrate.ts';

/** Which database the suite runs on: PostgreSQL when DATABASE_URL is set, else PGlite. */
export const testDriver = process.env.DATABASE_URL ? 'postgres' : 'pglite';

/**
 * A fresh database for one test file (migrated unless `migrate: false`): PGlite in memory, or a new PostgreSQL
 * database created beside DATABASE_URL's (dropped by close()).
 */
export async function openTestDatabase(
  options: { migrate?: boolean } = {},
): Promise<Database & { url?: string }> {
  const migrate = options.migrate ?? true;
  const baseUrl = process.env.DATABASE_URL;
  if (!baseUrl) {
    const database = await openDatabase({ driver: 'pglite' });
    if (migrate) await migrateDatabase(database);
    return database;
  }
  const name = `pb_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ driver: 'postgres', url: url.toString() });
  if (migrate) await migrateDatabase(database);
  return {
    ...database,
    url: url.toString(),
    async close() {
      await database.close();
      const cleanup = postgres(baseUrl, { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}
