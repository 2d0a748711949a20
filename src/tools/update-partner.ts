import { z } from 'zod';
import { partnerRef } from '../directory/partners/partner-ref.ts';
import { partnerChangesInput } from '../directory/partners/partner-schema.ts';
import { partnerView } from '../directory/partners/partner-view.ts';
import { updatePartner } from '../directory/partners/partner-write.ts';
import { defineTool } from './define-tool.ts';
import { recordLine } from './format.ts';

export const updatePartnerTool = defineTool({
  name: 'update_partner',
  title: 'Edit a customer or supplier',
  description:
    'Changes fields of one record; only the fields in changes are touched, null or "" clears an optional field (required fields cannot be cleared). Pass expectedVersion (from get_partner) so a record changed meanwhile is not overwritten. Example: {"code":"CUS-000042","expectedVersion":3,"changes":{"city":"Da Nang","phone":"+84 236 3822 111"}}.',
  inputSchema: partnerRef.extend({
    expectedVersion: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('The version you read; the edit is refused if the record changed since.'),
    changes: partnerChangesInput.describe('Only the fields to change.'),
  }),
  outputSchema: z.object({ partner: partnerView, changed: z.array(z.string()) }),
  effect: 'write',
  idempotent: true,
  permission: 'write',
  async handler({ changes, expectedVersion, ...ref }, ctx) {
    const result = await updatePartner(ctx, { ref, changes, expectedVersion });
    return {
      structured: result,
      text: result.changed.length
        ? `Updated ${result.changed.join(', ')} on ${recordLine(result.partner)}.`
        : `Nothing changed on ${recordLine(result.partner)}.`,
    };
  },
});
