import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { rowsOf, type Tx } from '../../db/client.ts';
import { importRecords, importRejections, type PartnerRow, partners } from '../../db/schema/index.ts';
import { diffPartner, writeAudits } from '../audit.ts';
import type { DirectoryContext } from '../context.ts';
import { generatedCode } from '../partners/partner-field-rules.ts';
import type { PartnerKind } from '../partners/partner-schema.ts';
import { applyPartnerChange, newPartnerRow } from '../partners/partner-write.ts';
import { readSettings } from '../settings.ts';
import type { RowOutcome } from './import-classify.ts';

async function nextCodes(tx: Tx, kind: PartnerKind, count: number): Promise<string[]> {
  if (count === 0) return [];
  const sequence =
    kind === 'customer' ? sql`nextval('customer_code_seq')` : sql`nextval('supplier_code_seq')`;
  const rows = rowsOf<{ n: string }>(
    await tx.execute(sql`select ${sequence}::text as n from generate_series(1, ${count})`),
  );
  return rows.map((row) => generatedCode(kind, row.n));
}

/** Text as PostgreSQL can store it: a NUL (refused in every field) is kept visible as U+FFFD. */
export function storable(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '\uFFFD') : text;
}

/** Stores rejected rows (their cells as read and every problem); a retried batch stores each once. */
export async function saveRejections(db: DbOrTx, importId: string, outcomes: RowOutcome[]): Promise<void> {
  const rows = outcomes.flatMap((outcome) =>
    outcome.type === 'rejected'
      ? [
          {
            importId,
            rowNumber: outcome.prepared.row.rowNumber,
            cells: outcome.prepared.row.cells.map(storable),
            problems: outcome.problems.map(({ field, code, message, didYouMean }) => ({
              field: storable(field),
              code,
              message: storable(message),
              ...(didYouMean ? { didYouMean: storable(didYouMean) } : {}),
            })),
          },
        ]
      : [],
  );
  if (rows.length) await db.insert(importRejections).values(rows).onConflictDoNothing();
}

/**
 * Writes one batch's creates and updates inside the caller's transaction: generated codes, one
 * audit event per record naming the import and its row, and one import_records row per written
 * row (so a retry skips it and undo knows what was done).
 */
export async function writeBatch(
  tx: Tx,
  ctx: DirectoryContext,
  options: { importId: string; kind: PartnerKind; outcomes: RowOutcome[] },
): Promise<void> {
  const { importId, kind, outcomes } = options;
  const now = ctx.clock.now();
  const creates = outcomes.filter((o) => o.type === 'create');
  if (creates.length) {
    const settings = await readSettings(tx);
    const codes = await nextCodes(tx, kind, creates.filter((o) => !o.values.code).length);
    const values = creates.map((outcome) =>
      newPartnerRow(ctx, {
        kind,
        code: outcome.values.code ?? codes.shift()!,
        values: outcome.values,
        defaultCurrency: settings.defaultCurrency,
        now,
      }),
    );
    const inserted = await tx.insert(partners).values(values).returning();
    const byEmail = new Map(inserted.map((row) => [row.email, row]));
    const pairs = creates.map((outcome) => ({ outcome, row: byEmail.get(outcome.values.email!)! }));
    await writeAudits(
      tx,
      pairs.map(({ outcome, row }) => ({
        actor: ctx.actor,
        action: 'create' as const,
        partner: row,
        changes: diffPartner(undefined, row),
        details: { importId, row: outcome.prepared.row.rowNumber },
      })),
    );
    await tx.insert(importRecords).values(
      pairs.map(({ outcome, row }) => ({
        importId,
        rowNumber: outcome.prepared.row.rowNumber,
        partnerId: row.id,
        action: 'created',
        version: row.version,
        at: now,
      })),
    );
  }
  const updates: { outcome: RowOutcome & { type: 'update' }; before: PartnerRow; after: PartnerRow }[] = [];
  for (const outcome of outcomes) {
    if (outcome.type !== 'update') continue;
    if (!outcome.current) throw new Error('An update to write needs the record it changes.');
    const after = await applyPartnerChange(tx, ctx, outcome.current, outcome.values);
    updates.push({ outcome, before: outcome.current, after });
  }
  if (updates.length) {
    await writeAudits(
      tx,
      updates.map(({ outcome, before, after }) => ({
        actor: ctx.actor,
        action: 'update' as const,
        partner: after,
        changes: diffPartner(before, after),
        details: { importId, row: outcome.prepared.row.rowNumber },
      })),
    );
    await tx.insert(importRecords).values(
      updates.map(({ outcome, before, after }) => ({
        importId,
        rowNumber: outcome.prepared.row.rowNumber,
        partnerId: after.id,
        action: 'updated',
        before: Object.fromEntries(
          Object.keys(outcome.values).map((field) => [field, before[field as keyof PartnerRow] ?? null]),
        ),
        version: after.version,
        at: now,
      })),
    );
  }
  await saveRejections(tx, importId, outcomes);
}
