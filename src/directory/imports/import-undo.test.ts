import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextFor, supplierInput } from '../../../test/context.ts';
import { openTestDatabase } from '../../../test/database.ts';
import type { Database } from '../../db/client.ts';
import { partners } from '../../db/schema/index.ts';
import { recordOrder } from '../orders/orders.ts';
import { createPartner, updatePartner } from '../partners/partner-write.ts';
import { undoImport } from './import-undo.ts';
import { importFile } from './imports.ts';

let database: Database;
let dir: string;
beforeAll(async () => {
  database = await openTestDatabase();
  dir = mkdtempSync(join(tmpdir(), 'pb-undo-'));
});
afterAll(async () => {
  await database?.close();
  rmSync(dir, { recursive: true, force: true });
});

const byEmail = async (email: string) =>
  (await database.db.select().from(partners).where(eq(partners.email, email)))[0];

describe('undoImport', () => {
  it('removes untouched created records, restores updated fields, and reports the rest with the reason', async () => {
    const ctx = contextFor(database);
    await createPartner(ctx, supplierInput({ email: 'old@undo.test', city: 'Hanoi' }));
    const path = join(dir, 'undo.csv');
    writeFileSync(
      path,
      'Email,Name,City,Total Purchases\nold@undo.test,Old,Hue,0\nplain@undo.test,Plain,Hue,0\nedited@undo.test,Edited,Hue,0\nordered@undo.test,Ordered,Hue,0\n',
    );
    const view = await importFile(ctx, { path, input: { kind: 'supplier', match: 'email' } });
    expect(view).toMatchObject({ status: 'completed', created: 3, updated: 1 });
    const edited = await byEmail('edited@undo.test');
    await updatePartner(ctx, { ref: { code: edited!.code }, changes: { city: 'Da Nang' } });
    const ordered = await byEmail('ordered@undo.test');
    await recordOrder(ctx, {
      partner: { code: ordered!.code },
      reference: 'PO-U',
      orderDate: '2026-06-01',
      amount: 5,
    });

    await expect(undoImport(contextFor(database, { role: 'editor' }), view.id)).rejects.toMatchObject({
      code: 'forbidden',
    });
    const result = await undoImport(ctx, view.id);
    expect(result).toMatchObject({ removed: 1, restored: 1 });
    expect(result.notUndone.map((n) => n.reason).sort()).toEqual([
      expect.stringMatching(/^changed since the import/),
      'has orders',
    ]);
    expect(await byEmail('plain@undo.test')).toBeUndefined();
    expect(await byEmail('old@undo.test')).toMatchObject({ city: 'Hanoi' });
    expect(await byEmail('edited@undo.test')).toMatchObject({ city: 'Da Nang' });
    expect(await byEmail('ordered@undo.test')).toBeDefined();
  });
});
