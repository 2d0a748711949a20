import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type SQL, sql } from 'drizzle-orm';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextFor, customerInput, supplierInput } from '../../../test/context.ts';
import { openTestDatabase } from '../../../test/database.ts';
import { type Database, rowsOf } from '../../db/client.ts';
import { migrateDatabase, migrationsFolder } from '../../db/migrate.ts';
import { fixedClock } from '../activity/clock.ts';
import { recordOrder } from '../orders/orders.ts';
import { createPartnerInput, type PartnerKind } from '../partners/partner-schema.ts';
import { removePartner, setPartnerStatus } from '../partners/partner-status.ts';
import { createPartner, updatePartner } from '../partners/partner-write.ts';
import { resolveCountry } from '../values/country.ts';
import { countPartners } from './summary.ts';

// partner_counts is kept by triggers on partners; every test compares it with a fresh GROUP BY.
const clock = fixedClock('2026-06-15T12:00:00Z');
let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const admin = () => contextFor(database, { clock });
const query = async <T>(db: Database, statement: SQL) => rowsOf<T>(await db.db.execute(statement));
const add = async (input: Record<string, unknown>) =>
  (await createPartner(admin(), createPartnerInput.parse(input))).partner;

/** partner_counts (groups with n <> 0) and the same numbers counted from partners. */
async function countsAndTruth(db: Database) {
  const key = sql`(kind || '|' || status || '|' || coalesce(country, '-') || '|' || array_to_string(access_groups, ',')) collate "C"`;
  const kept = await query<{ key: string; n: number }>(
    db,
    sql`select ${key} as key, n::int as n from partner_counts where n <> 0 order by 1`,
  );
  const truth = await query<{ key: string; n: number }>(
    db,
    sql`select ${key} as key, count(*)::int as n from partners group by 1 order by 1`,
  );
  return { kept, truth };
}

async function expectExact(db: Database = database) {
  const { kept, truth } = await countsAndTruth(db);
  expect(kept).toEqual(truth);
  return truth;
}

/** All and Disabled per kind counted straight from partners, as the summary did before partner_counts. */
async function directCounts(groups: string[] | undefined, countryNames?: string[]) {
  const countries = countryNames?.map((name) => resolveCountry(name)!.code);
  const rows = await query<{ kind: PartnerKind; all: number; disabled: number }>(
    database,
    sql`select kind, count(*)::int as all, (count(*) filter (where status = 'disabled'))::int as disabled
      from partners
      where true
        ${countries ? sql`and country = any(${`{${countries.join(',')}}`}::text[])` : sql``}
        ${groups ? sql`and (cardinality(access_groups) = 0 or access_groups && ${`{${groups.join(',')}}`}::text[])` : sql``}
      group by kind`,
  );
  const of = (kind: PartnerKind) => rows.find((row) => row.kind === kind) ?? { all: 0, disabled: 0 };
  return { customer: of('customer'), supplier: of('supplier') };
}

async function expectSummaryMatches(groups: string[] | undefined, countries?: string[]) {
  const ctx = groups ? contextFor(database, { clock, role: 'viewer', groups }) : admin();
  const counts = await countPartners(ctx, countries ? { countries } : {});
  const direct = await directCounts(groups, countries);
  for (const kind of ['customer', 'supplier'] as const) {
    expect({ kind, all: counts[kind]!.all, disabled: counts[kind]!.disabled }).toEqual({
      kind,
      ...direct[kind],
    });
    expect(counts[kind]!.enabled).toBe(direct[kind].all - direct[kind].disabled);
  }
  return counts;
}

/** Inserts `count` partners in one statement (one trigger call with many rows). */
async function insertMany(
  count: number,
  values: { kind: PartnerKind; country: string | null; groups: string },
) {
  const tag = randomBytes(4).toString('hex');
  await database.db.execute(sql`
    insert into partners (kind, code, first_name, email, total, terms_accepted_at, created_by, updated_by, country, access_groups)
    select ${values.kind}::partner_kind, 'BULK-' || upper(${tag}) || '-' || i, 'Bulk', 'bulk' || i || '@' || ${tag} || '.example',
      0, now(), 'test', 'test', ${values.country}, ${values.groups}::text[]
    from generate_series(1, ${count}::int) as i`);
  return tag;
}

describe('partner_counts', () => {
  it('counts inserts, one at a time and many in one statement', async () => {
    await add(customerInput({ country: 'VN' }));
    await add(customerInput({ country: 'VN', accessGroups: ['asia'] }));
    await add(customerInput({ country: 'DE', accessGroups: ['eu'] }));
    await add(customerInput({}));
    await add(supplierInput({ country: 'VN' }));
    await add(supplierInput({ country: 'DE', accessGroups: ['eu', 'asia'] }));
    await insertMany(40, { kind: 'customer', country: 'DE', groups: '{}' });
    await insertMany(25, { kind: 'supplier', country: null, groups: '{eu}' });
    const truth = await expectExact();
    expect(truth.reduce((sum, row) => sum + row.n, 0)).toBe(71);
  });

  it('moves a partner between groups when its kind, status, country or access groups change', async () => {
    const partner = await add(customerInput({ country: 'FR' }));
    await expectExact();
    await updatePartner(admin(), { ref: { id: partner.id }, changes: { country: 'Germany' } });
    await expectExact();
    await updatePartner(admin(), { ref: { id: partner.id }, changes: { accessGroups: ['eu', 'americas'] } });
    await expectExact();
    await updatePartner(admin(), { ref: { id: partner.id }, changes: { country: null } });
    await expectExact();
    await setPartnerStatus(admin(), { ref: { id: partner.id }, status: 'disabled' });
    await expectExact();
    await setPartnerStatus(admin(), { ref: { id: partner.id }, status: 'enabled' });
    await expectExact();
    await database.db.execute(sql`update partners set kind = 'supplier' where id = ${partner.id}`);
    await expectExact();
  });

  it('leaves the counts alone when other fields change (an order, a name)', async () => {
    const partner = await add(customerInput({ country: 'JP' }));
    const before = await query<{ n: number }>(
      database,
      sql`select n::int as n from partner_counts where kind = 'customer' and country = 'JP' and status = 'enabled'`,
    );
    await recordOrder(admin(), {
      partner: { id: partner.id },
      reference: 'O-1',
      orderDate: '2026-06-10',
      amount: 5,
    });
    await updatePartner(admin(), { ref: { id: partner.id }, changes: { firstName: 'Renamed' } });
    const after = await query<{ n: number }>(
      database,
      sql`select n::int as n from partner_counts where kind = 'customer' and country = 'JP' and status = 'enabled'`,
    );
    expect(after).toEqual(before);
    await expectExact();
  });

  it('applies updates of many rows in one statement, including swaps that cancel out', async () => {
    await database.db.execute(
      sql`update partners set country = 'FR' where country = 'DE' and first_name = 'Bulk'`,
    );
    await expectExact();
    await database.db.execute(
      sql`update partners set access_groups = '{asia}', status = 'disabled', disabled_at = now() where kind = 'supplier' and country is null`,
    );
    await expectExact();
    // Half of one group to another and half of that one back: net changes only.
    await database.db.execute(sql`
      update partners set country = case country when 'FR' then 'VN' else 'FR' end
      where first_name = 'Bulk' and country in ('FR', 'VN')`);
    await expectExact();
    await database.db.execute(
      sql`update partners set kind = 'supplier' where first_name = 'Bulk' and kind = 'customer'`,
    );
    await expectExact();
  });

  it('counts deletes, by the domain and many in one statement', async () => {
    const partner = await add(supplierInput({ country: 'CN', accessGroups: ['asia'] }));
    await expectExact();
    await removePartner(admin(), { ref: { id: partner.id } });
    await expectExact();
    await database.db.execute(sql`delete from partners where first_name = 'Bulk' and country = 'VN'`);
    await expectExact();
  });

  it('keeps the counts of a rolled-back transaction out', async () => {
    const before = await countsAndTruth(database);
    await expect(
      database.db.transaction(async (tx) => {
        await tx.execute(sql`update partners set country = 'US'`);
        await tx.execute(sql`delete from partners where first_name = 'Bulk'`);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await countsAndTruth(database)).toEqual(before);
  });

  it('gives the summary the same All and Disabled as counting partners, for every caller and country filter', async () => {
    for (const groups of [undefined, [], ['eu'], ['asia'], ['eu', 'americas'], ['mea']]) {
      for (const countries of [undefined, ['VN'], ['DE', 'FR'], ['Viet Nam', 'Germany', 'JP']]) {
        await expectSummaryMatches(groups, countries);
      }
    }
  });

  it('counts exactly what an access-group viewer may see in the countries asked for', async () => {
    await add(customerInput({ country: 'IT', accessGroups: ['eu'] }));
    await add(customerInput({ country: 'IT', accessGroups: ['asia'] }));
    await add(customerInput({ country: 'IT' }));
    const disabled = await add(customerInput({ country: 'ES', accessGroups: ['eu', 'mea'] }));
    await setPartnerStatus(admin(), { ref: { id: disabled.id }, status: 'disabled' });
    await add(supplierInput({ country: 'ES', accessGroups: ['americas'] }));
    const counts = await expectSummaryMatches(['eu'], ['Italy', 'ES']);
    expect(counts.customer).toMatchObject({ all: 3, enabled: 2, disabled: 1 });
    expect(counts.supplier).toMatchObject({ all: 0, enabled: 0, disabled: 0 });
    const asAdmin = await countPartners(admin(), { countries: ['IT', 'ES'] });
    expect(asAdmin.customer).toMatchObject({ all: 4, disabled: 1 });
    expect(asAdmin.supplier).toMatchObject({ all: 1, disabled: 0 });
  });

  it('empties on TRUNCATE and counts again after', async () => {
    await database.db.execute(sql`truncate partners cascade`);
    expect(await query(database, sql`select * from partner_counts`)).toEqual([]);
    await add(customerInput({ country: 'VN' }));
    await insertMany(3, { kind: 'supplier', country: 'VN', groups: '{eu}' });
    const truth = await expectExact();
    expect(truth).toEqual([
      { key: 'customer|enabled|VN|', n: 1 },
      { key: 'supplier|enabled|VN|eu', n: 3 },
    ]);
  });
});

describe('the partner_counts migration', () => {
  it('backfills the partners that exist when it runs', async () => {
    // Apply the migrations before partner_counts' triggers, add partners, then apply the rest.
    const folder = await mkdtemp(path.join(tmpdir(), 'pb-migrations-'));
    const blank = await openTestDatabase({ migrate: false });
    try {
      await cp(migrationsFolder, folder, { recursive: true });
      const journalPath = path.join(folder, 'meta', '_journal.json');
      const journal = JSON.parse(await readFile(journalPath, 'utf8')) as { entries: { tag: string }[] };
      const cut = journal.entries.findIndex((entry) => entry.tag === '0006_partner_counts');
      expect(cut).toBeGreaterThan(0);
      journal.entries = journal.entries.slice(0, cut);
      await writeFile(journalPath, JSON.stringify(journal));
      if (blank.driver === 'postgres') {
        const db = blank.db as unknown as Parameters<typeof migratePostgres>[0];
        await migratePostgres(db, { migrationsFolder: folder });
      } else {
        const db = blank.db as unknown as Parameters<typeof migratePglite>[0];
        await migratePglite(db, { migrationsFolder: folder });
      }
      const ctx = contextFor(blank, { clock });
      for (const input of [
        customerInput({ country: 'VN' }),
        customerInput({ country: 'VN' }),
        customerInput({ accessGroups: ['eu'] }),
        supplierInput({ country: 'DE', accessGroups: ['eu', 'asia'] }),
      ]) {
        await createPartner(ctx, createPartnerInput.parse(input));
      }
      expect(await query(blank, sql`select 1 from pg_class where relname = 'partner_counts'`)).toHaveLength(
        1,
      );
      expect(await query(blank, sql`select * from partner_counts`)).toEqual([]);

      await migrateDatabase(blank);
      const truth = await expectExact(blank);
      expect(truth).toEqual([
        { key: 'customer|enabled|-|eu', n: 1 },
        { key: 'customer|enabled|VN|', n: 2 },
        { key: 'supplier|enabled|DE|asia,eu', n: 1 },
      ]);
      await createPartner(
        ctx,
        createPartnerInput.parse(supplierInput({ country: 'DE', accessGroups: ['asia', 'eu'] })),
      );
      expect((await expectExact(blank)).at(-1)).toEqual({ key: 'supplier|enabled|DE|asia,eu', n: 2 });
    } finally {
      await blank.close();
      await rm(folder, { recursive: true, force: true });
    }
  });
});
