import type { KnownBlock } from '@slack/types';
import type { PartnerRowView } from '../directory/partners/partner-view.ts';
import type { SearchInput, SearchResult } from '../directory/search/search.ts';
import { countryName } from '../directory/values/country.ts';
import { describeTotal, money, rowLine, totalOf } from '../tools/format.ts';
import { type BotReply, context, escapeMrkdwn, reply, section } from './reply.ts';

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
  if (args.query) parts.push(`matching "${args.query}"`);
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

/** One row: code, name, company, city, last order, total. */
export function rowText(row: PartnerRowView): string {
  const name = `${row.firstName} ${row.lastName ?? ''}`.trim();
  const bits = [
    `*${escapeMrkdwn(row.code)}* ${escapeMrkdwn(name)}`,
    row.companyName ? escapeMrkdwn(row.companyName) : undefined,
    [row.city, row.countryName]
      .filter(Boolean)
      .map((v) => escapeMrkdwn(v!))
      .join(', ') || undefined,
    row.lastOrderDate ? `last order ${row.lastOrderDate}` : 'no orders yet',
    money(totalOf(row), row.currency),
    row.status === 'disabled' ? '_disabled_' : undefined,
  ];
  return bits.filter(Boolean).join(' · ');
}

/** A search answer: the count line, up to 10 rows, and "and N more" with the export link. */
export function searchReply(options: {
  args: SearchInput;
  result: SearchResult;
  exportUrl?: string;
}): BotReply {
  const { args, result } = options;
  const count = result.totalIsExact ? result.total : capitalize(describeTotal(result));
  const headline = describeSearch(args, count);
  const rows = result.items.slice(0, ROWS_SHOWN);
  const blocks: KnownBlock[] = [section(`*${escapeMrkdwn(headline)}*`)];
  if (rows.length) blocks.push(section(rows.map((row) => `• ${rowText(row)}`).join('\n')));
  const more = result.totalIsExact ? result.total - rows.length : undefined;
  if ((more !== undefined && more > 0) || !result.totalIsExact) {
    const label = more !== undefined ? `and ${more.toLocaleString('en-US')} more` : 'and more';
    blocks.push(
      context(
        options.exportUrl
          ? `${label}: <${options.exportUrl}|download the full list> (link valid 1 hour)`
          : label,
      ),
    );
  }
  const text = [
    headline,
    ...rows.map(rowLine),
    ...(blocks.length > 2
      ? [more ? `and ${more} more${options.exportUrl ? `: ${options.exportUrl}` : ''}` : 'and more']
      : []),
  ].join('\n');
  return reply(text, blocks);
}
