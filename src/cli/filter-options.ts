import type { Command } from 'commander';
import { activities } from '../directory/activity/window.ts';
import { partnerStatuses } from '../directory/partners/partner-schema.ts';
import { amount, kindOption, list, oneOf } from './option-values.ts';

/** The search filters as commander parses them (search and export share them). */
export interface FilterOptions {
  kind?: string;
  country?: string[];
  activity?: string;
  status?: string;
  minTotal?: number;
  maxTotal?: number;
  city?: string;
  notes?: string;
}

/** Adds the search filters to a command: the same ones for `search` and `export`. */
export function addFilterOptions(command: Command): Command {
  return command
    .option('--kind <kind>', 'customer or supplier (customers, vendors ... are understood)', kindOption)
    .option('--country <country>', 'country code or name; repeat or comma-separate (--country VN,DE)', list)
    .option('--activity <activity>', `${activities.join(', ')}`, oneOf(activities))
    .option('--status <status>', `${partnerStatuses.join(' or ')}`, oneOf(partnerStatuses))
    .option('--min-total <amount>', 'total sales / purchases at least this, e.g. 10000', amount)
    .option('--max-total <amount>', 'total sales / purchases at most this', amount)
    .option('--city <city>', 'the whole city name, e.g. Hanoi')
    .option('--notes <words>', 'words in the internal notes');
}

/** The filters as the tools' input (search_partners, export_partners). */
export function filterArgs(query: string[], options: FilterOptions): Record<string, unknown> {
  return {
    ...(query.length ? { query: query.join(' ') } : {}),
    ...(options.kind ? { kind: options.kind } : {}),
    ...(options.country?.length ? { countries: options.country } : {}),
    ...(options.activity ? { activity: options.activity } : {}),
    ...(options.status ? { status: options.status } : {}),
    ...(options.minTotal !== undefined ? { minTotal: options.minTotal } : {}),
    ...(options.maxTotal !== undefined ? { maxTotal: options.maxTotal } : {}),
    ...(options.city ? { city: options.city } : {}),
    ...(options.notes ? { notes: options.notes } : {}),
  };
}

/** True when no filter and no words narrow the search: a 0 then means an empty directory. */
export function isUnfiltered(args: Record<string, unknown>): boolean {
  return Object.keys(args).every((key) => ['sortBy', 'sortDir', 'limit', 'cursor'].includes(key));
}
