import { desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { rowsOf } from '../../db/client.ts';
import { auditEvents } from '../../db/schema/index.ts';
import { requirePermission } from '../access/principal.ts';
import { activityWindow } from '../activity/window.ts';
import { type ComplianceItemView, complianceItemView } from '../compliance/compliance-items.ts';
import type { DirectoryContext } from '../context.ts';
import { counterpartOf, counterpartView } from '../counterparts/counterparts.ts';
import { toDirectoryError } from '../db-errors.ts';
import { orderView } from '../orders/orders.ts';
import { findPartner, type PartnerRef } from './partner-ref.ts';
import { partnerView, toPartnerView } from './partner-view.ts';

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
  counterpart: counterpartView.nullable(),
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

interface OrderJson {
  reference: string;
  orderDate: string;
  amount: number | string;
  etd: string | null;
  createdAt: string;
}

interface DetailExtras {
  items: ComplianceItemView[] | string;
  orders: OrderJson[] | string;
  history: AuditEventView[] | string;
  has_picture: boolean;
}

/** json columns arrive parsed from postgres.js and PGlite alike, but accept text too. */
function parseJson<T>(value: T | string): T {
  return typeof value === 'string' ? (JSON.parse(value) as T) : value;
}

/** The full record with compliance items, the last 5 orders and the last 10 audit events. */
export async function getPartner(
  ctx: DirectoryContext,
  ref: PartnerRef,
): Promise<z.infer<typeof partnerDetail>> {
  requirePermission(ctx.actor.principal, 'read', 'read records');
  try {
    const row = await findPartner(ctx.db, { ref, principal: ctx.actor.principal });
    // One round trip for everything around the record: get_partner is the hottest read.
    const [extras] = rowsOf<DetailExtras>(
      await ctx.db.execute(sql`
        select
          (select coalesce(json_agg(json_build_object('name', c.name, 'validFrom', c.valid_from, 'validTo', c.valid_to) order by c.valid_to, c.name), '[]'::json)
             from compliance_items c where c.partner_id = ${row.id}) as items,
          (select coalesce(json_agg(json_build_object('reference', o.reference, 'orderDate', o.order_date, 'amount', o.amount, 'etd', o.etd, 'createdAt', o.created_at) order by o.order_date desc, o.created_at desc), '[]'::json)
             from (select * from orders where partner_id = ${row.id} order by order_date desc, created_at desc limit 5) o) as orders,
          (select coalesce(json_agg(json_build_object('id', a.id, 'at', a.at, 'action', a.action, 'partnerCode', a.partner_code, 'partnerKind', a.partner_kind,
                    'version', a.partner_version, 'actor', a.actor_name, 'via', a.via, 'clientName', a.client_name, 'changes', a.changes, 'details', a.details) order by a.id desc), '[]'::json)
             from (select * from audit_events where partner_id = ${row.id} order by id desc limit 10) a) as history,
          exists(select 1 from partner_pictures p where p.partner_id = ${row.id}) as has_picture`),
    );
    const detail = extras!;
    const counterpart = await counterpartOf(ctx, row);
    return {
      ...toPartnerView(row, {
        window: activityWindow(ctx),
        hasPicture: detail.has_picture,
      }),
      complianceItems: parseJson(detail.items),
      recentOrders: parseJson<OrderJson[]>(detail.orders).map((o) => ({
        ...o,
        amount: Number(o.amount),
        createdAt: new Date(o.createdAt).toISOString(),
      })),
      recentHistory: parseJson<AuditEventView[]>(detail.history).map((e) => ({
        ...e,
        at: new Date(e.at).toISOString(),
      })),
      counterpart: counterpart ?? null,
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
