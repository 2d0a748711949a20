import { z } from 'zod';
import { partnerRef } from '../directory/partners/partner-ref.ts';
import { partnerStatuses } from '../directory/partners/partner-schema.ts';
import { setPartnerStatus } from '../directory/partners/partner-status.ts';
import { partnerView } from '../directory/partners/partner-view.ts';
import { defineTool } from './define-tool.ts';
import { recordLine } from './format.ts';

export const setPartnerStatusTool = defineTool({
  name: 'set_partner_status',
  title: 'Disable or enable a customer or supplier',
  description:
    'Disables a record that is no longer used (it stays in the directory with its history and orders) or enables it again. Prefer this to remove_partner. Example: {"code":"SUP-000007","status":"disabled","reason":"Supplier closed"}.',
  inputSchema: partnerRef.extend({
    status: z.enum(partnerStatuses).describe('disabled or enabled.'),
    reason: z.string().max(500).optional().describe('Why it is disabled (kept on the record).'),
  }),
  outputSchema: z.object({ partner: partnerView, changed: z.boolean() }),
  effect: 'write',
  idempotent: true,
  permission: 'write',
  async handler({ status, reason, ...ref }, ctx) {
    const result = await setPartnerStatus(ctx, { ref, status, reason });
    return {
      structured: result,
      text: `${result.changed ? 'Now' : 'Already'} ${status}: ${recordLine(result.partner)}.`,
    };
  },
});
