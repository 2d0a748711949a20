import { z } from 'zod';
import { partnerRef } from '../directory/partners/partner-ref.ts';
import { removePartner } from '../directory/partners/partner-status.ts';
import { defineTool } from './define-tool.ts';

export const removePartnerTool = defineTool({
  name: 'remove_partner',
  title: 'Remove a customer or supplier for good',
  description:
    'Deletes a record permanently (admins only). Refused while the record has orders: disable it with set_partner_status instead. The change history keeps its last state. Confirm with the user first. Example: {"code":"CUS-000099","confirm":true}.',
  inputSchema: partnerRef.extend({
    confirm: z.literal(true).describe('Must be true: the user confirmed the permanent removal.'),
  }),
  outputSchema: z.object({ removed: z.string(), kind: z.string() }),
  effect: 'destructive',
  permission: 'remove',
  async handler({ confirm: _confirm, ...ref }, ctx) {
    const result = await removePartner(ctx, { ref });
    return { structured: result, text: `Removed ${result.kind} ${result.removed}.` };
  },
});
