import { and, count, eq, gte, inArray, isNotNull, type SQL, sum } from 'drizzle-orm';
import { z } from 'zod';
import { partners } from '../db/schema/index.ts';
import { activityCutoff, todayIn } from './clock.ts';
import type { DirectoryContext } from './context.ts';
import { countryName } from './country.ts';
import { toDirectoryError } from './db-errors.ts';
import { type FieldProblem, throwIfProblems } from './errors.ts';
import { visibleTo } from './partner-ref.ts';
import { type PartnerKind, partnerKinds } from './partner-schema.ts';
import { requirePermission } from './principal.ts';
import { resolveCountryFilter } from './search.ts';

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
  windowStart: z.string().describe('The first day of the rolling 30-day window (today - 30 days).'),
  timeZone: z.string(),
  customer: kindCounts.optional(),
  supplier: kindCounts.optional(),
});
export type SummaryCounts = z.infer<typeof summaryCountsResult>;

/**
 * The product guide's summary counts per kind, over a rolling 30-day window counted back from
 * today in the workspace time zone: All (with the enabled/disabled split), New, Active and
 * Inactive (= All - Active). Each count is its own index-only query.
 */
export async function countPartners(
  ctx: DirectoryContext,
  options: { kind?: PartnerKind; countries?: string[] } = {},
): Promise<SummaryCounts> {
  requirePermission(ctx.actor.principal, 'read', 'see summaries');
  const problems: FieldProblem[] = [];
  const countries = resolveCountryFilter(options.countries, problems);
  throwIfProblems(problems, 'The summary');
  const cutoff = activityCutoff(ctx.timeZone, ctx.clock);
  const kinds = options.kind ? [options.kind] : [...partnerKinds];
  const scope = (kind: PartnerKind, extra?: SQL) =>
    and(
      eq(partners.kind, kind),
      countries ? inArray(partners.country, countries) : undefined,
      visibleTo(ctx.actor.principal),
      extra,
    );
  const countWhere = async (where: SQL | undefined) =>
    (await ctx.db.select({ n: count() }).from(partners).where(where))[0]?.n ?? 0;
  try {
    const result: SummaryCounts = {
      asOf: todayIn(ctx.timeZone, ctx.clock),
      windowStart: cutoff,
      timeZone: ctx.timeZone,
    };
    for (const kind of kinds) {
      const [all, disabled, fresh, active] = await Promise.all([
        countWhere(scope(kind)),
        countWhere(scope(kind, eq(partners.status, 'disabled'))),
        countWhere(scope(kind, gte(partners.since, cutoff))),
        countWhere(scope(kind, gte(partners.lastOrderDate, cutoff))),
      ]);
      result[kind] = { all, new: fresh, active, inactive: all - active, enabled: all - disabled, disabled };
    }
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
      ctx.db
        .select({ kind: partners.kind, country: partners.country, n: count() })
        .from(partners)
        .where(and(where, isNotNull(partners.country)))
        .groupBy(partners.kind, partners.country),
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
