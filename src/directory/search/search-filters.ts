import { eq, gte, inArray, lt, lte, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { partners } from '../../db/schema/index.ts';
import { activityCutoff } from '../activity/clock.ts';
import type { DirectoryContext } from '../context.ts';
import { type FieldProblem, throwIfProblems } from '../errors.ts';
import { visibleTo } from '../partners/partner-ref.ts';
import { partnerKinds, partnerStatuses } from '../partners/partner-schema.ts';
import { describeCountry, resolveCountry, suggestCountry } from '../values/country.ts';

export const activities = ['new', 'active', 'inactive'] as const;

/** Filters shared by search, export and compliance scope. */
export const partnerFilterShape = {
  kind: z.enum(partnerKinds).optional().describe('customer or supplier; both when omitted.'),
  query: z
    .string()
    .max(200)
    .optional()
    .describe(
      'Free text over name, company, nickname, email, phone and code; case- and accent-insensitive, partial words. Example: "nguyen", "acme", "+8491".',
    ),
  countries: z
    .array(z.string().max(80))
    .max(50)
    .optional()
    .describe('Countries by ISO code or English name, e.g. ["VN", "Germany"].'),
  activity: z
    .enum(activities)
    .optional()
    .describe(
      'new: since date in the last 30 days; active: last order in the last 30 days; inactive: no order in the last 30 days.',
    ),
  status: z.enum(partnerStatuses).optional().describe('enabled or disabled; both when omitted.'),
  minTotal: z.number().min(0).optional().describe('Minimum total sales / purchases.'),
  maxTotal: z.number().min(0).optional().describe('Maximum total sales / purchases.'),
};
export const partnerFilters = z.strictObject(partnerFilterShape);
export type PartnerFilters = z.infer<typeof partnerFilters>;

const likeEscape = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Conditions for the free-text query: every word must match. Words of 3+ characters match
 * anywhere (trigram index); 1-2 character words match the start of a word ("ng" finds
 * Nguyen), as text starting with the word or holding it after a space (the trigram index finds
 * both, and two LIKEs cost less than a regular expression for each row a search tests).
 * A phone-like query is compared by its digits.
 */
export function textConditions(query: string): SQL[] {
  const trimmed = query.normalize('NFC').trim();
  if (!trimmed) return [];
  const phoneLike = /^[+\d][\d\s().-]{3,}$/.test(trimmed) && (trimmed.match(/\d/g)?.length ?? 0) >= 4;
  const terms = phoneLike
    ? [trimmed.replace(/\D/g, '').replace(/^0+/, '')]
    : trimmed.split(/\s+/).slice(0, 8);
  return terms
    .filter(Boolean)
    .map((term) =>
      [...term].length >= 3
        ? sql`${partners.searchText} like '%' || pb_norm(${likeEscape(term)}) || '%'`
        : sql`(${partners.searchText} like pb_norm(${likeEscape(term)}) || '%' or ${partners.searchText} like '% ' || pb_norm(${likeEscape(term)}) || '%')`,
    );
}

/** Resolves country filters to codes, reporting unknown ones with a suggestion. */
export function resolveCountryFilter(
  countries: string[] | undefined,
  problems: FieldProblem[],
): string[] | undefined {
  if (!countries?.length) return undefined;
  const codes = new Set<string>();
  countries.forEach((text, index) => {
    const country = resolveCountry(text);
    if (country) codes.add(country.code);
    else {
      const suggestion = suggestCountry(text);
      problems.push({
        field: `countries[${index}]`,
        code: 'unknown_country',
        message: `"${text}" is not a country we know${suggestion ? `; did you mean ${describeCountry(suggestion)}?` : '; use an ISO code such as VN or an English name such as Germany.'}`,
        ...(suggestion ? { didYouMean: describeCountry(suggestion) } : {}),
      });
    }
  });
  return [...codes];
}

/**
 * Last order on or after the cutoff (the Active count and filter). sort_last_order is
 * last_order_date with -infinity for none, so both forms match the same rows: with a country
 * filter sort_last_order lets (country, kind, sort_last_order) answer from the index alone,
 * without one last_order_date does the same with (kind, last_order_date).
 */
export function lastOrderOnOrAfter(cutoff: string, byCountry: boolean): SQL {
  return byCountry ? gte(partners.sortLastOrder, cutoff) : gte(partners.lastOrderDate, cutoff);
}

/** The WHERE conditions for a filter set, as the caller may see. Throws on bad filters. */
export function filterConditions(ctx: DirectoryContext, filters: PartnerFilters): SQL[] {
  const problems: FieldProblem[] = [];
  const countries = resolveCountryFilter(filters.countries, problems);
  if (
    filters.minTotal !== undefined &&
    filters.maxTotal !== undefined &&
    filters.minTotal > filters.maxTotal
  ) {
    problems.push({
      field: 'maxTotal',
      code: 'range',
      message: `maxTotal (${filters.maxTotal}) is below minTotal (${filters.minTotal}).`,
    });
  }
  throwIfProblems(problems, 'The search');
  const cutoff = activityCutoff(ctx.timeZone, ctx.clock);
  const conditions: (SQL | undefined)[] = [
    filters.kind ? eq(partners.kind, filters.kind) : undefined,
    filters.status ? eq(partners.status, filters.status) : undefined,
    countries ? inArray(partners.country, countries) : undefined,
    filters.activity === 'new' ? gte(partners.since, cutoff) : undefined,
    filters.activity === 'active' ? lastOrderOnOrAfter(cutoff, countries !== undefined) : undefined,
    filters.activity === 'inactive' ? lt(partners.sortLastOrder, cutoff) : undefined,
    filters.minTotal !== undefined ? gte(partners.total, filters.minTotal.toFixed(2)) : undefined,
    filters.maxTotal !== undefined ? lte(partners.total, filters.maxTotal.toFixed(2)) : undefined,
    visibleTo(ctx.actor.principal),
    ...(filters.query ? textConditions(filters.query) : []),
  ];
  return conditions.filter((condition): condition is SQL => condition !== undefined);
}
