import {
  counterpartLink,
  linkCounterpart,
  linkCounterpartInput,
} from '../directory/counterparts/counterparts.ts';
import { defineTool } from './define-tool.ts';

export const linkCounterpartTool = defineTool({
  name: 'link_counterpart',
  title: 'Link a customer and a supplier of one company',
  description:
    'Marks a customer record and a supplier record as the two sides of one company (it buys from us and sells to us). Each record has one counterpart; an earlier link is replaced and named. The link follows the records through renames and merges. Example: {"customer":"CUS-000012","supplier":"SUP-000045"}.',
  inputSchema: linkCounterpartInput,
  outputSchema: counterpartLink,
  effect: 'write',
  idempotent: true,
  permission: 'write',
  async handler(input, ctx) {
    const result = await linkCounterpart(ctx, input);
    return {
      structured: result,
      text: `Linked ${result.customer} (customer) and ${result.supplier} (supplier) as one company.${result.replaced.length ? ` Replaced the earlier link with ${result.replaced.join(', ')}.` : ''}`,
    };
  },
});
