import { z } from 'zod';
import { listOrders, orderView } from '../directory/orders/orders.ts';
import { partnerRef } from '../directory/partners/partner-ref.ts';
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
  permission: 'read',
  async handler(input, ctx) {
    const result = await listOrders(ctx, { ref: input.partner, limit: input.limit ?? 20 });
    const lines = result.orders.map(
      (o) => `- ${o.reference} · ${o.orderDate} · ${o.amount}${o.etd ? ` · ETD ${o.etd}` : ''}`,
    );
    return {
      structured: result,
      text: `${result.code}: ${result.orders.length} order(s)\n${lines.join('\n')}`,
    };
  },
});
