import { and, count, eq, inArray, isNotNull, type SQL, sql, sum } from 'drizzle-orm';
import { z } from 'zod';
import { partnerCounts, partners } from '../../db/schema/index.ts';
import { requirePermission } from '../access/principal.ts';
import { visibleTo } from '../access/visibility.ts';
import { ACTIVITY_WINDOW_DAYS, activityRules, activityWindow } from '../activity/window.ts';
import type { DirectoryContext } from '../context.ts';
import { toDirectoryError } from '../db-errors.ts';
import { type FieldProblem, throwIfProblems } from '../errors.ts';
import { type PartnerKind, partnerKinds } from '../partners/partner-schema.ts';
import { resolveCountryFilter } from '../search/search-filters.ts';
import { countryName } from '../values/country.ts';

export const kindCounts = z.object({
  all: z.number().int().describe('Every record of the kind, enabled and disabled.'),
  new: z.number().int().describe('Since date on or after the window start.'),
  active: z.number().int().describe('Last order on or after the window start.'),
  inactive: z.number().int().describe('Last order before the window start, or no order yet.'),
  enabled: z.number().int(),
  disabled: z.number().int(),
});
export type KindCounts = z.infer<typeof kindCounts>;

export const summaryCountsResult = z.object({
  asOf: z.string().describe('Today in the workspace time zone.'),
  windowStart: z
    .string()
    .describe(
      `The first day of the rolling ${ACTIVITY_WINDOW_DAYS}-day window (today - ${ACTIVITY_WINDOW_DAYS} days).`,
    ),
  windowDays: z.number().int().describe('The length of the activity window in days.'),
  timeZone: z.string(),
  customer: kindCounts.optional(),
  supplier: kindCounts.optional(),
});
export type SummaryCounts = z.infer<typeof summaryCountsResult>;

/**
 * The product guide's summary counts per kind, over a rolling 30-day window counted back from
 * today in the workspace time zone: All (with the enabled/disabled split), New, Active and
 * Inactive (= All - Active). All and Disabled add up partner_counts (kept exact by triggers on
 * partners); New and Active are index-only counts over the window. Every query runs at once.
 */
export async function countPartners(
  ctx: DirectoryContext,
  options: { kind?: PartnerKind; countries?: string[] } = {},
): Promise<SummaryCounts> {
  requirePermission(ctx.actor.principal, 'read', 'see summaries');
  const problems: FieldProblem[] = [];
  const countries = resolveCountryFilter(options.countries, problems);
  throwIfProblems(problems, 'The summary');
  const window = activityWindow(ctx);
  const kinds = options.kind ? [options.kind] : [...partnerKinds];
  const principal = ctx.actor.principal;
  const scope = (kind: PartnerKind, extra: SQL) =>
    and(
      eq(partners.kind, kind),
      countries ? inArray(partners.country, countries) : undefined,
      visibleTo(principal),
      extra,
    );
  const countWhere = async (where: SQL | undefined) =>
    (await ctx.db.select({ n: count() }).from(partners).where(where))[0]?.n ?? 0;
  try {
    const [groups, windowCounts] = await Promise.all([
      ctx.db
        .select({
          kind: partnerCounts.kind,
          all: sql`coalesce(sum(${partnerCounts.n}), 0)::int`.mapWith(Number),
          disabled:
            sql`coalesce(sum(${partnerCounts.n}) filter (where ${partnerCounts.status} = 'disabled'), 0)::int`.mapWith(
              Number,
            ),
        })
        .from(partnerCounts)
        .where(
          and(
            inArray(partnerCounts.kind, kinds),
            countries ? inArray(partnerCounts.country, countries) : undefined,
            visibleTo(principal, partnerCounts.accessGroups),
          ),
        )
        .groupBy(partnerCounts.kind),
      Promise.all(
        kinds.map((kind) =>
          Promise.all([
            countWhere(scope(kind, activityRules.new.sql(window))),
            countWhere(scope(kind, activityRules.active.sql(window, { byCountry: countries !== undefined }))),
          ]),
        ),
      ),
    ]);
    const result: SummaryCounts = {
      asOf: window.today,
      windowStart: window.start,
      windowDays: window.days,
      timeZone: ctx.timeZone,
    };
    kinds.forEach((kind, index) => {
      const totals = groups.find((row) => row.kind === kind);
      const all = totals?.all ?? 0;
      const disabled = totals?.disabled ?? 0;
      const [fresh, active] = windowCounts[index]!;
      result[kind] = { all, new: fresh, active, inactive: all - active, enabled: all - disabled, disabled };
    });
    return result;
  } catch (error) {
    throw toDirectoryError(error);
  }
}

export const directorySummaryResult = summaryCountsResult.extend({
  topCountries: z
    .array(
      z.object({
        kind: z.enum(partnerKinds),
        country: z.string(),
        countryName: z.string(),
        count: z.number().int(),
      }),
    )
    .describe('Up to 10 countries per kind with the most records.'),
  totals: z
    .array(z.object({ kind: z.enum(partnerKinds), currency: z.string(), amount: z.number() }))
    .describe('Sum of total sales (customers) / total purchases (suppliers) per currency.'),
});
export type DirectorySummary = z.infer<typeof directorySummaryResult>;

/** Summary counts plus the top countries and the money totals per kind and currency. */
export async function directorySummary(
  ctx: DirectoryContext,
  options: { kind?: PartnerKind; countries?: string[] } = {},
): Promise<DirectorySummary> {
  const counts = await countPartners(ctx, options);
  const problems: FieldProblem[] = [];
  const countries = resolveCountryFilter(options.countries, problems);
  const where = and(
    options.kind ? eq(partners.kind, options.kind) : undefined,
    countries ? inArray(partners.country, countries) : undefined,
    visibleTo(ctx.actor.principal),
  );
  try {
    const [byCountry, totals] = await Promise.all([
      // From the counts table: a few hundred rows instead of a scan of the directory.
      ctx.db
        .select({
          kind: partnerCounts.kind,
          country: partnerCounts.country,
          n: sql`sum(${partnerCounts.n})::int`.mapWith(Number),
        })
        .from(partnerCounts)
        .where(
          and(
            options.kind ? eq(partnerCounts.kind, options.kind) : undefined,
            countries ? inArray(partnerCounts.country, countries) : undefined,
            isNotNull(partnerCounts.country),
            visibleTo(ctx.actor.principal, partnerCounts.accessGroups),
          ),
        )
        .groupBy(partnerCounts.kind, partnerCounts.country)
        // Counts rows can be 0 once a country's last visible record is gone: never list those.
        .having(sql`sum(${partnerCounts.n}) > 0`),
      ctx.db
        .select({ kind: partners.kind, currency: partners.currency, amount: sum(partners.total) })
        .from(partners)
        .where(where)
        .groupBy(partners.kind, partners.currency),
    ]);
    const topCountries = partnerKinds.flatMap((kind) =>
      byCountry
        .filter((row) => row.kind === kind)
        .sort((a, b) => b.n - a.n || a.country!.localeCompare(b.country!))
        .slice(0, 10)
        .map((row) => ({
          kind,
          country: row.country!,
          countryName: countryName(row.country!),
          count: row.n,
        })),
    );
    return {
      ...counts,
      topCountries,
      totals: totals
        .map((row) => ({ kind: row.kind, currency: row.currency, amount: Number(row.amount ?? 0) }))
        .sort((a, b) => a.kind.localeCompare(b.kind) || b.amount - a.amount),
    };
  } catch (error) {
    throw toDirectoryError(error);
  }
}
