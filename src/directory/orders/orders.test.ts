import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextFor, customerInput, principal, TODAY } from '../../../test/context.ts';
import { openTestDatabase } from '../../../test/database.ts';
import type { Database } from '../../db/client.ts';
import { orders } from '../../db/schema/index.ts';
import type { Role } from '../access/principal.ts';
import { createPartnerInput } from '../partners/partner-schema.ts';
import { setPartnerStatus } from '../partners/partner-status.ts';
import { createPartner } from '../partners/partner-write.ts';
import { listOrders, recordOrder } from './orders.ts';

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const newCustomer = async () =>
  (await createPartner(contextFor(database), createPartnerInput.parse(customerInput()))).partner;

describe('recordOrder', () => {
  it('raises ordersCount and lastOrderDate in the same transaction, keeping the latest date', async () => {
    const partner = await newCustomer();
    const ctx = contextFor(database, { role: 'editor' });
    const first = await recordOrder(ctx, {
      partner: { code: partner.code },
      reference: 'SO-1',
      orderDate: '2026-06-10',
      amount: 100,
      etd: '2026-07-01',
    });
    expect(first.partner).toMatchObject({
      ordersCount: 1,
      lastOrderDate: '2026-06-10',
      activity: 'active',
      version: 2,
    });
    const older = await recordOrder(ctx, {
      partner: { code: partner.code },
      reference: 'SO-0',
      orderDate: '2025-01-01',
      amount: '50.5',
    });
    expect(older.partner).toMatchObject({ ordersCount: 2, lastOrderDate: '2026-06-10' });
  });

  it('is idempotent by reference and refuses the same reference with other values', async () => {
    const partner = await newCustomer();
    const ctx = contextFor(database, { role: 'editor' });
    const order = { partner: { id: partner.id }, reference: 'PO-7', orderDate: '2026-06-01', amount: 99.9 };
    await recordOrder(ctx, order);
    const again = await recordOrder(ctx, order);
    expect(again).toMatchObject({ duplicate: true, partner: { ordersCount: 1 } });
    await expect(recordOrder(ctx, { ...order, amount: 5 })).rejects.toMatchObject({ code: 'conflict' });
    expect(await database.db.select().from(orders).where(eq(orders.partnerId, partner.id))).toHaveLength(1);
  });

  it('counts each of many concurrent orders exactly once', async () => {
    const partner = await newCustomer();
    const ctx = contextFor(database, { role: 'editor' });
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        recordOrder(ctx, {
          partner: { id: partner.id },
          reference: `C-${i % 4}`,
          orderDate: TODAY,
          amount: 1,
        }),
      ),
    );
    expect(await database.db.select().from(orders).where(eq(orders.partnerId, partner.id))).toHaveLength(4);
    const { partner: after, duplicate } = await recordOrder(ctx, {
      partner: { id: partner.id },
      reference: 'C-1',
      orderDate: TODAY,
      amount: 1,
    });
    expect(duplicate).toBe(true);
    expect(after.ordersCount).toBe(4);
  });

  it.each([
    [{ orderDate: '2026-13-01' }, 'orderDate'],
    [{ orderDate: '2026-06-16' }, 'orderDate'],
    [{ amount: -1 }, 'amount'],
    [{ reference: '   ' }, 'reference'],
    [{ etd: 'soon' }, 'etd'],
  ])('refuses %j', async (overrides, field) => {
    const partner = await newCustomer();
    const error = await recordOrder(contextFor(database), {
      partner: { id: partner.id },
      reference: 'R-1',
      orderDate: TODAY,
      amount: 1,
      ...overrides,
    }).catch((e) => e);
    expect(error.code).toBe('validation');
    expect(error.problems.map((p: { field: string }) => p.field)).toContain(field);
  });

  it('refuses viewers and disabled partners', async () => {
    const partner = await newCustomer();
    const order = { partner: { id: partner.id }, reference: 'X', orderDate: TODAY, amount: 1 };
    await expect(recordOrder(contextFor(database, { role: 'viewer' }), order)).rejects.toMatchObject({
      code: 'forbidden',
    });
    await setPartnerStatus(contextFor(database), { ref: { id: partner.id }, status: 'disabled' });
    await expect(recordOrder(contextFor(database), order)).rejects.toMatchObject({ code: 'conflict' });
  });
});

describe('listOrders', () => {
  it('lists the orders of a record newest first, by code', async () => {
    const partner = await newCustomer();
    const ctx = contextFor(database, { role: 'editor' });
    for (const [reference, orderDate] of [
      ['L-1', '2026-05-01'],
      ['L-2', '2026-06-01'],
    ] as const)
      await recordOrder(ctx, { partner: { id: partner.id }, reference, orderDate, amount: 1 });
    const listed = await listOrders(contextFor(database, { role: 'viewer' }), {
      ref: { code: partner.code },
      limit: 10,
    });
    expect(listed.code).toBe(partner.code);
    expect(listed.orders.map((order) => order.reference)).toEqual(['L-2', 'L-1']);
  });

  it('checks visibility itself: a record of another access group is not found, not listed', async () => {
    const partner = (
      await createPartner(
        contextFor(database),
        createPartnerInput.parse(customerInput({ accessGroups: ['asia'] })),
      )
    ).partner;
    await recordOrder(contextFor(database), {
      partner: { id: partner.id },
      reference: 'HIDDEN-1',
      orderDate: TODAY,
      amount: 1,
    });
    const outsider = contextFor(database, { role: 'admin', groups: [] });
    expect((await listOrders(outsider, { ref: { id: partner.id }, limit: 5 })).orders).toHaveLength(1);
    await expect(
      listOrders(contextFor(database, { role: 'viewer', groups: ['eu'] }), {
        ref: { id: partner.id },
        limit: 5,
      }),
    ).rejects.toMatchObject({ code: 'not_found' });
  });

  it('refuses a caller whose role holds no read permission, before reading anything', async () => {
    const ctx = contextFor(database, { principal: { ...principal('viewer'), role: 'guest' as Role } });
    await expect(listOrders(ctx, { ref: { code: 'CUS-000001' }, limit: 5 })).rejects.toMatchObject({
      code: 'forbidden',
    });
  });
});
