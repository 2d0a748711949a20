import { and, asc, gt } from 'drizzle-orm';
import { z } from 'zod';
import { rowsOf } from '../../db/client.ts';
import { partners } from '../../db/schema/index.ts';
import { requirePermission } from '../access/principal.ts';
import { calendarDay } from '../activity/clock.ts';
import { writeAudit } from '../audit.ts';
import type { DirectoryContext } from '../context.ts';
import { toDirectoryError } from '../db-errors.ts';
import type { PartnerKind } from '../partners/partner-schema.ts';
import { filterConditions, type PartnerFilters } from '../search/search-filters.ts';
import {
  type ExportColumnId,
  type ExportRow,
  type ExportScope,
  fieldsOf,
  resolveExportColumns,
  selectionOf,
} from './export-columns.ts';
import { EXPORT_BATCH_SIZE, type ExportResult, keysetBatches, openSink, pump } from './export-stream.ts';
import { type ExportFormat, type ExportOutput, exportFormats } from './export-writers.ts';

export {
  describeChanges,
  type HistoryExportOptions,
  historyExportHeaders,
  writeHistoryExport,
} from './export-history.ts';
export { EXPORT_BATCH_SIZE, type ExportResult } from './export-stream.ts';
export { type ExportFormat, type ExportOutput, exportFormats, neutralizeCell } from './export-writers.ts';

export interface PartnersExportOptions {
  filters: PartnerFilters;
  format: ExportFormat;
  /** Column ids in order; default: every column but notes (Kind only when both kinds are exported). */
  columns?: ExportColumnId[];
  output: ExportOutput;
  /** XLSX data rows per sheet before a new sheet starts; Excel's limit by default (tests lower it). */
  xlsxRowsPerSheet?: number;
}

/**
 * Streams the partners matching the search filters (same conditions and access groups as
 * search_partners) as CSV or XLSX to `output`, then ends it. Requires the viewer role. Memory
 * stays flat at any size: rows are read in keyset batches and written with backpressure.
 * Records an 'export' audit event (who, filters, format, rows, columns) once the file is complete.
 */
export async function writePartnersExport(
  ctx: DirectoryContext,
  options: PartnersExportOptions,
): Promise<ExportResult> {
  requirePermission(ctx.actor.principal, 'read', 'export the directory');
  const { filters, format, output } = options;
  const scope: ExportScope = filters.kind ?? 'mixed';
  const columns = resolveExportColumns(scope, options.columns);
  const conditions = filterConditions(ctx, filters);
  const selection = selectionOf(fieldsOf(columns));

  const fetch = async (after: string | undefined) => {
    const query = ctx.db
      .select(selection)
      .from(partners)
      .where(and(...conditions, after ? gt(partners.id, after) : undefined))
      .orderBy(asc(partners.id))
      .limit(EXPORT_BATCH_SIZE);
    return rowsOf<ExportRow & { id: string }>(await ctx.db.execute(query.getSQL()));
  };

  const rowCount = await pump({
    output,
    batches: keysetBatches({ fetch, keyOf: (row) => row.id, batchSize: EXPORT_BATCH_SIZE }),
    toCells: (row) => columns.map((column) => column.value(row)),
    sink: () =>
      openSink(output, {
        format,
        headers: columns.map((column) => column.header(scope)),
        amountColumns: columns.map((column) => column.type === 'amount'),
        sheetName: sheetNames[scope],
        rowsPerSheet: options.xlsxRowsPerSheet,
      }),
  });
  try {
    await writeAudit(ctx.db, {
      actor: ctx.actor,
      action: 'export',
      details: { filters, format, rows: rowCount, columns: columns.map((column) => column.id) },
    });
  } catch (error) {
    throw toDirectoryError(error);
  }
  return { rowCount };
}

const sheetNames: Record<ExportScope, string> = {
  customer: 'Customers',
  supplier: 'Suppliers',
  mixed: 'Partners',
};

/**
 * A safe download name such as partnerbook-customers-2026-11-22.csv: made only of fixed
 * words and the date (in `timeZone`, default UTC), never of user input.
 */
export function exportFileName(options: {
  kind?: PartnerKind | 'history';
  format: ExportFormat;
  at: Date;
  timeZone?: string;
}): string {
  const subject =
    options.kind === 'customer'
      ? 'customers'
      : options.kind === 'supplier'
        ? 'suppliers'
        : options.kind === 'history'
          ? 'history'
          : 'partners';
  const date = calendarDay(options.at, options.timeZone ?? 'UTC');
  return `partnerbook-${subject}-${date}.${options.format === 'xlsx' ? 'xlsx' : 'csv'}`;
}

/** What an export tool answers: the row count and a download link (and whether the CSV is attached). */
export const exportResult = z.object({
  rowCount: z.number().int(),
  format: z.enum(exportFormats),
  url: z.string().describe('Download URL (GET with the same Authorization header), valid 1 hour.'),
  expiresAt: z.string(),
  fileName: z.string(),
  embedded: z.boolean().describe('True when the CSV itself is attached to this result (under 1 MB).'),
});

/** The Content-Type of an export. */
export function exportContentType(format: ExportFormat): string {
  return format === 'xlsx'
    ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
    : 'text/csv; charset=utf-8';
}
