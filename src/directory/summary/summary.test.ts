import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextFor, customerInput, supplierInput } from '../../../test/context.ts';
import { openTestDatabase } from '../../../test/database.ts';
import type { Database } from '../../db/client.ts';
import { fixedClock } from '../activity/clock.ts';
import { recordOrder } from '../orders/orders.ts';
import { createPartnerInput } from '../partners/partner-schema.ts';
import { removePartner, setPartnerStatus } from '../partners/partner-status.ts';
import { createPartner } from '../partners/partner-write.ts';
import { countPartners, directorySummary } from './summary.ts';

// Today is 2026-06-15 (noon UTC); the window starts 30 days back: 2026-05-16.
let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
  const ctx = contextFor(database, { clock: fixedClock('2026-06-15T12:00:00Z') });
  const add = async (input: Record<string, unknown>, orderDate?: string) => {
    const { partner } = await createPartner(ctx, createPartnerInput.parse(input));
    if (orderDate)
      await recordOrder(ctx, { partner: { id: partner.id }, reference: 'O-1', orderDate, amount: 1 });
    return partner;
  };
  await add(customerInput({ customerSince: '2026-05-16', country: 'VN' }), '2026-05-16'); // 30 days: new + active
  await add(customerInput({ customerSince: '2026-05-15', country: 'VN' }), '2026-05-15'); // 31 days: neither
  await add(customerInput({ customerSince: '2026-06-15', country: 'DE' })); // new, no orders: inactive
  const disabled = await add(customerInput({ customerSince: '2021-03-01', country: 'DE' }), '2026-06-01'); // active, disabled
  await setPartnerStatus(ctx, { ref: { id: disabled.id }, status: 'disabled' });
  await add(customerInput({ accessGroups: ['asia'], customerSince: '2026-06-01' }), '2026-06-02'); // hidden from eu
  await add(supplierInput({ supplierSince: '2020-01-01', country: 'VN' }), '2026-06-14');
  await add(supplierInput({ supplierSince: '2019-07-01', country: 'vietnam' }));
});
afterAll(async () => {
  await database?.close();
});

describe('countPartners', () => {
  it('counts All, New, Active, Inactive with day 30 in the window and day 31 outside', async () => {
    const counts = await countPartners(contextFor(database, { clock: fixedClock('2026-06-15T12:00:00Z') }));
    expect(counts).toMatchObject({ asOf: '2026-06-15', windowStart: '2026-05-16', timeZone: 'UTC' });
    expect(counts.customer).toEqual({ all: 5, new: 3, active: 3, inactive: 2, enabled: 4, disabled: 1 });
    expect(counts.supplier).toEqual({ all: 2, new: 0, active: 1, inactive: 1, enabled: 2, disabled: 0 });
  });

  it('moves the window with the workspace time zone', async () => {
    // 2026-06-15 23:30 UTC is already 2026-06-16 in Ho Chi Minh City: day 30 becomes day 31.
    const late = fixedClock('2026-06-15T23:30:00Z');
    const utc = await countPartners(contextFor(database, { clock: late, timeZone: 'UTC' }), {
      kind: 'customer',
    });
    const hcm = await countPartners(contextFor(database, { clock: late, timeZone: 'Asia/Ho_Chi_Minh' }), {
      kind: 'customer',
    });
    expect(utc.windowStart).toBe('2026-05-16');
    expect(hcm.windowStart).toBe('2026-05-17');
    expect(utc.customer!.new - hcm.customer!.new).toBe(1);
    expect(utc.customer!.active - hcm.customer!.active).toBe(1);
    expect(hcm.supplier).toBeUndefined();
  });

  it('filters by countries given as codes or names', async () => {
    const counts = await countPartners(contextFor(database, { clock: fixedClock('2026-06-15T12:00:00Z') }), {
      countries: ['Viet Nam'],
    });
    expect(counts.customer!.all).toBe(2);
    expect(counts.supplier!.all).toBe(2);
  });

  it('counts only what the caller may see', async () => {
    const counts = await countPartners(
      contextFor(database, { role: 'viewer', groups: ['eu'], clock: fixedClock('2026-06-15T12:00:00Z') }),
    );
    expect(counts.customer!.all).toBe(4);
  });

  it('refuses an unknown country with a suggestion', async () => {
    await expect(countPartners(contextFor(database), { countries: ['Germny'] })).rejects.toMatchObject({
      code: 'validation',
      problems: [expect.objectContaining({ field: 'countries[0]', didYouMean: 'DE (Germany)' })],
    });
  });

  it('lists the top countries per kind, as the caller may see them', async () => {
    const summary = await directorySummary(
      contextFor(database, { clock: fixedClock('2026-06-15T12:00:00Z') }),
    );
    const of = (kind: string) =>
      summary.topCountries.filter((c) => c.kind === kind).map((c) => [c.country, c.count]);
    expect(of('customer')).toEqual([
      ['DE', 2],
      ['VN', 2],
    ]);
    expect(of('supplier')).toEqual([['VN', 2]]);
    expect(summary.topCountries[0]).toMatchObject({ countryName: 'Germany' });
  });

  it('never lists a country whose count is 0 (its only records removed or moved away)', async () => {
    const ctx = contextFor(database, { clock: fixedClock('2026-06-15T12:00:00Z') });
    const { partner } = await createPartner(ctx, createPartnerInput.parse(customerInput({ country: 'IS' })));
    const listed = async () =>
      (await directorySummary(ctx)).topCountries.filter((c) => c.country === 'IS').map((c) => c.count);
    expect(await listed()).toEqual([1]);
    await removePartner(ctx, { ref: { id: partner.id } });
    expect(await listed()).toEqual([]);
    const zero = (await directorySummary(ctx)).topCountries.filter((c) => c.count === 0);
    expect(zero).toEqual([]);
  });
});
