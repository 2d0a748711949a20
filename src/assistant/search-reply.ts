import { EXPORT_LINK_VALIDITY } from '../directory/exports/export-links.ts';
import { type PartnerRowView, totalOf } from '../directory/partners/partner-view.ts';
import type { SearchInput, SearchResult } from '../directory/search/search.ts';
import { countryName } from '../directory/values/country.ts';
import { describeTotal, money } from '../tools/index.ts';
import { type BotReply, type ReplyPart, reply, type Span } from './reply.ts';

export const ROWS_SHOWN = 10;

export const capitalize = (text: string) => `${text[0]?.toUpperCase() ?? ''}${text.slice(1)}`;

const kindWords = { customer: ['customer', 'customers'], supplier: ['supplier', 'suppliers'] } as const;

function amount(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

/** "7 inactive suppliers in Viet Nam with total over 50,000, by total": the count and the filters understood. */
export function describeSearch(args: SearchInput, count: number | string): string {
  const plural = count !== 1 && count !== '1';
  const noun = args.kind
    ? kindWords[args.kind][plural ? 1 : 0]
    : plural
      ? 'customers and suppliers'
      : 'record';
  const parts = [String(count)];
  if (args.status === 'disabled') parts.push('disabled');
  if (args.activity) parts.push(args.activity);
  parts.push(noun);
  if (args.countries?.length) parts.push(`in ${args.countries.map((code) => countryName(code)).join(', ')}`);
  if (args.city) parts.push(`in the city ${args.city}`);
  if (args.query) parts.push(`matching "${args.query}"`);
  if (args.notes) parts.push(`with "${args.notes}" in the notes`);
  if (args.minTotal !== undefined && args.maxTotal !== undefined)
    parts.push(`with total between ${amount(args.minTotal)} and ${amount(args.maxTotal)}`);
  else if (args.minTotal !== undefined) parts.push(`with total of at least ${amount(args.minTotal)}`);
  else if (args.maxTotal !== undefined) parts.push(`with total of at most ${amount(args.maxTotal)}`);
  if (args.sortBy && args.sortBy !== 'name')
    parts.push(
      `by ${args.sortBy === 'lastOrderDate' ? 'last order' : args.sortBy}${args.sortDir === 'asc' ? ' (ascending)' : ''}`,
    );
  return parts.join(' ');
}

/** One row: code, name, company, place, last order, total (and "disabled"). */
export function rowWords(row: PartnerRowView): Span[] {
  const name = `${row.firstName} ${row.lastName ?? ''}`.trim();
  const place = [row.city, row.countryName].filter(Boolean).join(', ');
  const rest = [
    row.companyName ?? undefined,
    place || undefined,
    row.lastOrderDate ? `last order ${row.lastOrderDate}` : 'no orders yet',
    money(totalOf(row), row.currency),
  ].filter(Boolean);
  const spans: Span[] = [{ strong: row.code }, ` ${[name, ...rest].join(' · ')}`];
  if (row.status === 'disabled') spans.push(' · ', { emphasis: 'disabled' });
  return spans;
}

/**
 * A search answer: the count line, up to 10 rows, and "and N more" with the link to the full
 * list when there is one (the export behind it runs only when the link is opened).
 */
export function searchReply(options: {
  args: SearchInput;
  result: SearchResult;
  exportUrl?: string;
}): BotReply {
  const { args, result } = options;
  const count = result.totalIsExact ? result.total : capitalize(describeTotal(result));
  const rows = result.items.slice(0, ROWS_SHOWN);
  const parts: ReplyPart[] = [{ type: 'heading', text: describeSearch(args, count) }];
  if (rows.length) parts.push({ type: 'rows', rows: rows.map(rowWords) });
  const more = result.totalIsExact ? result.total - rows.length : undefined;
  if (more === undefined || more > 0) {
    const lead = more !== undefined ? `and ${more.toLocaleString('en-US')} more` : 'and more';
    parts.push(
      options.exportUrl
        ? {
            type: 'link',
            lead,
            label: 'Download the full list',
            url: options.exportUrl,
            note: `link valid ${EXPORT_LINK_VALIDITY}`,
          }
        : { type: 'note', text: lead },
    );
  }
  return reply(parts);
}
