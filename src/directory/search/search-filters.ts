import { eq, gte, inArray, lte, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { partners } from '../../db/schema/index.ts';
import { visibleTo } from '../access/visibility.ts';
import { activities, activityGlossary, activityRules, activityWindow } from '../activity/window.ts';
import type { DirectoryContext } from '../context.ts';
import { type FieldProblem, throwIfProblems } from '../errors.ts';
import { partnerKinds, partnerStatuses } from '../partners/partner-schema.ts';
import { readCountry } from '../values/country.ts';

export { activities } from '../activity/window.ts';

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
  activity: z.enum(activities).optional().describe(`Activity: ${activityGlossary}.`),
  status: z.enum(partnerStatuses).optional().describe('enabled or disabled; both when omitted.'),
  minTotal: z.number().min(0).optional().describe('Minimum total sales / purchases.'),
  maxTotal: z.number().min(0).optional().describe('Maximum total sales / purchases.'),
  city: z
    .string()
    .max(200)
    .optional()
    .describe('The whole city name, case-, accent- and space-insensitive ("Hanoi" finds "Hà Nội").'),
  notes: z
    .string()
    .max(200)
    .optional()
    .describe(
      'Words in the internal notes: every word must appear, case- and accent-insensitive. Example: "palm oil".',
    ),
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

/** Conditions for words in the notes: every word must appear in them (no index: a scan of the rows the other filters leave). */
function notesConditions(notes: string): SQL[] {
  return notes
    .normalize('NFC')
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 8)
    .map((word) => sql`pb_norm(${partners.notes}) like '%' || pb_norm(${likeEscape(word)}) || '%'`);
}

/** Resolves country filters to codes, reporting unknown ones with a suggestion. */
export function resolveCountryFilter(
  countries: string[] | undefined,
  problems: FieldProblem[],
): string[] | undefined {
  if (!countries?.length) return undefined;
  const codes = new Set<string>();
  countries.forEach((text, index) => {
    const code = readCountry({ text, field: `countries[${index}]`, problems });
    if (code) codes.add(code);
  });
  return [...codes];
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
  const window = activityWindow(ctx);
  const conditions: (SQL | undefined)[] = [
    filters.kind ? eq(partners.kind, filters.kind) : undefined,
    filters.status ? eq(partners.status, filters.status) : undefined,
    countries ? inArray(partners.country, countries) : undefined,
    filters.activity
      ? activityRules[filters.activity].sql(window, { byCountry: countries !== undefined })
      : undefined,
    filters.minTotal !== undefined ? gte(partners.total, filters.minTotal.toFixed(2)) : undefined,
    filters.maxTotal !== undefined ? lte(partners.total, filters.maxTotal.toFixed(2)) : undefined,
    // Spaces do not count, so "Hanoi" finds "Hà Nội".
    filters.city?.trim()
      ? sql`replace(${partners.sortCity}, ' ', '') = replace(pb_norm(${filters.city.trim()}), ' ', '')`
      : undefined,
    visibleTo(ctx.actor.principal),
    ...(filters.query ? textConditions(filters.query) : []),
    ...(filters.notes ? notesConditions(filters.notes) : []),
  ];
  return conditions.filter((condition): condition is SQL => condition !== undefined);
}
