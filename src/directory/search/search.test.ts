import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextFor, customerInput, supplierInput } from '../../../test/context.ts';
import { openTestDatabase } from '../../../test/database.ts';
import type { Database } from '../../db/client.ts';
import { partners } from '../../db/schema/index.ts';
import { recordOrder } from '../orders/orders.ts';
import { createPartnerInput } from '../partners/partner-schema.ts';
import { createPartner } from '../partners/partner-write.ts';
import {
  estimateMatches,
  roundEstimate,
  type SearchInput,
  searchInput,
  searchPartners,
  sortKeys,
  textSearchPlan,
} from './search.ts';

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
  const ctx = contextFor(database);
  const add = async (input: Record<string, unknown>, orderDate?: string) => {
    const { partner } = await createPartner(ctx, createPartnerInput.parse(input));
    if (orderDate)
      await recordOrder(ctx, { partner: { id: partner.id }, reference: 'O-1', orderDate, amount: 1 });
  };
  await add(
    customerInput({
      firstName: 'Nguyễn',
      lastName: 'Văn An',
      companyName: 'Đà Nẵng Textiles',
      country: 'VN',
      city: 'Da Nang',
      totalSales: 50000,
    }),
    '2026-06-10',
  );
  await add(
    customerInput({
      firstName: 'Hans',
      lastName: 'Müller',
      companyName: 'Müller Verpackung GmbH',
      country: 'DE',
      city: 'Berlin',
      totalSales: 12000,
      phone: '+49 30 1234567',
    }),
  );
  await add(
    customerInput({
      firstName: 'Wu',
      lastName: 'Lei',
      companyName: 'Shenzhen Parts',
      country: 'CN',
      totalSales: 800,
    }),
    '2025-01-01',
  );
  await add(
    customerInput({
      firstName: 'Anna',
      lastName: 'Wunderlich',
      companyName: null,
      country: 'AT',
      totalSales: 3000,
      accessGroups: ['eu'],
    }),
  );
  await add(
    supplierInput({
      firstName: 'Trần',
      lastName: 'Thị Bình',
      companyName: 'Saigon Cotton',
      country: 'VN',
      totalPurchases: 9000,
    }),
  );
  await add(
    supplierInput({ firstName: 'Linh', companyName: 'Hanoi Buttons', country: 'VN', totalPurchases: 100 }),
    '2026-06-01',
  );
  for (let i = 0; i < 12; i++)
    await add(
      customerInput({
        firstName: `Bulk${String(i).padStart(2, '0')}`,
        totalSales: i * 10,
        city: i % 3 ? `City ${i}` : null,
      }),
    );
});
afterAll(async () => {
  await database?.close();
});

const search = (input: Partial<SearchInput>, options: Parameters<typeof contextFor>[1] = {}) =>
  searchPartners(contextFor(database, options), searchInput.parse(input));
const codesOf = async (input: Partial<SearchInput>, options?: Parameters<typeof contextFor>[1]) =>
  (await search(input, options)).items.map((item) => `${item.firstName} ${item.lastName ?? ''}`.trim());

describe('searchPartners text', () => {
  it.each([
    ['nguyen', 'Nguyễn Văn An'],
    ['NGUYỄN', 'Nguyễn Văn An'],
    ['da nang', 'Nguyễn Văn An'],
    ['textil', 'Nguyễn Văn An'],
    ['muller', 'Hans Müller'],
    ['verpack', 'Hans Müller'],
    ['301234', 'Hans Müller'],
    ['+49 30 1234567', 'Hans Müller'],
    ['tran binh', 'Trần Thị Bình'],
    ['wu', 'Wu Lei'],
  ])('finds %s', async (query, name) => {
    expect(await codesOf({ query })).toContain(name);
  });

  it('matches short words at the start of a word only', async () => {
    const names = await codesOf({ query: 'wu' });
    expect(names).toEqual(expect.arrayContaining(['Wu Lei', 'Anna Wunderlich']));
    expect(await codesOf({ query: 'ei' })).toEqual([]);
  });

  it('finds a record by its code and by email', async () => {
    const first = (await search({ query: 'Hans' })).items[0]!;
    expect((await search({ query: first.code.toLowerCase() })).items.map((i) => i.code)).toEqual([
      first.code,
    ]);
    expect((await search({ query: first.email })).items.map((i) => i.code)).toEqual([first.code]);
  });

  it('treats % and _ literally', async () => {
    expect(await codesOf({ query: '%%%' })).toEqual([]);
    expect(await codesOf({ query: '___' })).toEqual([]);
    expect(await codesOf({ query: '%' })).toEqual([]);
    expect(await codesOf({ query: '_u' })).toEqual([]);
    expect(await codesOf({ query: 'w_' })).toEqual([]);
  });
});

describe('searchPartners filters', () => {
  it('filters by kind, country name and activity', async () => {
    expect(await codesOf({ kind: 'supplier', countries: ['Vietnam'], activity: 'inactive' })).toEqual([
      'Trần Thị Bình',
    ]);
    expect(await codesOf({ kind: 'supplier', countries: ['vn'], activity: 'active' })).toEqual(['Linh']);
    expect(await codesOf({ kind: 'customer', countries: ['VNM', 'Germany'] })).toEqual([
      'Hans Müller',
      'Nguyễn Văn An',
    ]);
  });

  it('filters by total range', async () => {
    expect(await codesOf({ kind: 'customer', minTotal: 3000, maxTotal: 12000 })).toEqual([
      'Anna Wunderlich',
      'Hans Müller',
    ]);
  });

  it('hides records outside the caller access groups, also from the total', async () => {
    const asEu = await search({ kind: 'customer' }, { role: 'viewer', groups: ['eu'] });
    const asNobody = await search({ kind: 'customer' }, { role: 'viewer' });
    expect(asEu.total - asNobody.total).toBe(1);
    expect(asNobody.items.map((i) => i.lastName)).not.toContain('Wunderlich');
  });

  it('reports an unknown country with a suggestion', async () => {
    await expect(search({ countries: ['Vietnum'] })).rejects.toMatchObject({
      problems: [expect.objectContaining({ field: 'countries[0]', didYouMean: 'VN (Viet Nam)' })],
    });
  });
});

describe('searchPartners sorting and paging', () => {
  it('sorts by total descending by default and blank cities last A to Z', async () => {
    const byTotal = (await search({ kind: 'customer', sortBy: 'total' })).items.map((i) => i.totalSales);
    expect(byTotal).toEqual([...byTotal].sort((a, b) => b! - a!));
    const byCity = (await search({ kind: 'customer', sortBy: 'city', limit: 200 })).items.map((i) => i.city);
    const firstBlank = byCity.indexOf(null);
    expect(byCity.slice(firstBlank).every((c) => c === null)).toBe(true);
    expect(byCity.slice(0, firstBlank)).toEqual(
      [...byCity.slice(0, firstBlank)].sort((a, b) => a!.localeCompare(b!, 'en')),
    );
  });

  it.each(sortKeys)('pages through every match exactly once sorted by %s', async (sortBy) => {
    for (const sortDir of ['asc', 'desc'] as const) {
      const all = await search({ sortBy, sortDir, limit: 200 });
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await search({ sortBy, sortDir, limit: 4, ...(cursor ? { cursor } : {}) });
        expect(page.total).toBe(all.total);
        seen.push(...page.items.map((i) => i.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toEqual(all.items.map((i) => i.id));
    }
  });

  it('refuses a cursor from another sort or a forged one', async () => {
    const page = await search({ sortBy: 'name', limit: 2 });
    await expect(search({ sortBy: 'total', cursor: page.nextCursor! })).rejects.toMatchObject({
      problems: [expect.objectContaining({ field: 'cursor' })],
    });
    await expect(search({ cursor: 'garbage' })).rejects.toMatchObject({ code: 'validation' });
  });

  it('refuses a page size over 200 and an unknown sort key with the allowed values', () => {
    expect(searchInput.safeParse({ limit: 201 }).success).toBe(false);
    const parsed = searchInput.safeParse({ sortBy: 'sales' });
    expect(parsed.success).toBe(false);
  });
});

describe('searchPartners totals of text searches', () => {
  const pages = async (input: Partial<SearchInput>, countLimit?: number) => {
    const ctx = contextFor(database);
    const seen: string[] = [];
    const totals: [number, boolean][] = [];
    let cursor: string | undefined;
    do {
      const page = await searchPartners(
        ctx,
        searchInput.parse({ ...input, limit: 5, ...(cursor ? { cursor } : {}) }),
        countLimit === undefined ? {} : { countLimit },
      );
      seen.push(...page.items.map((i) => i.id));
      totals.push([page.total, page.totalIsExact]);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return { seen, totals };
  };

  it('counts exactly when the planner expects few matches', async () => {
    const result = await search({ query: 'bulk' });
    expect(result).toMatchObject({ total: 12, totalIsExact: true });
  });

  it('gives the estimate, flagged inexact, past the count limit, with the same pages', async () => {
    const exact = await pages({ query: 'bulk', sortBy: 'name' });
    const estimated = await pages({ query: 'bulk', sortBy: 'name' }, 0);
    expect(estimated.seen).toEqual(exact.seen);
    expect(exact.totals.every(([total, isExact]) => total === 12 && isExact)).toBe(true);
    expect(estimated.totals.every(([, isExact]) => !isExact)).toBe(true);
    const estimate = await estimateMatches(database.db, sql`${partners.searchText} like '%bulk%'`);
    expect(estimate).toBeGreaterThan(0);
    expect(estimated.totals[0]![0]).toBe(roundEstimate(estimate!));
  });

  it.each(['name', 'total', 'city'] as const)(
    'gives the limit as a lower bound when the matches overrun it, sorted by %s',
    async (sortBy) => {
      // Four copies of one word: the planner multiplies their selectivities and expects about 1 row.
      const query = 'bulk bulk bulk bulk';
      const exact = await pages({ query, sortBy });
      const overrun = await pages({ query, sortBy }, 5);
      expect(overrun.seen).toEqual(exact.seen);
      expect(exact.seen).toHaveLength(12);
      expect(overrun.totals).toEqual(overrun.totals.map(() => [5, false]));
    },
  );

  it('counts exactly on every page, also after the last match', async () => {
    const { seen, totals } = await pages({ query: 'bulk', sortBy: 'total', sortDir: 'asc' });
    expect(seen).toHaveLength(12);
    expect(totals).toEqual([
      [12, true],
      [12, true],
      [12, true],
    ]);
  });
});

describe('textSearchPlan and roundEstimate', () => {
  it('counts up to the limit (and when the plan could not be read), estimates past it', () => {
    expect(textSearchPlan(10_000, 10_000)).toBe('count');
    expect(textSearchPlan(10_001, 10_000)).toBe('estimate');
    expect(textSearchPlan(1, 0)).toBe('estimate');
    expect(textSearchPlan(undefined, 0)).toBe('count');
  });

  it('rounds an estimate to two significant digits', () => {
    expect([0, 7, 99, 100, 10_049, 47_047, 152_152].map(roundEstimate)).toEqual([
      0, 7, 99, 100, 10_000, 47_000, 150_000,
    ]);
  });
});
