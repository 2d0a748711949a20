import { sql } from 'drizzle-orm';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextFor, customerInput, TODAY } from '../../test/context.ts';
import { openTestDatabase } from '../../test/database.ts';
import { type Database, rowsOf } from '../db/client.ts';
import { addDays } from '../directory/activity/clock.ts';
import { DirectoryError } from '../directory/errors.ts';
import { normalizePartnerFields } from '../directory/partners/partner-fields.ts';
import { createPartnerInput } from '../directory/partners/partner-schema.ts';
import { createPartner } from '../directory/partners/partner-write.ts';
import { searchPartners } from '../directory/search/search.ts';
import { countPartners } from '../directory/summary/summary.ts';
import { type DemoPartner, demoKindCounts, generateDemoPartners } from './demo-data.ts';
import { seedDemo } from './demo-seed.ts';

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const admin = () => contextFor(database);
const query = async <T>(text: ReturnType<typeof sql>) => rowsOf<T>(await database.db.execute(text));

/** The create input a person would type for a demo record (kind-named since and total). */
function createInputOf(demo: DemoPartner) {
  const named =
    demo.kind === 'customer' ? ['customerSince', 'totalSales'] : ['supplierSince', 'totalPurchases'];
  const fields = {
    firstName: demo.firstName,
    lastName: demo.lastName,
    email: demo.email,
    phone: demo.phone,
    companyName: demo.companyName,
    nickname: demo.nickname,
    notes: demo.notes,
    [named[0]!]: demo.since,
    [named[1]!]: demo.total,
    currency: demo.currency,
    street: demo.street,
    address2: demo.address2,
    city: demo.city,
    state: demo.state,
    postalCode: demo.postalCode,
    country: demo.country,
    website: demo.website,
    employees: demo.employees,
    accessGroups: demo.accessGroups,
  };
  return Object.fromEntries(
    Object.entries(fields).filter(([, value]) => value !== null && value !== undefined),
  );
}

describe('generateDemoPartners', () => {
  it('gives the same records for the same seed and others for another seed', () => {
    const take = (seed: number) => [...generateDemoPartners({ count: 50, seed, today: TODAY })];
    expect(JSON.stringify(take(7))).toBe(JSON.stringify(take(7)));
    expect(take(8).map((p) => p.email)).not.toEqual(take(7).map((p) => p.email));
  });

  it('yields records the domain rules accept, with phones valid for their country', () => {
    const demos = [...generateDemoPartners({ count: 5000, seed: 3, today: TODAY })];
    for (const demo of demos) {
      const { values, problems } = normalizePartnerFields({ kind: demo.kind, input: createInputOf(demo) });
      expect(problems, `${demo.code} ${demo.email}`).toEqual([]);
      expect(values.email).toBe(demo.email);
      expect(values.website ?? null).toBe(demo.website ?? null);
      if (demo.phone) {
        const parsed = parsePhoneNumberFromString(demo.phone);
        expect(parsed?.isValid(), demo.phone).toBe(true);
        expect(parsed?.number).toBe(demo.phone);
        expect(parsed?.country, demo.phone).toBe(demo.country);
      }
    }
    const emails = new Set(demos.map((demo) => `${demo.kind}:${demo.email}`));
    expect(emails.size).toBe(demos.length);
    expect(demos.every((demo) => /^[a-z0-9.]+@[a-z0-9.-]+$/.test(demo.email))).toBe(true);
  });

  it('features Viet Nam with Vietnamese names, and many other countries', () => {
    const demos = [...generateDemoPartners({ count: 2000, seed: 1, today: TODAY })];
    const vietnamese = demos.filter((demo) => demo.country === 'VN');
    expect(vietnamese.length / demos.length).toBeGreaterThan(0.1);
    expect(vietnamese.some((demo) => demo.lastName === 'Nguyễn')).toBe(true);
    expect(new Set(demos.map((demo) => demo.country)).size).toBeGreaterThanOrEqual(28);
  });

  it('numbers codes per kind from codeStart and splits kinds in half', () => {
    const demos = [...generateDemoPartners({ count: 5, today: TODAY, codeStart: { supplier: 41 } })];
    expect(demos.map((demo) => demo.code)).toEqual([
      'CUS-000001',
      'SUP-000041',
      'CUS-000002',
      'SUP-000042',
      'CUS-000003',
    ]);
    expect(demoKindCounts(5)).toEqual({ customer: 3, supplier: 2 });
  });
});

describe('seedDemo', () => {
  it('loads both kinds so every summary count is non-zero on the seed day', async () => {
    const result = await seedDemo(admin(), { count: 400 });
    expect(result).toMatchObject({
      today: TODAY,
      customers: 200,
      suppliers: 200,
      auditEvents: 400,
      skipped: 0,
    });
    expect(result.orders).toBeGreaterThan(400);
    const counts = await countPartners(admin());
    for (const kind of ['customer', 'supplier'] as const) {
      const kindCounts = counts[kind]!;
      expect(kindCounts.all).toBe(200);
      for (const key of ['new', 'active', 'inactive', 'enabled', 'disabled'] as const) {
        expect(kindCounts[key], `${kind} ${key}`).toBeGreaterThan(0);
      }
      expect(kindCounts.inactive).toBeGreaterThan(kindCounts.active);
    }
  });

  it('keeps ordersCount and lastOrderDate equal to the recorded orders, all within the last year', async () => {
    const [mismatch] = await query<{ n: number }>(sql`
      select count(*)::int as n from partners p
      left join (select partner_id, count(*)::int as n, max(order_date) as last from orders group by partner_id) o
        on o.partner_id = p.id
      where p.orders_count <> coalesce(o.n, 0) or p.last_order_date is distinct from o.last`);
    expect(mismatch!.n).toBe(0);
    const [range] = await query<{ first: string; last: string; none: number }>(sql`
      select min(order_date)::text as first, max(order_date)::text as last,
        (select count(*)::int from partners where orders_count = 0) as none from orders`);
    expect(range!.first >= addDays(TODAY, -364)).toBe(true);
    expect(range!.last <= TODAY).toBe(true);
    expect(range!.none).toBeGreaterThan(0);
  });

  it('stores E.164 phones that are valid for the record country', async () => {
    const rows = await query<{ phone: string; country: string }>(
      sql`select phone, country from partners where phone is not null`,
    );
    expect(rows.length).toBeGreaterThan(300);
    for (const row of rows) {
      const parsed = parsePhoneNumberFromString(row.phone);
      expect(parsed?.isValid(), row.phone).toBe(true);
      expect(parsed?.number).toBe(row.phone);
      expect(parsed?.country, row.phone).toBe(row.country);
    }
  });

  it('writes one create audit event per partner, via system', async () => {
    const [events] = await query<{ n: number; partners: number; via: string[] }>(sql`
      select count(*)::int as n, count(distinct partner_id)::int as partners, array_agg(distinct via::text) as via
      from audit_events where action = 'create'`);
    expect(events).toEqual({ n: 400, partners: 400, via: ['system'] });
  });

  it('adds compliance items: some expired, some expiring within 30 days, most valid for longer', async () => {
    const [items] = await query<{ expired: number; soon: number; later: number }>(sql`
      select count(*) filter (where valid_to < ${TODAY}::date)::int as expired,
        count(*) filter (where valid_to between ${TODAY}::date and ${addDays(TODAY, 30)}::date)::int as soon,
        count(*) filter (where valid_to > ${addDays(TODAY, 30)}::date)::int as later
      from compliance_items`);
    expect(items!.expired).toBeGreaterThan(0);
    expect(items!.soon).toBeGreaterThan(0);
    expect(items!.later).toBeGreaterThan(items!.soon);
  });

  it('finds demo partners by accent-insensitive and 2-letter search', async () => {
    const nguyen = await searchPartners(admin(), { query: 'nguyen' });
    expect(nguyen.total).toBeGreaterThan(0);
    expect(nguyen.items.some((item) => `${item.firstName} ${item.lastName}`.includes('Nguyễn'))).toBe(true);
    const vietnamSuppliers = await searchPartners(admin(), { kind: 'supplier', countries: ['Viet Nam'] });
    expect(vietnamSuppliers.total).toBeGreaterThan(20);
  });

  it('advances the code sequences, so the next created record gets the next free code', async () => {
    const { partner } = await createPartner(admin(), createPartnerInput.parse(customerInput()));
    expect(partner.code).toBe('CUS-000201');
  });

  it('refuses a directory that already has partners', async () => {
    const error = await seedDemo(admin(), { count: 10 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DirectoryError);
    expect((error as DirectoryError).code).toBe('conflict');
  });

  it('adds records beside existing ones with force, with fresh codes', async () => {
    const result = await seedDemo(admin(), { count: 20, force: true });
    expect(result.customers + result.suppliers + result.skipped).toBe(20);
    expect(result.customers).toBeGreaterThan(0);
    const [codes] = await query<{ max: string; n: number }>(
      sql`select max(code) as max, count(*)::int as n from partners where kind = 'customer'`,
    );
    expect(codes!.max).toBe('CUS-000211');
    expect(codes!.n).toBe(201 + result.customers);
  });

  it('is for admins only', async () => {
    const error = await seedDemo(contextFor(database, { role: 'editor' }), { count: 10, force: true }).catch(
      (caught: unknown) => caught,
    );
    expect((error as DirectoryError).code).toBe('forbidden');
  });
});
