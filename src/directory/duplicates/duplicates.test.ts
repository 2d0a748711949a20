import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextFor, principal } from '../../../test/context.ts';
import { openTestDatabase } from '../../../test/database.ts';
import { insertPartnerRows } from '../../../test/partner-rows.ts';
import { type Database, rowsOf } from '../../db/client.ts';
import { CLOSE_NAME_SIMILARITY, findDuplicates } from './duplicates.ts';

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

async function sqlValue<T>(query: ReturnType<typeof sql>): Promise<T> {
  return Object.values(rowsOf<Record<string, T>>(await database.db.execute(query))[0]!)[0]!;
}

describe('pb_company_key', () => {
  it.each([
    ['ABC Trading Co., Ltd.', 'abc trading'],
    ['Müller GmbH', 'muller'],
    ['Sông Hồng JSC', 'song hong'],
    ['Fratelli Rossi S.p.A.', 'fratelli rossi'],
    ['Acme, Inc.', 'acme'],
    ['Lim Sdn Bhd', 'lim'],
    ['Tata Pvt Ltd', 'tata'],
    ['Ltd', null],
  ])('%s -> %s', async (name, key) => {
    expect(await sqlValue(sql`select pb_company_key(${name}) as key`)).toBe(key);
  });
});

describe('the close-name threshold', () => {
  it.each([
    ['ABC Trading', 'ABC Tradings', true],
    ['Hoang Long Logistics', 'Hoang Long Logistic', true],
    ['Saigon Textile', 'Saigon Textiles JSC', true],
    ['Song Hong Trading', 'Song Hong Trading Services', true],
    ['ABC Trading', 'XYZ Trading', false],
    ['Acme', 'Acme Industries', false],
  ])('%s ~ %s: %s', async (a, b, close) => {
    const similarity = Number(
      await sqlValue(sql`select similarity(pb_company_key(${a}), pb_company_key(${b})) as s`),
    );
    expect(similarity >= CLOSE_NAME_SIMILARITY, String(similarity)).toBe(close);
  });
});

describe('findDuplicates', () => {
  beforeAll(async () => {
    await insertPartnerRows(database, {
      code: 'DUP',
      rows: [
        { companyName: 'ABC Trading Co., Ltd', country: 'VN' }, // 0
        { companyName: 'abc trading', country: 'VN' }, // 1: same company, same country
        { companyName: 'ABC Trading', country: 'TH' }, // 2: same name, another country (same email domain): not a duplicate
        { companyName: 'Lotus Exports', phone: '+84912000100', country: 'VN' }, // 3
        { companyName: 'Blue River', phone: '+84912000100', country: 'VN' }, // 4: same phone
        { companyName: 'Song Hong Trading', email: 'a@songhong.vn', country: 'VN' }, // 5
        { companyName: 'Song Hong Trading Services', email: 'b@songhong.vn', country: 'LA' }, // 6: close + domain
        { companyName: 'Song Hong Trading Services', email: 'c@other.vn', city: 'Vientiane', country: 'KH' }, // 7: close, nothing shared with 5
        { companyName: 'Hidden Twin', country: 'DE', accessGroups: ['eu'] }, // 8
        { companyName: 'Hidden Twin', country: 'DE' }, // 9
        { kind: 'supplier', companyName: 'ABC Trading', country: 'VN' }, // 10: other kind
      ],
    });
  });

  it('finds each rule with its reason and score, and nothing for different countries or kinds', async () => {
    const { groups } = await findDuplicates(contextFor(database), { minScore: 0.3 });
    const pairs = groups.flatMap((g) => g.reasons.map((r) => `${[...r.codes].sort().join('+')} ${r.reason}`));
    expect(pairs).toContain('DUP-0+DUP-1 same company name in the same country');
    expect(pairs).toContain('DUP-3+DUP-4 same phone');
    expect(
      pairs.some((p) => /^DUP-5\+DUP-6 similar company names \(\d+%\) and the same email domain$/.test(p)),
    ).toBe(true);
    expect(pairs.some((p) => p.includes('DUP-2'))).toBe(false);
    expect(pairs.some((p) => /DUP-5\+DUP-7/.test(p))).toBe(false);
    expect(pairs.some((p) => p.includes('DUP-10'))).toBe(false);
    const abc = groups.find((g) => g.records.some((r) => r.code === 'DUP-0'))!;
    expect(abc.score).toBe(0.95);
    expect(abc.records.map((r) => r.code).sort()).toEqual(['DUP-0', 'DUP-1']);
  });

  it('shows only records the caller may see', async () => {
    const admin = await findDuplicates(contextFor(database), {});
    expect(admin.groups.some((g) => g.records.some((r) => r.code === 'DUP-8'))).toBe(true);
    const outsider = await findDuplicates(
      contextFor(database, { principal: principal('viewer', ['asia']) }),
      {},
    );
    expect(outsider.groups.some((g) => g.records.some((r) => r.code === 'DUP-8'))).toBe(false);
  });

  it('pages with a cursor and filters by kind and country', async () => {
    const onlyVn = await findDuplicates(contextFor(database), {
      kind: 'customer',
      countries: ['Viet Nam'],
      limit: 1,
    });
    expect(onlyVn.groups).toHaveLength(1);
    const suppliers = await findDuplicates(contextFor(database), { kind: 'supplier' });
    expect(suppliers.groups).toEqual([]);
    await expect(findDuplicates(contextFor(database), { countries: ['Vietnum'] })).rejects.toMatchObject({
      code: 'validation',
    });
  });
});

describe('find_duplicates (tool)', () => {
  it('lists the groups in words through the runner', async () => {
    const { findTool, runTool } = await import('../../tools/index.ts');
    const result = await runTool(
      findTool('find_duplicates')!,
      { kind: 'customer' },
      contextFor(database, { role: 'viewer' }),
    );
    expect(result.isError).toBe(false);
    expect(result.text).toMatch(/DUP-3 \(Lotus Exports\) = DUP-4 \(Blue River\): same phone \(score 0.9\)/);
  });
});
