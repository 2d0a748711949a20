import { mergePartners, mergePartnersInput, mergeResult } from '../directory/merge/merge.ts';
import { defineTool } from './define-tool.ts';

export const mergePartnersTool = defineTool({
  name: 'merge_partners',
  title: 'Merge duplicate customers or suppliers into one',
  description:
    'Merges duplicates (same kind) into a survivor: orders and compliance items move, the picture moves if the survivor has none, access groups and notes are combined, order counts are recomputed; other fields are the survivor\'s unless keep names the record whose value wins. The duplicates are removed and their codes lead to the survivor. Dry run by default: returns exactly what would happen, field by field, and each record\'s version; then call with dryRun false and expectedVersions from the dry run. Example: {"survivor":"SUP-000045","duplicates":["SUP-000102"],"keep":{"phone":"SUP-000102"}}.',
  inputSchema: mergePartnersInput,
  outputSchema: mergeResult,
  effect: 'destructive',
  permission: 'write',
  async handler(input, ctx) {
    const result = await mergePartners(ctx, input);
    const changed = Object.keys(result.fields);
    return {
      structured: result,
      text: `${result.dryRun ? 'Dry run, nothing changed: would merge' : 'Merged'} ${result.merged.join(', ')} into ${result.survivor}: ${result.ordersMoved} order(s) and ${result.complianceItemsMoved} compliance item(s) ${result.dryRun ? 'would move' : 'moved'}${result.complianceItemsDropped.length ? `, ${result.complianceItemsDropped.length} older duplicate item(s) dropped` : ''}${changed.length ? `; fields: ${changed.join(', ')}` : ''}.`,
    };
  },
});
