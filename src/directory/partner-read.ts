import { and, desc, eq, gte, lte } from 'drizzle-orm';
import { z } from 'zod';
import { auditEvents } from '../db/schema/index.ts';
import { activityCutoff } from './clock.ts';
import { complianceItemView, listComplianceItems } from './compliance-items.ts';
import type { DirectoryContext } from './context.ts';
import { toDirectoryError } from './db-errors.ts';
import { listOrders, orderView } from './orders.ts';
import { findPartner, type PartnerRef } from './partner-ref.ts';
import { partnerView, toPartnerView } from './partner-view.ts';
import { hasPicture } from './partner-write.ts';
import { requirePermission } from './principal.ts';

export const auditEventView = z.object({
  id: z.number().int(),
  at: z.string(),
  action: z.string(),
  partnerCode: z.string().nullable(),
  partnerKind: z.string().nullable(),
  version: z.number().int().nullable(),
  actor: z.string(),
  via: z.string(),
  clientName: z.string().nullable(),
  changes: z.record(z.string(), z.object({ before: z.unknown(), after: z.unknown() })).nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
});
export type AuditEventView = z.infer<typeof auditEventView>;

export const partnerDetail = partnerView.extend({
  complianceItems: z.array(complianceItemView),
  recentOrders: z.array(orderView),
  recentHistory: z.array(auditEventView),
});

function toAuditView(row: typeof auditEvents.$inferSelect): AuditEventView {
  return {
    id: row.id,
    at: row.at.toISOString(),
    action: row.action,
    partnerCode: row.partnerCode,
    partnerKind: row.partnerKind,
    version: row.partnerVersion,
    actor: row.actorName,
    via: row.via,
    clientName: row.clientName,
    changes: row.changes ?? null,
    details: row.details ?? null,
  };
}

/** The full record with compliance items, the last 5 orders and the last 10 audit events. */
export async function getPartner(
  ctx: DirectoryContext,
  ref: PartnerRef,
): Promise<z.infer<typeof partnerDetail>> {
  requirePermission(ctx.actor.principal, 'read', 'read records');
  try {
    const row = await findPartner(ctx.db, { ref, principal: ctx.actor.principal });
    const [items, orders, history, picture] = await Promise.all([
      listComplianceItems(ctx.db, row.id),
      listOrders(ctx, { partnerId: row.id, limit: 5 }),
      ctx.db
        .select()
        .from(auditEvents)
        .where(eq(auditEvents.partnerId, row.id))
        .orderBy(desc(auditEvents.id))
        .limit(10),
      hasPicture(ctx.db, row.id),
    ]);
    return {
      ...toPartnerView(row, { cutoff: activityCutoff(ctx.timeZone, ctx.clock), hasPicture: picture }),
      complianceItems: items,
      recentOrders: orders,
      recentHistory: history.map(toAuditView),
    };
  } catch (error) {
    throw toDirectoryError(error);
  }
}

/** Audit events of one partner the caller can see, newest first. */
export async function partnerHistory(
  ctx: DirectoryContext,
  options: { ref: PartnerRef; limit?: number },
): Promise<{ code: string; events: AuditEventView[] }> {
  requirePermission(ctx.actor.principal, 'read', 'read history');
  try {
    const row = await findPartner(ctx.db, { ref: options.ref, principal: ctx.actor.principal });
    const events = await ctx.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.partnerId, row.id))
      .orderBy(desc(auditEvents.id))
      .limit(options.limit ?? 200);
    return { code: row.code, events: events.map(toAuditView) };
  } catch (error) {
    throw toDirectoryError(error);
  }
}

/** Audit events in a time range (admins), oldest first, for the history export. */
export function auditEventsBetween(ctx: DirectoryContext, options: { from?: Date; to?: Date }) {
  requirePermission(ctx.actor.principal, 'history_export', 'export the change history');
  return ctx.db
    .select()
    .from(auditEvents)
    .where(
      and(
        options.from ? gte(auditEvents.at, options.from) : undefined,
        options.to ? lte(auditEvents.at, options.to) : undefined,
      ),
    )
    .orderBy(auditEvents.id);
}

export { toAuditView };
