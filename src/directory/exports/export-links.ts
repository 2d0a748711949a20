import { and, count, eq, gte, lte } from 'drizzle-orm';
import { z } from 'zod';
import { auditEvents, exportLinks, partners } from '../../db/schema/index.ts';
import { requirePermission } from '../access/principal.ts';
import type { DirectoryContext } from '../context.ts';
import { toDirectoryError } from '../db-errors.ts';
import { DirectoryError } from '../errors.ts';
import { filterConditions, partnerFilterShape, partnerFilters } from '../search/search-filters.ts';
import { exportColumnsInput } from './export-columns.ts';
import { exportFormats } from './export-writers.ts';

export const EXPORT_LINK_TTL_MS = 60 * 60 * 1000;
const ttlHours = EXPORT_LINK_TTL_MS / 3_600_000;
/** How long a link is valid, in words ("1 hour"), for messages. */
export const EXPORT_LINK_VALIDITY = `${ttlHours} hour${ttlHours === 1 ? '' : 's'}`;

export const partnersExportRequest = z.strictObject({
  ...partnerFilterShape,
  format: z.enum(exportFormats).optional().describe('csv (default) or xlsx.'),
  columns: exportColumnsInput.optional(),
});
export type PartnersExportRequest = z.infer<typeof partnersExportRequest>;

export const historyExportRequest = z.strictObject({
  from: z.iso
    .datetime({ offset: true })
    .or(z.iso.date())
    .optional()
    .describe('Events from this date or instant (ISO 8601).'),
  to: z.iso
    .datetime({ offset: true })
    .or(z.iso.date())
    .optional()
    .describe('Events up to this date or instant (ISO 8601).'),
  format: z.enum(exportFormats).optional().describe('csv (default) or xlsx.'),
});
export type HistoryExportRequest = z.infer<typeof historyExportRequest>;

/** The filters part of a partners export request. */
export function filtersOf(request: PartnersExportRequest) {
  const { format: _format, columns: _columns, ...filters } = request;
  return partnerFilters.parse(filters);
}

/** A from/to pair as instants; a bare date means the whole day (from its start, to its end, UTC). */
export function historyRange(request: HistoryExportRequest): { from?: Date; to?: Date } {
  const at = (value: string | undefined, endOfDay: boolean) =>
    value
      ? new Date(
          /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T${endOfDay ? '23:59:59.999' : '00:00:00'}Z` : value,
        )
      : undefined;
  return { from: at(request.from, false), to: at(request.to, true) };
}

/** Exact number of partners an export will hold (validates the filters first). */
export async function countExportRows(
  ctx: DirectoryContext,
  request: PartnersExportRequest,
): Promise<number> {
  requirePermission(ctx.actor.principal, 'read', 'export the directory');
  const conditions = filterConditions(ctx, filtersOf(request));
  try {
    const [row] = await ctx.db
      .select({ n: count() })
      .from(partners)
      .where(and(...conditions));
    return row?.n ?? 0;
  } catch (error) {
    throw toDirectoryError(error);
  }
}

export async function countHistoryRows(
  ctx: DirectoryContext,
  request: HistoryExportRequest,
): Promise<number> {
  requirePermission(ctx.actor.principal, 'history_export', 'export the change history');
  const { from, to } = historyRange(request);
  const [row] = await ctx.db
    .select({ n: count() })
    .from(auditEvents)
    .where(and(from ? gte(auditEvents.at, from) : undefined, to ? lte(auditEvents.at, to) : undefined));
  return row?.n ?? 0;
}

/** Stores a download link for the caller, valid one hour; returns its id and expiry. */
export async function createExportLink(
  ctx: DirectoryContext,
  options: {
    subject: 'partners' | 'history';
    format: 'csv' | 'xlsx';
    request: Record<string, unknown>;
    rowCount: number;
  },
): Promise<{ id: string; expiresAt: Date }> {
  const expiresAt = new Date(ctx.clock.now().getTime() + EXPORT_LINK_TTL_MS);
  // Slack users open links in a browser, without a bearer token: their links are capabilities.
  // So do links printed in a terminal (the CLI acts as the operator or as a token the person
  // holds): whoever asked opens them in a browser or with a plain curl, for their hour.
  const capability = ctx.actor.via === 'slack' || ctx.actor.via === 'cli';
  const [row] = await ctx.db
    .insert(exportLinks)
    .values({
      principalId: ctx.actor.principal.id,
      ...options,
      expiresAt,
      capability,
      principal: capability ? ctx.actor.principal : null,
    })
    .returning({ id: exportLinks.id });
  return { id: row!.id, expiresAt };
}

/** Where GET /exports/<id> serves a link, under this server's public URL. */
export function exportLinkUrl(options: { publicUrl: string; id: string }): string {
  return `${options.publicUrl}/exports/${options.id}`;
}

/**
 * Stores a partners export to run only when its link is opened: nothing is read, rendered or
 * audited now, so an answer can offer "download the full list" for the cost of one row. Opening
 * the link (GET /exports/<id>) streams the rows as the same principal and audits the export
 * then. Bad filters and a caller without read access are refused here, not at download.
 */
export async function offerPartnersExport(
  ctx: DirectoryContext,
  options: {
    request: PartnersExportRequest;
    /** Matches when the link was made (the search total; an estimate for broad text searches). */
    rowCount: number;
  },
): Promise<{ id: string; expiresAt: Date }> {
  requirePermission(ctx.actor.principal, 'read', 'export the directory');
  const parsed = partnersExportRequest.safeParse(options.request);
  if (!parsed.success) throw new DirectoryError('validation', 'The export request is not valid.');
  filterConditions(ctx, filtersOf(parsed.data));
  return createExportLink(ctx, {
    subject: 'partners',
    format: parsed.data.format ?? 'csv',
    request: parsed.data,
    rowCount: options.rowCount,
  });
}

/** A capability link (made for a Slack user) by id alone, with the principal it reads as; undefined otherwise. */
export async function findCapabilityLink(db: DirectoryContext['db'], options: { id: string; now: Date }) {
  if (!/^[0-9a-f-]{36}$/i.test(options.id)) return undefined;
  const [row] = await db
    .select()
    .from(exportLinks)
    .where(and(eq(exportLinks.id, options.id), eq(exportLinks.capability, true)));
  if (!row?.principal) return undefined;
  if (row.expiresAt < options.now) {
    throw new DirectoryError(
      'not_found',
      `This export link has expired (links are valid for ${EXPORT_LINK_VALIDITY}).`,
      {
        hint: 'Ask again for a new link.',
      },
    );
  }
  return { link: row, principal: row.principal };
}

/**
 * The export behind a link, for the principal that created it only (others get not found);
 * an expired link is refused with a hint to export again.
 */
export async function findExportLink(ctx: DirectoryContext, id: string) {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw new DirectoryError('not_found', 'This export link does not exist.');
  const [row] = await ctx.db
    .select()
    .from(exportLinks)
    .where(and(eq(exportLinks.id, id), eq(exportLinks.principalId, ctx.actor.principal.id)));
  if (!row)
    throw new DirectoryError('not_found', 'This export link does not exist or belongs to another user.');
  // Decided again at download: a principal whose role changed since the link was made gets a refusal.
  if (row.subject === 'history')
    requirePermission(ctx.actor.principal, 'history_export', 'download the change history');
  if (row.expiresAt < ctx.clock.now()) {
    throw new DirectoryError(
      'not_found',
      `This export link has expired (links are valid for ${EXPORT_LINK_VALIDITY}).`,
      {
        hint: 'Run the export again for a new link.',
      },
    );
  }
  return row;
}
