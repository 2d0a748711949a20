import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextFor, customerInput, principal, supplierInput } from '../../../test/context.ts';
import { openTestDatabase } from '../../../test/database.ts';
import type { Database } from '../../db/client.ts';
import { findTool, runTool } from '../../tools/index.ts';
import { mergePartners } from '../merge/merge.ts';
import { createPartner, updatePartner } from '../partners/partner-write.ts';
import { counterpartOf, linkCounterpart } from './counterparts.ts';

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

describe('linkCounterpart', () => {
  it('links both sides, survives a rename and a merge, and replaces an earlier link', async () => {
    const ctx = contextFor(database);
    const customer = (await createPartner(ctx, customerInput({ code: 'CUS-LINK', companyName: 'Dai Phat' })))
      .partner;
    const supplier = (await createPartner(ctx, supplierInput({ code: 'SUP-LINK', companyName: 'Dai Phat' })))
      .partner;
    expect(await linkCounterpart(ctx, { customer: 'CUS-LINK', supplier: 'SUP-LINK' })).toEqual({
      customer: 'CUS-LINK',
      supplier: 'SUP-LINK',
      replaced: [],
    });
    expect(await counterpartOf(ctx, customer)).toMatchObject({
      code: 'SUP-LINK',
      kind: 'supplier',
      ordersCount: 0,
    });
    expect(await counterpartOf(ctx, supplier)).toMatchObject({ code: 'CUS-LINK', kind: 'customer' });
    const shown = await runTool(findTool('get_partner')!, { code: 'CUS-LINK' }, ctx);
    expect(shown.text).toContain('also a supplier: SUP-LINK (0 orders)');

    await updatePartner(ctx, {
      ref: { code: 'SUP-LINK' },
      changes: { code: 'SUP-LINK2', companyName: 'Dai Phat Ltd' },
    });
    expect(await counterpartOf(ctx, customer)).toMatchObject({ code: 'SUP-LINK2', kind: 'supplier' });

    // The linked supplier merged into another: the link moves to the survivor.
    const survivor = (await createPartner(ctx, supplierInput({ code: 'SUP-KEEP', companyName: 'Dai Phat' })))
      .partner;
    await mergePartners(ctx, { survivor: 'SUP-KEEP', duplicates: ['SUP-LINK2'], dryRun: false });
    expect(await counterpartOf(ctx, customer)).toMatchObject({ code: 'SUP-KEEP', kind: 'supplier' });
    expect(await counterpartOf(ctx, survivor)).toMatchObject({ code: 'CUS-LINK', kind: 'customer' });

    const other = (await createPartner(ctx, customerInput({ code: 'CUS-OTHER' }))).partner;
    expect(await linkCounterpart(ctx, { customer: other.code, supplier: 'SUP-KEEP' })).toMatchObject({
      replaced: ['CUS-LINK'],
    });
    expect(await counterpartOf(ctx, customer)).toBeUndefined();
  });

  it('refuses a viewer and a record the caller cannot see; a hidden counterpart is not shown', async () => {
    const ctx = contextFor(database);
    await createPartner(ctx, customerInput({ code: 'CUS-EU', accessGroups: ['eu'] }));
    const supplier = (await createPartner(ctx, supplierInput({ code: 'SUP-OPEN' }))).partner;
    await expect(
      linkCounterpart(contextFor(database, { role: 'viewer' }), { customer: 'CUS-EU', supplier: 'SUP-OPEN' }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    const outsider = contextFor(database, { principal: principal('editor', ['asia']) });
    await expect(
      linkCounterpart(outsider, { customer: 'CUS-EU', supplier: 'SUP-OPEN' }),
    ).rejects.toMatchObject({
      code: 'not_found',
    });
    await linkCounterpart(ctx, { customer: 'CUS-EU', supplier: 'SUP-OPEN' });
    expect(await counterpartOf(outsider, supplier)).toBeUndefined();
  });
});
