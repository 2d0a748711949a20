import { eq } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextFor, customerInput } from '../../test/context.ts';
import { openTestDatabase, testDriver } from '../../test/database.ts';
import type { Database } from '../db/client.ts';
import { auditEvents, partners } from '../db/schema/index.ts';
import { DirectoryError } from './errors.ts';
import { createPartnerInput } from './partners/partner-schema.ts';
import { createPartner } from './partners/partner-write.ts';

// Only PostgreSQL has connections to drop; PGlite runs in-process.
describe.skipIf(testDriver !== 'postgres')('a dropped database connection', () => {
  let database: Database & { url?: string };
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(async () => {
    await database?.close();
  });

  it('rolls back a write whose connection drops mid-transaction, with a retryable error; the retry succeeds', async () => {
    const ctx = contextFor(database, { role: 'editor' });
    const admin = postgres(database.url!, { max: 1, onnotice: () => {} });
    const input = createPartnerInput.parse(customerInput({ email: 'dropped@example.com' }));
    try {
      // Hold the audit table so the create stops between its partner insert and its audit event...
      let lockHeld: () => void = () => {};
      const held = new Promise<void>((resolve) => {
        lockHeld = resolve;
      });
      const released = admin.begin(async (sql) => {
        await sql`lock table audit_events in access exclusive mode`;
        lockHeld();
        let victim: { pid: number } | undefined;
        for (let i = 0; i < 100 && !victim; i++) {
          [victim] = await sql<
            { pid: number }[]
          >`select pid from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()`;
          if (!victim) await new Promise((resolve) => setTimeout(resolve, 50));
        }
        // ...and drop its connection there.
        await sql`select pg_terminate_backend(${victim!.pid})`;
      });
      await held;
      const failed = await createPartner(ctx, input).catch((error: unknown) => error);
      await released;
      expect(failed).toBeInstanceOf(DirectoryError);
      expect(failed).toMatchObject({ code: 'unavailable', retryable: true });
      expect((failed as DirectoryError).message).not.toMatch(/terminat|postgres|sql|lock/i);
    } finally {
      await admin.end();
    }
    expect(
      await database.db.select().from(partners).where(eq(partners.email, 'dropped@example.com')),
    ).toHaveLength(0);
    const { partner } = await createPartner(ctx, input);
    expect(partner.email).toBe('dropped@example.com');
    const events = await database.db.select().from(auditEvents).where(eq(auditEvents.partnerId, partner.id));
    expect(events).toHaveLength(1);
  });
});
