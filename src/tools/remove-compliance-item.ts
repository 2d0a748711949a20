import { z } from 'zod';
import { removeComplianceItem, removeComplianceItemInput } from '../directory/compliance/compliance-items.ts';
import { defineTool } from './define-tool.ts';

export const removeComplianceItemTool = defineTool({
  name: 'remove_compliance_item',
  title: 'Remove a compliance item',
  description:
    'Removes a compliance item from a record by name. Example: {"partner":{"code":"SUP-000045"},"name":"ISO 9001"}.',
  inputSchema: removeComplianceItemInput,
  outputSchema: z.object({ removed: z.string() }),
  effect: 'destructive',
  permission: 'write',
  async handler(input, ctx) {
    const result = await removeComplianceItem(ctx, input);
    return { structured: result, text: `Removed ${result.removed}.` };
  },
});
