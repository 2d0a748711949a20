import { MAX_PAGE_SIZE } from '../../directory/search/search.ts';
import { countryName } from '../../directory/values/country.ts';
import type { SearchState } from './question-reader-rules.ts';
import type { Period, SearchArgs, SearchExtras } from './question-reader-search.ts';
import { formatAmount } from './question-reader-text.ts';

const kindNames = { customer: 'customers', supplier: 'suppliers' } as const;

/** "Germany, France or Italy". */
export function listCountries(codes: readonly string[]): string {
  const names = codes.map(countryName);
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : (names[0] ?? '');
}

const sortWords: Record<string, string> = {
  'total desc': 'largest total first',
  'total asc': 'smallest total first',
  'orders desc': 'most orders first',
  'orders asc': 'fewest orders first',
  'lastOrderDate desc': 'latest order first',
  'lastOrderDate asc': 'earliest last order first',
  'since desc': 'newest first',
  'since asc': 'oldest first',
  'name asc': 'by name',
  'name desc': 'by name, Z to A',
};

/** "added this month", "ordered in the last 7 days": a period in words. */
export function describePeriod(period: Period): string {
  const verb = period.date === 'since' ? 'added' : 'ordered';
  if (period.calendar === 'day') return `${verb} today`;
  if (period.calendar) return `${verb} this ${period.calendar}`;
  return `${verb} in the last ${period.days} days`;
}

/** What the reader understood of a search, in plain words, in the order a person says it. */
export function describeReading(options: {
  state: SearchState;
  args: SearchArgs;
  capped: boolean;
  extras: Pick<SearchExtras, 'period' | 'neverOrdered' | 'currency'>;
}): string[] {
  const { state, args, capped, extras } = options;
  const understood: string[] = [];
  if (state.count) understood.push('how many');
  if (args.activity) understood.push(args.activity);
  if (args.status) understood.push(args.status);
  if (args.kind) understood.push(kindNames[args.kind]);
  else if (state.kinds.size > 0 && !args.query) understood.push('customers and suppliers');
  if (extras.period) understood.push(describePeriod(extras.period));
  if (extras.neverOrdered) understood.push('never ordered');
  if (args.countries) understood.push(`in ${listCountries(args.countries)}`);
  if (args.city) understood.push(`in the city ${args.city}`);
  if (args.notes) understood.push(`notes mentioning "${args.notes}"`);
  const currency = extras.currency ? ` ${extras.currency}` : '';
  const min = args.minTotal === undefined ? undefined : formatAmount(args.minTotal);
  const max = args.maxTotal === undefined ? undefined : formatAmount(args.maxTotal);
  if (min && max) understood.push(`total between ${min} and ${max}${currency}`);
  else if (min) understood.push(`total ${state.minWord ?? 'over'} ${min}${currency}`);
  else if (max) understood.push(`total ${state.maxWord ?? 'under'} ${max}${currency}`);
  const cap = capped ? ` (${MAX_PAGE_SIZE} at most)` : '';
  if (args.sortBy) {
    const sortText =
      sortWords[`${args.sortBy} ${args.sortDir}`] ??
      `by ${args.sortBy}${args.sortDir === 'desc' ? ', Z to A' : ''}`;
    if (args.limit && args.sortBy === 'total' && args.sortDir === 'desc') {
      understood.push(`top ${args.limit} by total${cap}`);
    } else {
      understood.push(args.limit ? `top ${args.limit}${cap}, ${sortText}` : sortText);
    }
  } else if (args.limit) understood.push(`first ${args.limit}${cap}`);
  if (args.query) understood.push(`matching "${args.query}"`);
  return understood;
}
