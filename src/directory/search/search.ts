import { and, asc, desc, inArray, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Db, rowsOf } from '../../db/client.ts';
import { partners } from '../../db/schema/index.ts';
import { requirePermission } from '../access/principal.ts';
import { activityWindow } from '../activity/window.ts';
import type { DirectoryContext } from '../context.ts';
import { toDirectoryError } from '../db-errors.ts';
import { DirectoryError } from '../errors.ts';
import { type PartnerRowView, partnerRowView, toPartnerRowView } from '../partners/partner-view.ts';
import { filterConditions, partnerFilterShape, textConditions } from './search-filters.ts';

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

/**
 * Counting stops here. A filter-only search counts its matches up to this (index-only) and gives
 * the cap as a lower bound past it. A text search counts exactly only when the planner expects at
 * most this many matches; past it the total is the planner's estimate (counting every match of a
 * broad text search reads each matching row, which costs more than the page).
 */
export const SEARCH_COUNT_CAP = 10_000;
export const MAX_PAGE_SIZE = 200;

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
  total: z
    .number()
    .int()
    .describe(
      'Number of matches. When totalIsExact is false: a lower bound, or for a broad text search the database estimate (rounded).',
    ),
  totalIsExact: z.boolean(),
  totalIsEstimate: z
    .boolean()
    .describe(
      'True when total is the database estimate of a broad text search ("about N"); false when exact or a lower bound ("more than N").',
    ),
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

/** Rounds a planner estimate to two significant digits (47,047 becomes 47,000), so it reads as one. */
export function roundEstimate(estimate: number): number {
  if (!(estimate >= 100)) return Math.max(0, Math.round(estimate || 0));
  const unit = 10 ** (Math.floor(Math.log10(estimate)) - 1);
  return Math.round(estimate / unit) * unit;
}

/**
 * How a text search finds its page and total, from the planner's estimate of its matches.
 * 'count': few enough to collect (at most countLimit + 1 of them) in one scan that gives both the
 * exact total and the page. 'estimate': too many to count cheaply; the page walks the sort order
 * (index-only for the name sort) and the total is the estimate.
 */
export function textSearchPlan(estimate: number | undefined, countLimit: number): 'count' | 'estimate' {
  return estimate === undefined || estimate <= countLimit ? 'count' : 'estimate';
}

/**
 * The planner's estimate of the partners matching `where`: EXPLAIN without running the query
 * (about a millisecond). undefined when the plan cannot be read, which makes the search count.
 */
export async function estimateMatches(db: Db, where: SQL | undefined): Promise<number | undefined> {
  const result = await db.execute(
    sql`explain (format json) select 1 from ${partners}${where ? sql` where ${where}` : sql``}`,
  );
  const row = rowsOf<Record<string, unknown>>(result)[0];
  let plan = row ? Object.values(row)[0] : undefined;
  if (typeof plan === 'string') plan = JSON.parse(plan);
  const rows = (plan as { Plan?: { 'Plan Rows'?: unknown } }[] | undefined)?.[0]?.Plan?.['Plan Rows'];
  return typeof rows === 'number' && Number.isFinite(rows) ? rows : undefined;
}

/**
 * Searches the directory with filters, sort and keyset (cursor) paging. Returns the page, the
 * number of matches and the cursor of the next page. Filter-only searches count exactly up to
 * SEARCH_COUNT_CAP. Text searches ask the planner first (textSearchPlan): up to countLimit
 * expected matches (default SEARCH_COUNT_CAP) they count exactly, past it the total is the
 * planner's estimate and totalIsExact is false.
 */
export async function searchPartners(
  ctx: DirectoryContext,
  input: SearchInput,
  options: { countLimit?: number } = {},
): Promise<SearchResult> {
  requirePermission(ctx.actor.principal, 'read', 'search the directory');
  const sortBy = input.sortBy ?? 'name';
  const sort = sortColumns[sortBy];
  const dir = input.sortDir ?? sort.defaultDir;
  const limit = input.limit ?? 25;
  const countLimit = options.countLimit ?? SEARCH_COUNT_CAP;
  const conditions = filterConditions(ctx, input);
  const where = and(...conditions);
  const cursor = input.cursor ? decodeCursor(input.cursor, sortBy, dir) : undefined;
  /** (key, id) after the cursor in the sort order. */
  const afterCursor = (key: SQL | SQL.Aliased | typeof sort.column, id: SQL | typeof partners.id) => {
    if (!cursor) return undefined;
    const value = sql`${cursor.value}::${sort.cast}`;
    return dir === 'asc'
      ? sql`(${key}, ${id}) > (${value}, ${cursor.id}::uuid)`
      : sql`(${key}, ${id}) < (${value}, ${cursor.id}::uuid)`;
  };
  const pageWhere = and(...conditions, afterCursor(sort.column, partners.id));
  const order = dir === 'asc' ? [asc(sort.column), asc(partners.id)] : [desc(sort.column), desc(partners.id)];
  const columns = {
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
  };
  const selectPage = () => ctx.db.select(columns).from(partners);
  try {
    let rows: Awaited<ReturnType<typeof selectPage>>;
    let total: number;
    let totalIsExact: boolean;
    let totalIsEstimate = false;
    if (!(input.query && textConditions(input.query).length > 0)) {
      // Filters only: the page and a count capped at SEARCH_COUNT_CAP (index-only for the filters).
      const [page, counted] = await Promise.all([
        selectPage()
          .where(pageWhere)
          .orderBy(...order)
          .limit(limit + 1),
        ctx.db.execute(
          sql`select count(*)::int as n from (select 1 from ${partners} ${where ? sql`where ${where}` : sql``} limit ${SEARCH_COUNT_CAP + 1}) as matches`,
        ),
      ]);
      const n = rowsOf<{ n: number }>(counted)[0]?.n ?? 0;
      rows = page;
      total = Math.min(n, SEARCH_COUNT_CAP);
      totalIsExact = n <= SEARCH_COUNT_CAP;
    } else {
      const estimate = await estimateMatches(ctx.db, where);
      let counted: { matches: number; ids: string[] } | undefined;
      if (textSearchPlan(estimate, countLimit) === 'count') {
        // One scan collects the matches (stopping past countLimit); the count is over all of
        // them, the page (ids in sort order) over those after the cursor.
        const direction = sql.raw(dir);
        const result = await ctx.db.execute(sql`
          with found as materialized (
            select ${partners.id} as id, ${sort.column} as sort_key from ${partners}
            where ${where} limit ${countLimit + 1}
          )
          select (select count(*) from found)::int as matches,
            (select coalesce(json_agg(page.id order by page.sort_key ${direction}, page.id ${direction}), '[]'::json)
              from (select id, sort_key from found ${cursor ? sql`where ${afterCursor(sql`sort_key`, sql`id`)}` : sql``}
                order by sort_key ${direction}, id ${direction} limit ${limit + 1}) as page) as ids`);
        const row = rowsOf<{ matches: number; ids: string[] | string }>(result)[0]!;
        counted = {
          matches: row.matches,
          ids: typeof row.ids === 'string' ? (JSON.parse(row.ids) as string[]) : row.ids,
        };
      }
      if (counted && counted.matches <= countLimit) {
        const found = counted.ids.length
          ? await selectPage().where(and(inArray(partners.id, counted.ids), where))
          : [];
        const byId = new Map(found.map((row) => [row.id, row]));
        rows = counted.ids.flatMap((id) => byId.get(id) ?? []);
        total = counted.matches;
        totalIsExact = true;
      } else {
        // Many matches: the ids of the page first, walking the sort order (for the name sort an
        // index-only scan of (sort_name, id, search_text) that tests the text in the index), then
        // those rows.
        const pageIds = ctx.db
          .select({ id: partners.id })
          .from(partners)
          .where(pageWhere)
          .orderBy(...order)
          .limit(limit + 1);
        rows = await selectPage()
          .where(inArray(partners.id, pageIds))
          .orderBy(...order);
        // Past the limit on counting: a lower bound when the count ran over, else the estimate.
        total = counted ? countLimit : roundEstimate(estimate ?? 0);
        totalIsExact = false;
        totalIsEstimate = !counted;
      }
    }
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    const window = activityWindow(ctx);
    return {
      items: page.map((row): PartnerRowView => toPartnerRowView(row, window)),
      total,
      totalIsExact,
      totalIsEstimate,
      nextCursor:
        rows.length > limit && last
          ? encodeCursor({ sortBy, dir, value: last.sortValue as string | number, id: last.id })
          : null,
      asOf: window.today,
    };
  } catch (error) {
    throw toDirectoryError(error);
  }
}
