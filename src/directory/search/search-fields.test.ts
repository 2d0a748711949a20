import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextFor, customerInput, supplierInput } from '../../../test/context.ts';
import { openTestDatabase } from '../../../test/database.ts';
import type { Database } from '../../db/client.ts';
import { createPartnerInput } from '../partners/partner-schema.ts';
import { createPartner } from '../partners/partner-write.ts';
import { searchPartners } from './search.ts';

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
  const ctx = contextFor(database);
  const add = (input: Record<string, unknown>) => createPartner(ctx, createPartnerInput.parse(input));
  await add(
    supplierInput({
      code: 'SUP-TH1',
      companyName: 'Bangkok Palm Oils',
      country: 'TH',
      city: 'Bangkok',
      notes: 'RSPO palm oil certification renewed; ships from Laem Chabang.',
    }),
  );
  await add(supplierInput({ code: 'SUP-VN1', companyName: 'Saigon Cotton', country: 'VN', city: 'Hà Nội' }));
  await add(customerInput({ code: 'CUS-VN1', companyName: 'Hanoi Traders', country: 'VN', city: 'Hanoi' }));
  await add(
    customerInput({
      code: 'CUS-DE1',
      country: 'DE',
      city: 'Berlin',
      notes: 'Prefers email; palm sugar only.',
    }),
  );
});
afterAll(async () => {
  await database?.close();
});

const codes = async (input: Parameters<typeof searchPartners>[1]) =>
  (await searchPartners(contextFor(database, { role: 'viewer' }), input)).items.map((row) => row.code).sort();

describe('searchPartners: notes and city filters', () => {
  it('finds words in the notes, every word, case- and accent-insensitive', async () => {
    expect(await codes({ notes: 'palm oil certification' })).toEqual(['SUP-TH1']);
    expect(await codes({ notes: 'PALM' })).toEqual(['CUS-DE1', 'SUP-TH1']);
    expect(await codes({ notes: 'palm oil', kind: 'customer' })).toEqual([]);
  });

  it('does not match the notes through the free-text query', async () => {
    expect(await codes({ query: 'certification' })).toEqual([]);
  });

  it('matches the whole city name, case-, accent- and space-insensitive', async () => {
    // "Hanoi" and "Hà Nội" are one city written two ways.
    expect((await codes({ city: 'hanoi' })).sort()).toEqual(['CUS-VN1', 'SUP-VN1']);
    expect((await codes({ city: 'Ha Noi' })).sort()).toEqual(['CUS-VN1', 'SUP-VN1']);
    expect(await codes({ city: 'Han' })).toEqual([]);
    expect(await codes({ city: 'Berlin', notes: 'email' })).toEqual(['CUS-DE1']);
  });
});
