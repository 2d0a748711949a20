import { z } from 'zod';
import { recordOrder, recordOrderInput } from '../directory/orders/orders.ts';
import { partnerView } from '../directory/partners/partner-view.ts';
import { defineTool } from './define-tool.ts';
import { recordLine } from './format.ts';

export const recordOrderTool = defineTool({
  name: 'record_order',
  title: 'Record an order',
  description:
    'Records a sales order (customer) or purchase order (supplier); the record\'s order count and last order date follow. Safe to retry: the same reference again changes nothing. Example: {"partner":{"code":"CUS-000042"},"reference":"SO-2026-118","orderDate":"2026-11-20","amount":12500,"etd":"2026-12-15"}.',
  inputSchema: recordOrderInput,
  outputSchema: z.object({ partner: partnerView, duplicate: z.boolean() }),
  effect: 'write',
  idempotent: true,
  permission: 'write',
  async handler(input, ctx) {
    const result = await recordOrder(ctx, input);
    return {
      structured: result,
      text: `${result.duplicate ? 'Already recorded' : 'Recorded'} order ${input.reference} for ${recordLine(result.partner)}; ${result.partner.ordersCount} orders, last ${result.partner.lastOrderDate}.`,
    };
  },
});
