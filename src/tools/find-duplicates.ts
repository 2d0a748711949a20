import { duplicateGroups, findDuplicates, findDuplicatesInput } from '../directory/duplicates/duplicates.ts';
import { defineTool } from './define-tool.ts';

export const findDuplicatesTool = defineTool({
  name: 'find_duplicates',
  title: 'Find likely duplicate customers or suppliers',
  description:
    'Lists groups of likely duplicate records within one kind, among the records you may see, each pair with its reason and a score (0..1): the same phone, the same company name in the same country (legal forms such as Ltd, GmbH, JSC ignored), or close company names with the same email domain or city. Page with nextCursor. Example: {"kind":"supplier","countries":["VN"],"limit":20}.',
  inputSchema: findDuplicatesInput,
  outputSchema: duplicateGroups,
  effect: 'read',
  permission: 'read',
  async handler(input, ctx) {
    const result = await findDuplicates(ctx, input);
    const lines = result.groups.map(
      (group) =>
        `${group.records.map((r) => `${r.code} (${r.companyName ?? r.name})`).join(' = ')}: ${[...new Set(group.reasons.map((r) => r.reason))].join('; ')} (score ${group.score})`,
    );
    return {
      structured: result,
      text: lines.length
        ? `${lines.length} group(s) of likely duplicates${result.nextCursor ? ' (more: pass nextCursor)' : ''}:\n${lines.join('\n')}`
        : `No likely duplicates${result.nextCursor ? ' on this page (more: pass nextCursor)' : ''}.`,
    };
  },
});
