import { z } from 'zod';
import { requirePermission } from '../directory/access/principal.ts';
import { listOrders, orderView } from '../directory/orders/orders.ts';
import { findPartner, partnerRef } from '../directory/partners/partner-ref.ts';
import { defineTool } from './define-tool.ts';

export const listOrdersTool = defineTool({
  name: 'list_orders',
  title: 'List the orders of a customer or supplier',
  description:
    'Lists the recorded orders of one record, newest first. Example: {"partner":{"code":"SUP-000123"},"limit":20}.',
  inputSchema: z.strictObject({
    partner: partnerRef.describe('The partner: { code } or { id }.'),
    limit: z.number().int().min(1).max(200).optional().describe('How many, newest first; default 20.'),
  }),
  outputSchema: z.object({ code: z.string(), orders: z.array(orderView) }),
  effect: 'read',
  role: 'viewer',
  async handler(input, ctx) {
    requirePermission(ctx.actor.principal, 'read', 'read orders');
    const partner = await findPartner(ctx.db, { ref: input.partner, principal: ctx.actor.principal });
    const orders = await listOrders(ctx, { partnerId: partner.id, limit: input.limit ?? 20 });
    const lines = orders.map(
      (o) => `- ${o.reference} · ${o.orderDate} · ${o.amount}${o.etd ? ` · ETD ${o.etd}` : ''}`,
    );
    return {
      structured: { code: partner.code, orders },
      text: `${partner.code}: ${orders.length} order(s)\n${lines.join('\n')}`,
    };
  },
});
