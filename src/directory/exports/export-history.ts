import { and, asc, gt, gte, lte, type SQL } from 'drizzle-orm';
import { auditEvents } from '../../db/schema/index.ts';
import { requirePermission } from '../access/principal.ts';
import { writeAudit } from '../audit.ts';
import type { DirectoryContext } from '../context.ts';
import { toDirectoryError } from '../db-errors.ts';
import { DirectoryError } from '../errors.ts';
import type { ExportCell } from './export-columns.ts';
import { EXPORT_BATCH_SIZE, type ExportResult, keysetBatches, openSink, pump } from './export-stream.ts';
import type { ExportFormat, ExportOutput } from './export-writers.ts';

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

/** Refuses a history range that ends before it starts (checked when the link is made and again on download). */
export function checkHistoryRange({ from, to }: { from?: Date; to?: Date }): void {
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
  checkHistoryRange({ from, to });
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
