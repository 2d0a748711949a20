import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { eq, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextFor, customerInput } from '../../test/context.ts';
import { openTestDatabase, testDriver } from '../../test/database.ts';
import { toDirectoryError } from '../directory/db-errors.ts';
import { getPartner } from '../directory/partners/partner-read.ts';
import { createPartnerInput } from '../directory/partners/partner-schema.ts';
import { createPartner } from '../directory/partners/partner-write.ts';
import { type Database, openDatabase, rowsOf } from './client.ts';
import { isConnectionLost } from './connection-errors.ts';
import { isReadOnlyStatement } from './idle-retry.ts';
import { auditEvents, partners, settings } from './schema/index.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

describe('isReadOnlyStatement', () => {
  it.each([
    ['select "id" from "partners" where "code" = $1', true],
    ['with t as (select 1) select * from t', true],
    ['  SELECT count(*) FROM partners', true],
    ['insert into "settings" ("key") values ($1)', false],
    ['with t as (delete from partners returning id) select * from t', false],
    ['select * from partners for update', false],
    ['select * from partners for key share', false],
    ["select nextval('partner_code_seq')", false],
    ['select pg_advisory_xact_lock(1)', false],
    ['select * into copy from partners', false],
    ['update partners set version = version + 1', false],
  ])('%s -> %s', (statement, readOnly) => {
    expect(isReadOnlyStatement(statement)).toBe(readOnly);
  });
});

// PGlite runs inside this process: it has no backends to terminate, so this is PostgreSQL only.
describe.skipIf(testDriver !== 'postgres')(
  'a pooled PostgreSQL connection that died while idle (skipped on PGlite: it has no backends to kill)',
  () => {
    let base: Database & { url?: string };
    let database: Database;
    let admin: postgres.Sql;
    const retries: string[] = [];
    let code: string;

    beforeAll(async () => {
      base = await openTestDatabase();
      database = await openDatabase({
        driver: 'postgres',
        url: base.url!,
        onIdleRetry: ({ kind }) => retries.push(kind),
      });
      admin = postgres(base.url!, { max: 1, onnotice: () => {} });
      const input = createPartnerInput.parse(customerInput({ email: 'idle-read@example.com' }));
      ({
        partner: { code },
      } = await createPartner(contextFor(database, { role: 'editor' }), input));
    });
    afterAll(async () => {
      await admin?.end();
      await database?.close();
      await base?.close();
    });

    /**
     * Several pooled connections, idle now. (Warming up can itself meet a connection that reports
     * an earlier termination: postgres.js replays it onto the first query after a reconnect,
     * porsager/postgres#1223; the retry covers that too.)
     */
    async function warmPool(): Promise<void> {
      await Promise.all(Array.from({ length: 4 }, () => database.db.execute(sql`select pg_sleep(0.05)`)));
    }

    /**
     * What the probe ran: from a separate connection, PostgreSQL ends our idle backends (waiting
     * until they are gone). It runs in a child process while this one is blocked, so the pool
     * has not yet seen the connections close when the next call takes one, as on a busy server.
     */
    function terminateIdleBackends(): void {
      // Only this test's database: other suites on this server have partnerbook connections too.
      const script = `
        import postgres from 'postgres';
        const admin = postgres(process.env.TARGET_URL, { max: 1, onnotice: () => {} });
        const ended = await admin\`
          select pg_terminate_backend(pid, 10000) as ended from pg_stat_activity
          where application_name = 'partnerbook' and datname = current_database() and pid <> pg_backend_pid()\`;
        await admin.end();
        console.log(ended.filter((row) => row.ended).length);`;
      const ended = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
        cwd: repoRoot,
        env: { ...process.env, TARGET_URL: base.url },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(Number(ended)).toBeGreaterThanOrEqual(4);
    }

    async function settingRows(key: string): Promise<number> {
      return (await admin`select 1 from settings where key = ${key}`).length;
    }

    it('runs the next read again on a fresh connection, and it succeeds', async () => {
      await warmPool();
      terminateIdleBackends();
      retries.length = 0;
      const partner = await getPartner(contextFor(database), { code });
      expect(partner.code).toBe(code);
      expect(retries).toContain('read');
    });

    it('runs the next transaction again when its BEGIN met a dead connection, and applies it once', async () => {
      await warmPool();
      terminateIdleBackends();
      retries.length = 0;
      let runs = 0;
      const row = await database.db.transaction(async (tx) => {
        runs++;
        const [inserted] = await tx
          .insert(settings)
          .values({ key: 'idle.transaction', value: 1, updatedBy: 'test' })
          .returning();
        return inserted!;
      });
      expect(runs).toBe(1);
      // The fresh connection maps values as the pool does (drizzle's own type parsers).
      expect(row.updatedAt).toBeInstanceOf(Date);
      expect(Number.isNaN(row.updatedAt.getTime())).toBe(false);
      expect(retries).toContain('transaction');
      expect(await settingRows('idle.transaction')).toBe(1);
    });

    it('creates a partner once, with one audit event, right after idle backends were terminated', async () => {
      const ctx = contextFor(database, { role: 'editor' });
      await warmPool();
      terminateIdleBackends();
      retries.length = 0;
      const input = createPartnerInput.parse(customerInput({ email: 'idle-write@example.com' }));
      const { partner } = await createPartner(ctx, input);
      expect(retries.length).toBeGreaterThan(0);
      expect(
        await database.db.select().from(partners).where(eq(partners.email, 'idle-write@example.com')),
      ).toHaveLength(1);
      expect(
        await database.db.select().from(auditEvents).where(eq(auditEvents.partnerId, partner.id)),
      ).toHaveLength(1);
    });

    it('does not run a transaction again once it has begun: it fails retryably and leaves nothing', async () => {
      let runs = 0;
      const failed = await database.db
        .transaction(async (tx) => {
          runs++;
          await tx.insert(settings).values({ key: 'idle.begun', value: 1, updatedBy: 'test' });
          const [own] = rowsOf<{ pid: number }>(await tx.execute(sql`select pg_backend_pid() as pid`));
          await admin`select pg_terminate_backend(${own!.pid}, 10000)`;
          await tx.execute(sql`select 1`);
        })
        .catch((error: unknown) => error);
      expect(isConnectionLost(failed)).toBe(true);
      expect(toDirectoryError(failed)).toMatchObject({ code: 'unavailable', retryable: true });
      expect(runs).toBe(1);
      expect(await settingRows('idle.begun')).toBe(0);
    });

    it('does not run a write outside a transaction again: it fails and was not applied', async () => {
      await warmPool();
      terminateIdleBackends();
      retries.length = 0;
      const failed = await database.db
        .insert(settings)
        .values({ key: 'idle.autocommit', value: 1, updatedBy: 'test' })
        .catch((error: unknown) => error);
      expect(isConnectionLost(failed)).toBe(true);
      expect(retries).toEqual([]);
      expect(await settingRows('idle.autocommit')).toBe(0);
      // The next transactional write succeeds, once.
      await database.db.transaction(async (tx) => {
        await tx.insert(settings).values({ key: 'idle.autocommit', value: 2, updatedBy: 'test' });
      });
      expect(await settingRows('idle.autocommit')).toBe(1);
    });
  },
);
