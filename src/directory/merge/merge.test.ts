import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextFor, principal, supplierInput } from '../../../test/context.ts';
import { openTestDatabase } from '../../../test/database.ts';
import type { Database } from '../../db/client.ts';
import { auditEvents, complianceItems, orders, partnerAliases, partners } from '../../db/schema/index.ts';
import { setComplianceItem } from '../compliance/compliance-items.ts';
import { recordOrder } from '../orders/orders.ts';
import { getPartner } from '../partners/partner-read.ts';
import { createPartner, updatePartner } from '../partners/partner-write.ts';
import { mergePartners } from './merge.ts';

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

/** A survivor and a duplicate, each with orders (one reference on both) and compliance items (one name on both). */
async function pair(tag: string, options: { duplicateGroups?: string[] } = {}) {
  const ctx = contextFor(database);
  const survivor = (
    await createPartner(
      ctx,
      supplierInput({
        code: `S-${tag}`,
        companyName: 'Minh Phat Steel',
        phone: '+84912000200',
        notes: 'Main record.',
      }),
    )
  ).partner;
  const duplicate = (
    await createPartner(
      ctx,
      supplierInput({
        code: `D-${tag}`,
        companyName: 'Minh Phat Steel JSC',
        phone: '+84912000201',
        notes: 'Imported twice.',
        ...(options.duplicateGroups ? { accessGroups: options.duplicateGroups } : {}),
      }),
    )
  ).partner;
  for (const [code, reference, orderDate] of [
    [survivor.code, 'PO-1', '2026-01-10'],
    [duplicate.code, 'PO-1', '2026-02-10'],
    [duplicate.code, 'PO-2', '2026-05-01'],
  ] as const)
    await recordOrder(ctx, { partner: { code }, reference, orderDate, amount: 100 });
  for (const [code, name, validTo] of [
    [survivor.code, 'ISO 9001', '2027-01-01'],
    [duplicate.code, 'iso 9001', '2028-06-30'],
    [duplicate.code, 'Insurance', '2026-12-31'],
  ] as const)
    await setComplianceItem(ctx, { partner: { code }, name, validTo });
  return { survivor, duplicate };
}

describe('mergePartners', () => {
  it('a dry run says field by field what would happen and changes nothing', async () => {
    const { survivor, duplicate } = await pair('DRY');
    const auditBefore = (await database.db.select().from(auditEvents)).length;
    const result = await mergePartners(contextFor(database), {
      survivor: survivor.code,
      duplicates: [duplicate.code],
      keep: { phone: duplicate.code },
    });
    expect(result).toMatchObject({
      dryRun: true,
      ordersMoved: 2,
      ordersRenamed: [{ from: 'PO-1', to: 'PO-1 (from D-DRY)' }],
      complianceItemsMoved: 2,
      complianceItemsDropped: [{ code: 'S-DRY', name: 'ISO 9001', validTo: '2027-01-01' }],
      versions: { 'S-DRY': expect.any(Number), 'D-DRY': expect.any(Number) },
    });
    expect(result.fields.phone).toEqual({ before: '+84912000200', after: '+84912000201' });
    expect(result.fields.ordersCount).toEqual({ before: 1, after: 3 });
    expect(result.fields.notes).toEqual({
      before: 'Main record.',
      after: 'Main record.\n\nFrom D-DRY: Imported twice.',
    });
    expect(await database.db.select().from(partners).where(eq(partners.code, 'D-DRY'))).toHaveLength(1);
    expect((await database.db.select().from(auditEvents)).length).toBe(auditBefore);
  });

  it('moves orders and compliance items, recomputes counts, removes the duplicate and keeps its code as an alias', async () => {
    const { survivor, duplicate } = await pair('REAL');
    const ctx = contextFor(database, { role: 'editor' });
    const dry = await mergePartners(ctx, { survivor: survivor.code, duplicates: [duplicate.code] });
    const result = await mergePartners(ctx, {
      survivor: survivor.code,
      duplicates: [duplicate.code],
      dryRun: false,
      expectedVersions: dry.versions,
    });
    expect(result).toMatchObject({ dryRun: false, ordersMoved: 2, complianceItemsMoved: 2 });
    const [after] = await database.db.select().from(partners).where(eq(partners.id, survivor.id));
    expect(after).toMatchObject({ ordersCount: 3, lastOrderDate: '2026-05-01', phone: '+84912000200' });
    expect(await database.db.select().from(partners).where(eq(partners.id, duplicate.id))).toHaveLength(0);
    const references = (await database.db.select().from(orders).where(eq(orders.partnerId, survivor.id)))
      .map((o) => o.reference)
      .sort();
    expect(references).toEqual(['PO-1', 'PO-1 (from D-REAL)', 'PO-2']);
    const items = await database.db
      .select()
      .from(complianceItems)
      .where(eq(complianceItems.partnerId, survivor.id));
    expect(items.map((i) => [i.name, i.validTo]).sort()).toEqual([
      ['Insurance', '2026-12-31'],
      ['iso 9001', '2028-06-30'],
    ]);
    expect(
      await database.db.select().from(partnerAliases).where(eq(partnerAliases.code, 'D-REAL')),
    ).toMatchObject([{ partnerId: survivor.id, kind: 'supplier' }]);
    // get_partner by the old code finds the survivor.
    expect((await getPartner(ctx, { code: 'D-REAL' })).code).toBe('S-REAL');
    const events = await database.db
      .select()
      .from(auditEvents)
      .where(inArray(auditEvents.partnerId, [survivor.id, duplicate.id]));
    const merges = events.filter((e) => e.action === 'merge');
    expect(merges.map((e) => e.partnerCode).sort()).toEqual(['D-REAL', 'S-REAL']);
    expect(merges.find((e) => e.partnerCode === 'D-REAL')).toMatchObject({
      details: { mergedInto: 'S-REAL' },
    });
  });

  it('refuses a merge when a record changed since the dry run, and writes nothing', async () => {
    const { survivor, duplicate } = await pair('RACE');
    const ctx = contextFor(database);
    const dry = await mergePartners(ctx, { survivor: survivor.code, duplicates: [duplicate.code] });
    await updatePartner(ctx, { ref: { code: duplicate.code }, changes: { city: 'Hai Phong' } });
    await expect(
      mergePartners(ctx, {
        survivor: survivor.code,
        duplicates: [duplicate.code],
        dryRun: false,
        expectedVersions: dry.versions,
      }),
    ).rejects.toMatchObject({ code: 'stale_version' });
    expect(await database.db.select().from(partners).where(eq(partners.id, duplicate.id))).toHaveLength(1);
    expect(await database.db.select().from(orders).where(eq(orders.partnerId, duplicate.id))).toHaveLength(2);
  });

  it('a merge racing an edit: one of them wins, and no order is lost', async () => {
    const { survivor, duplicate } = await pair('RACE2');
    const ctx = contextFor(database);
    const dry = await mergePartners(ctx, { survivor: survivor.code, duplicates: [duplicate.code] });
    const [merge, edit] = await Promise.allSettled([
      mergePartners(ctx, {
        survivor: survivor.code,
        duplicates: [duplicate.code],
        dryRun: false,
        expectedVersions: dry.versions,
      }),
      updatePartner(ctx, {
        ref: { code: duplicate.code },
        changes: { city: 'Hue' },
        expectedVersion: duplicate.version,
      }),
    ]);
    expect([merge.status, edit.status].filter((s) => s === 'fulfilled')).toHaveLength(1);
    const total = await database.db
      .select()
      .from(orders)
      .where(inArray(orders.partnerId, [survivor.id, duplicate.id]));
    expect(total).toHaveLength(3);
  });

  it('refuses a viewer, a record the caller cannot see, and two kinds', async () => {
    const { survivor, duplicate } = await pair('ROLE', { duplicateGroups: ['eu'] });
    await expect(
      mergePartners(contextFor(database, { role: 'viewer' }), {
        survivor: survivor.code,
        duplicates: [duplicate.code],
      }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    await expect(
      mergePartners(contextFor(database, { principal: principal('editor', ['asia']) }), {
        survivor: survivor.code,
        duplicates: [duplicate.code],
      }),
    ).rejects.toMatchObject({ code: 'not_found' });
    const customer = (
      await createPartner(contextFor(database), {
        kind: 'customer',
        code: 'C-ROLE',
        firstName: 'C',
        email: 'c@role.test',
        totalSales: 0,
        termsAccepted: true,
      })
    ).partner;
    await expect(
      mergePartners(contextFor(database), { survivor: survivor.code, duplicates: [customer.code] }),
    ).rejects.toThrow(/only records of one kind merge|used by a customer and a supplier/);
  });
});
