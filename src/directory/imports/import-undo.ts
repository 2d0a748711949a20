import { count, eq } from 'drizzle-orm';
import { z } from 'zod';
import { importRecords, orders, type PartnerRow, partners } from '../../db/schema/index.ts';
import { requirePermission } from '../access/principal.ts';
import { diffPartner, snapshotPartner, writeAudit } from '../audit.ts';
import type { DirectoryContext } from '../context.ts';
import { toDirectoryError } from '../db-errors.ts';
import { DirectoryError } from '../errors.ts';
import { applyPartnerChange } from '../partners/partner-write.ts';
import { findImport, saveImportState } from './import-store.ts';

export const undoImportResult = z.object({
  id: z.string(),
  removed: z.number().describe('Records the import created, removed.'),
  restored: z.number().describe('Records the import updated, their fields restored.'),
  notUndone: z.array(z.object({ code: z.string(), reason: z.string() })),
});
export type UndoImportResult = z.infer<typeof undoImportResult>;

/**
 * Undoes an import (admins), in one transaction: each record it created is removed if unchanged
 * since (same version) and without orders; each record it updated gets the fields it changed
 * back if unchanged since. Every other record is reported with the reason, and left as it is.
 */
export async function undoImport(ctx: DirectoryContext, id: string): Promise<UndoImportResult> {
  requirePermission(ctx.actor.principal, 'manage', 'undo imports');
  const record = await findImport(ctx, id);
  if (record.options.dryRun || record.status !== 'completed')
    throw new DirectoryError(
      'validation',
      `Import ${record.id} wrote nothing (${record.options.dryRun ? 'a dry run' : record.status}); there is nothing to undo.`,
    );
  try {
    return await ctx.db.transaction(async (tx) => {
      const written = await tx
        .select({ record: importRecords, partner: partners })
        .from(importRecords)
        .leftJoin(partners, eq(partners.id, importRecords.partnerId))
        .where(eq(importRecords.importId, record.id))
        .for('update', { of: importRecords });
      const result: UndoImportResult = { id: record.id, removed: 0, restored: 0, notUndone: [] };
      const details = { undoOf: record.id, fileName: record.fileName };
      for (const { record: row, partner } of written) {
        if (!partner) {
          result.notUndone.push({ code: `row ${row.rowNumber}`, reason: 'removed since the import' });
          continue;
        }
        const current = (
          await tx.select().from(partners).where(eq(partners.id, partner.id)).for('update')
        )[0] as PartnerRow;
        const changedSince = () =>
          result.notUndone.push({
            code: current.code,
            reason: `changed since the import (version ${current.version}, the import left ${row.version})`,
          });
        if (row.action === 'created') {
          const [orderCount] = await tx
            .select({ n: count() })
            .from(orders)
            .where(eq(orders.partnerId, current.id));
          if (Number(orderCount?.n ?? 0) > 0) {
            result.notUndone.push({ code: current.code, reason: 'has orders' });
            continue;
          }
          if (current.version !== row.version) {
            changedSince();
            continue;
          }
          await writeAudit(tx, {
            actor: ctx.actor,
            action: 'remove',
            partner: current,
            snapshot: snapshotPartner(current),
            details,
          });
          await tx.delete(partners).where(eq(partners.id, current.id));
          result.removed++;
        } else {
          if (current.version !== row.version) {
            changedSince();
            continue;
          }
          const after = await applyPartnerChange(tx, ctx, current, row.before ?? {});
          await writeAudit(tx, {
            actor: ctx.actor,
            action: 'update',
            partner: after,
            changes: diffPartner(current, after),
            details,
          });
          result.restored++;
        }
      }
      await saveImportState(tx, record.id, {
        message: `Undone by ${ctx.actor.principal.name}: ${result.removed} removed, ${result.restored} restored, ${result.notUndone.length} left as they were.`,
      });
      return result;
    });
  } catch (error) {
    throw toDirectoryError(error);
  }
}
