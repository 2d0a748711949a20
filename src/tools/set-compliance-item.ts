import { z } from 'zod';
import {
  complianceItemView,
  setComplianceItem,
  setComplianceItemInput,
} from '../directory/compliance/compliance-items.ts';
import { defineTool } from './define-tool.ts';

export const setComplianceItemTool = defineTool({
  name: 'set_compliance_item',
  title: 'Add or update a compliance item',
  description:
    'Adds or updates (by name) a trade compliance item such as an audit or certificate with its validity. check_compliance uses these against order ETDs. Example: {"partner":{"code":"SUP-000045"},"name":"BSCI audit","validFrom":"2026-01-10","validTo":"2027-01-09"}.',
  inputSchema: setComplianceItemInput,
  outputSchema: z.object({ item: complianceItemView, created: z.boolean() }),
  effect: 'write',
  idempotent: true,
  permission: 'write',
  async handler(input, ctx) {
    const result = await setComplianceItem(ctx, input);
    return {
      structured: result,
      text: `${result.created ? 'Added' : 'Updated'} ${result.item.name}, valid to ${result.item.validTo}.`,
    };
  },
});
