import type { Writable } from 'node:stream';
import { setImmediate } from 'node:timers/promises';
import { and, asc, gt, gte, lte, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { auditEvents, partners } from '../db/schema/index.ts';
import { writeAudit } from './audit.ts';
import type { DirectoryContext } from './context.ts';
import { toDirectoryError } from './db-errors.ts';
import { DirectoryError } from './errors.ts';
import {
  type ExportCell,
  type ExportColumnId,
  type ExportRow,
  type ExportScope,
  fieldsOf,
  resolveExportColumns,
} from './export-columns.ts';
import {
  type ExportFormat,
  type ExportOutput,
  openCsvSink,
  openXlsxSink,
  type TableSink,
} from './export-writers.ts';
import type { PartnerKind } from './partner-schema.ts';
import { requirePermission } from './principal.ts';
import { filterConditions, type PartnerFilters } from './search.ts';

export { type ExportFormat, type ExportOutput, exportFormats, neutralizeCell } from './export-writers.ts';

/**
 * Rows per query. Keyset batches (WHERE id > last ORDER BY id LIMIT n) keep every query cheap
 * at any depth and memory flat; at 5,000 a query costs far more than its round trip.
 */
export const EXPORT_BATCH_SIZE = 2_000;

export interface ExportResult {
  rowCount: number;
}

/**
 * Reads batches of rows by keyset on an immutable key, fetching the next batch while the
 * caller writes the current one. Ordering by id (not by name) means a record renamed during
 * a long export is neither skipped nor repeated; batches are separate queries, not one snapshot.
 */
async function* keysetBatches<Row, Key>(options: {
  fetch: (after: Key | undefined) => Promise<Row[]>;
  keyOf: (row: Row) => Key;
  batchSize: number;
}): AsyncGenerator<Row[]> {
  let next: Promise<Row[]> | undefined = options.fetch(undefined);
  try {
    while (next) {
      const rows: Row[] = await next;
      const last = rows.at(-1);
      next = rows.length === options.batchSize && last ? options.fetch(options.keyOf(last)) : undefined;
      if (rows.length) yield rows;
    }
  } finally {
    // The consumer stopped early (output closed): do not leave a rejected prefetch unhandled.
    next?.catch(() => {});
  }
}

function openSink(
  output: ExportOutput,
  options: {
    format: ExportFormat;
    headers: string[];
    amountColumns: boolean[];
    sheetName: string;
    rowsPerSheet?: number;
  },
): TableSink {
  return options.format === 'csv' ? openCsvSink(output, options.headers) : openXlsxSink(output, options);
}

/**
 * Writes every batch to the sink and finishes it. Nothing is written before the first batch
 * is read, so a bad filter or a database failure at the start leaves the output untouched
 * (the caller can still answer with an error). A failure after that destroys the output, so a
 * truncated file is never mistaken for a complete one. An 'error' listener stays on the
 * output: an output error fails the export instead of crashing the process.
 */
async function pump<Row>(options: {
  output: ExportOutput;
  sink: () => TableSink;
  batches: AsyncGenerator<Row[]>;
  toCells: (row: Row) => ExportCell[];
}): Promise<number> {
  const { output, batches, toCells } = options;
  let outputError: Error | undefined;
  output.on('error', (error: Error) => {
    outputError ??= error;
  });
  let sink: TableSink | undefined;
  let rowCount = 0;
  try {
    for await (const rows of batches) {
      sink ??= options.sink();
      await sink.writeRows(rows.map(toCells));
      rowCount += rows.length;
      // PGlite answers and a fast output resolve as microtasks only: without a macrotask turn
      // per batch, a long export would starve every timer and request of the process.
      await setImmediate();
    }
    sink ??= options.sink();
    await sink.finish();
    if (outputError) throw outputError;
    return rowCount;
  } catch (error) {
    if (sink) (output as Partial<Writable>).destroy?.(error as Error);
    throw toDirectoryError(error);
  }
}

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
  const selection: Record<string, PgColumn> = { id: partners.id };
  for (const field of fieldsOf(columns)) selection[field] = partners[field];

  const fetch = (after: string | undefined) =>
    ctx.db
      .select(selection)
      .from(partners)
      .where(and(...conditions, after ? gt(partners.id, after) : undefined))
      .orderBy(asc(partners.id))
      .limit(EXPORT_BATCH_SIZE) as unknown as Promise<(ExportRow & { id: string })[]>;

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

export interface HistoryExportOptions {
  /** Events at or after this instant. */
  from?: Date;
  /** Events at or before this instant. */
  to?: Date;
  format: ExportFormat;
  output: ExportOutput;
}

export const historyExportHeaders = [
  'Time',
  'Action',
  'Kind',
  'Code',
  'Version',
  'Actor',
  'Via',
  'Client',
  'Changes',
] as const;

const historySelection = {
  id: auditEvents.id,
  at: auditEvents.at,
  action: auditEvents.action,
  partnerKind: auditEvents.partnerKind,
  partnerCode: auditEvents.partnerCode,
  partnerVersion: auditEvents.partnerVersion,
  actorName: auditEvents.actorName,
  via: auditEvents.via,
  clientName: auditEvents.clientName,
  changes: auditEvents.changes,
  details: auditEvents.details,
};

/** Longest value shown in the Changes column; the full values stay in the audit log. */
const CHANGE_VALUE_MAX = 200;

function describeValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '(empty)';
  const text =
    typeof value === 'string'
      ? value
      : Array.isArray(value) && value.every((item) => typeof item === 'string')
        ? value.join(', ') || '(empty)'
        : JSON.stringify(value);
  const oneLine = text.replace(/\s*[\r\n]+\s*/g, ' ');
  return oneLine.length > CHANGE_VALUE_MAX ? `${oneLine.slice(0, CHANGE_VALUE_MAX - 1)}…` : oneLine;
}

/** "city: Hanoi → Da Nang; phone: (empty) → +84912345678", or the event's details when it changed no field. */
export function describeChanges(
  changes: Record<string, { before: unknown; after: unknown }> | null,
  details: Record<string, unknown> | null,
): string | null {
  if (changes && Object.keys(changes).length) {
    return Object.entries(changes)
      .map(([field, change]) => `${field}: ${describeValue(change.before)} → ${describeValue(change.after)}`)
      .join('; ');
  }
  if (details && Object.keys(details).length) {
    return Object.entries(details)
      .map(([key, value]) => `${key}: ${describeValue(value)}`)
      .join('; ');
  }
  return null;
}

/**
 * Streams the audit log (oldest first, optionally from/to an instant) as CSV or XLSX to
 * `output`, then ends it. Admins only (permission history_export). The export itself is
 * recorded as an 'export' audit event.
 */
export async function writeHistoryExport(
  ctx: DirectoryContext,
  options: HistoryExportOptions,
): Promise<ExportResult> {
  requirePermission(ctx.actor.principal, 'history_export', 'export the change history');
  const { from, to, format, output } = options;
  if (from && to && from > to) {
    throw new DirectoryError('validation', 'The history export range ends before it starts.', {
      problems: [
        {
          field: 'to',
          code: 'range',
          message: `to (${to.toISOString()}) is before from (${from.toISOString()}).`,
        },
      ],
    });
  }
  const range: (SQL | undefined)[] = [
    from ? gte(auditEvents.at, from) : undefined,
    to ? lte(auditEvents.at, to) : undefined,
  ];
  const fetch = (after: number | undefined) =>
    ctx.db
      .select(historySelection)
      .from(auditEvents)
      .where(and(...range, after !== undefined ? gt(auditEvents.id, after) : undefined))
      .orderBy(asc(auditEvents.id))
      .limit(EXPORT_BATCH_SIZE);
  const rowCount = await pump({
    output,
    batches: keysetBatches({ fetch, keyOf: (row) => row.id, batchSize: EXPORT_BATCH_SIZE }),
    toCells: (row): ExportCell[] => [
      row.at.toISOString(),
      row.action,
      row.partnerKind,
      row.partnerCode,
      row.partnerVersion,
      row.actorName,
      row.via,
      row.clientName,
      describeChanges(row.changes, row.details),
    ],
    sink: () =>
      openSink(output, {
        format,
        headers: [...historyExportHeaders],
        amountColumns: historyExportHeaders.map(() => false),
        sheetName: 'Change history',
      }),
  });
  try {
    await writeAudit(ctx.db, {
      actor: ctx.actor,
      action: 'export',
      details: {
        history: { from: from?.toISOString() ?? null, to: to?.toISOString() ?? null },
        format,
        rows: rowCount,
      },
    });
  } catch (error) {
    throw toDirectoryError(error);
  }
  return { rowCount };
}

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
  const date = new Intl.DateTimeFormat('en-CA', {
    timeZone: options.timeZone ?? 'UTC',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(options.at);
  return `partnerbook-${subject}-${date}.${options.format === 'xlsx' ? 'xlsx' : 'csv'}`;
}

/** The Content-Type of an export. */
export function exportContentType(format: ExportFormat): string {
  return format === 'xlsx'
    ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
    : 'text/csv; charset=utf-8';
}
