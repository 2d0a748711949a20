import { activityGlossary } from '../directory/activity/window.ts';
import { searchInput, searchPartners, searchResult } from '../directory/search/search.ts';
import { defineTool } from './define-tool.ts';
import { describeTotal, rowLine } from './format.ts';

export const searchPartnersTool = defineTool({
  name: 'search_partners',
  title: 'Search customers and suppliers',
  description: [
    'Searches the customer and supplier directory and returns compact rows (use get_partner for a full record).',
    'Use it to find records by name, company, email, phone or code, or to list records by country, city, words in',
    'the notes, activity',
    `(${activityGlossary}),`,
    'status or total range, sorted by any key column. Results page with nextCursor; total counts all matches.',
    'Example: {"kind":"supplier","countries":["Vietnam"],"activity":"inactive","sortBy":"total"}.',
  ].join(' '),
  inputSchema: searchInput,
  outputSchema: searchResult,
  effect: 'read',
  permission: 'read',
  async handler(input, ctx) {
    const result = await searchPartners(ctx, input);
    const count = describeTotal(result);
    const lines = result.items.map(rowLine);
    const more = result.nextCursor ? `\nMore results: call again with cursor "${result.nextCursor}".` : '';
    return {
      structured: result,
      text: `${count} match(es), showing ${result.items.length}:\n${lines.join('\n')}${more}`,
    };
  },
});
