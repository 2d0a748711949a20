import { and, asc, desc, eq, gte, inArray, lt, lte, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { rowsOf } from '../db/client.ts';
import { partners } from '../db/schema/index.ts';
import { activityCutoff, todayIn } from './clock.ts';
import type { DirectoryContext } from './context.ts';
import { describeCountry, resolveCountry, suggestCountry } from './country.ts';
import { toDirectoryError } from './db-errors.ts';
import { DirectoryError, type FieldProblem, throwIfProblems } from './errors.ts';
import { visibleTo } from './partner-ref.ts';
import { partnerKinds, partnerStatuses } from './partner-schema.ts';
import { type PartnerRowView, partnerRowView, toPartnerRowView } from './partner-view.ts';
import { requirePermission } from './principal.ts';

export const sortKeys = [
  'name',
  'company',
  'total',
  'city',
  'country',
  'orders',
  'lastOrderDate',
  'since',
  'code',
] as const;
export type SortKey = (typeof sortKeys)[number];
export const activities = ['new', 'active', 'inactive'] as const;

/** Counting stops here: past it the total is given as "at least" (counting every match of a broad search costs more than the page). */
export const SEARCH_COUNT_CAP = 10_000;
export const MAX_PAGE_SIZE = 200;

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

export const searchInput = z.strictObject({
  ...partnerFilterShape,
  sortBy: z.enum(sortKeys).optional().describe('Sort column; default name.'),
  sortDir: z
    .enum(['asc', 'desc'])
    .optional()
    .describe(
      'Default asc for name, company, city, country, code; desc for total, orders, lastOrderDate, since.',
    ),
  limit: z
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE_SIZE)
    .optional()
    .describe(`Page size, 1 to ${MAX_PAGE_SIZE}; default 25.`),
  cursor: z.string().max(500).optional().describe('nextCursor from the previous page, to get the next one.'),
});
export type SearchInput = z.infer<typeof searchInput>;

export const searchResult = z.object({
  items: z.array(partnerRowView),
  total: z.number().int().describe('Number of matches (a lower bound when totalIsExact is false).'),
  totalIsExact: z.boolean(),
  nextCursor: z.string().nullable().describe('Pass as cursor for the next page; null on the last page.'),
  asOf: z.string().describe('Today in the workspace time zone; activity is counted from it.'),
});
export type SearchResult = z.infer<typeof searchResult>;

const sortColumns = {
  name: { column: partners.sortName, cast: sql`text`, defaultDir: 'asc' },
  company: { column: partners.sortCompany, cast: sql`text`, defaultDir: 'asc' },
  city: { column: partners.sortCity, cast: sql`text`, defaultDir: 'asc' },
  country: { column: partners.sortCountry, cast: sql`text`, defaultDir: 'asc' },
  code: { column: partners.code, cast: sql`text`, defaultDir: 'asc' },
  total: { column: partners.total, cast: sql`numeric`, defaultDir: 'desc' },
  orders: { column: partners.ordersCount, cast: sql`integer`, defaultDir: 'desc' },
  lastOrderDate: { column: partners.sortLastOrder, cast: sql`date`, defaultDir: 'desc' },
  since: { column: partners.sortSince, cast: sql`date`, defaultDir: 'desc' },
} as const;

const likeEscape = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);
const regexEscape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, (c) => `\\${c}`);

/**
 * Conditions for the free-text query: every word must match. Words of 3+ characters match
 * anywhere (trigram index); 1-2 character words match the start of a word ("ng" finds
 * Nguyen), since they have no trigrams. A phone-like query is compared by its digits.
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
        : sql`${partners.searchText} ~ ('(^| )' || pb_norm(${regexEscape(term)}))`,
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
    filters.activity === 'active' ? gte(partners.lastOrderDate, cutoff) : undefined,
    filters.activity === 'inactive' ? lt(partners.sortLastOrder, cutoff) : undefined,
    filters.minTotal !== undefined ? gte(partners.total, filters.minTotal.toFixed(2)) : undefined,
    filters.maxTotal !== undefined ? lte(partners.total, filters.maxTotal.toFixed(2)) : undefined,
    visibleTo(ctx.actor.principal),
    ...(filters.query ? textConditions(filters.query) : []),
  ];
  return conditions.filter((condition): condition is SQL => condition !== undefined);
}

interface Cursor {
  sortBy: SortKey;
  dir: 'asc' | 'desc';
  value: string | number;
  id: string;
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.sortBy, cursor.dir, cursor.value, cursor.id])).toString(
    'base64url',
  );
}

function decodeCursor(text: string, sortBy: SortKey, dir: 'asc' | 'desc'): Cursor {
  const invalid = (message: string) =>
    new DirectoryError('validation', message, {
      problems: [
        {
          field: 'cursor',
          code: 'invalid_cursor',
          message: `${message} Repeat the search without cursor to start over.`,
        },
      ],
    });
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw invalid('The cursor is not one this search returned.');
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 4 ||
    typeof parsed[3] !== 'string' ||
    !/^[0-9a-f-]{36}$/.test(parsed[3])
  ) {
    throw invalid('The cursor is not one this search returned.');
  }
  if (parsed[0] !== sortBy || parsed[1] !== dir) {
    throw invalid(
      `The cursor belongs to a search sorted by ${parsed[0]} ${parsed[1]}; keep the same sortBy and sortDir when paging.`,
    );
  }
  return { sortBy, dir, value: parsed[2], id: parsed[3] };
}

/**
 * Searches the directory with filters, sort and keyset (cursor) paging. Returns the page, the
 * number of matches (exact up to SEARCH_COUNT_CAP) and the cursor of the next page.
 */
export async function searchPartners(ctx: DirectoryContext, input: SearchInput): Promise<SearchResult> {
  requirePermission(ctx.actor.principal, 'read', 'search the directory');
  const sortBy = input.sortBy ?? 'name';
  const sort = sortColumns[sortBy];
  const dir = input.sortDir ?? sort.defaultDir;
  const limit = input.limit ?? 25;
  const conditions = filterConditions(ctx, input);
  const where = and(...conditions);
  const pageConditions = [...conditions];
  if (input.cursor) {
    const cursor = decodeCursor(input.cursor, sortBy, dir);
    const value = sql`${cursor.value}::${sort.cast}`;
    pageConditions.push(
      dir === 'asc'
        ? sql`(${sort.column}, ${partners.id}) > (${value}, ${cursor.id}::uuid)`
        : sql`(${sort.column}, ${partners.id}) < (${value}, ${cursor.id}::uuid)`,
    );
  }
  const order = dir === 'asc' ? [asc(sort.column), asc(partners.id)] : [desc(sort.column), desc(partners.id)];
  try {
    const [rows, counted] = await Promise.all([
      ctx.db
        .select({
          id: partners.id,
          code: partners.code,
          kind: partners.kind,
          status: partners.status,
          firstName: partners.firstName,
          lastName: partners.lastName,
          companyName: partners.companyName,
          email: partners.email,
          phone: partners.phone,
          city: partners.city,
          country: partners.country,
          since: partners.since,
          total: partners.total,
          currency: partners.currency,
          ordersCount: partners.ordersCount,
          lastOrderDate: partners.lastOrderDate,
          sortValue: sort.column,
        })
        .from(partners)
        .where(and(...pageConditions))
        .orderBy(...order)
        .limit(limit + 1),
      ctx.db.execute(
        sql`select count(*)::int as n from (select 1 from ${partners} ${where ? sql`where ${where}` : sql``} limit ${SEARCH_COUNT_CAP + 1}) as matches`,
      ),
    ]);
    const total = rowsOf<{ n: number }>(counted)[0]?.n ?? 0;
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    const cutoff = activityCutoff(ctx.timeZone, ctx.clock);
    return {
      items: page.map((row): PartnerRowView => toPartnerRowView(row, cutoff)),
      total: Math.min(total, SEARCH_COUNT_CAP),
      totalIsExact: total <= SEARCH_COUNT_CAP,
      nextCursor:
        rows.length > limit && last
          ? encodeCursor({ sortBy, dir, value: last.sortValue as string | number, id: last.id })
          : null,
      asOf: todayIn(ctx.timeZone, ctx.clock),
    };
  } catch (error) {
    throw toDirectoryError(error);
  }
}
