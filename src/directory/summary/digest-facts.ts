import { and, asc, count, desc, eq, gte } from 'drizzle-orm';
import { complianceItems, partners } from '../../db/schema/index.ts';
import { requirePermission } from '../access/principal.ts';
import { visibleTo } from '../access/visibility.ts';
import { activityWindow, activityWindowAt, becameInactiveSql, expiringWithin } from '../activity/window.ts';
import type { DirectoryContext } from '../context.ts';
import { toDirectoryError } from '../db-errors.ts';
import { type PartnerKind, partnerKinds } from '../partners/partner-schema.ts';
import { countPartners, type KindCounts } from './summary.ts';

/** The facts a summary or digest may state; every number in its text must come from here. */
export interface DigestFacts {
  asOf: string;
  timeZone: string;
  /** The activity window the counts are defined over (30 days). */
  windowDays: number;
  /** Start of the "what changed" period (the previous digest, or 24 hours back). */
  since: string;
  counts: Record<PartnerKind, KindCounts>;
  newRecords: Record<PartnerKind, number>;
  becameInactive: Record<PartnerKind, number>;
  disabled: { count: number; codes: string[] };
  /** Compliance items of enabled records whose validity ends within `withinDays` from today. */
  expiringCompliance: {
    count: number;
    withinDays: number;
    items: { code: string; name: string; validTo: string }[];
  };
  largest: Record<PartnerKind, { code: string; name: string; total: number; currency: string }[]>;
}

/**
 * Computes the digest facts as the caller may see them: the summary counts, what changed
 * since `since` (new records, records whose last order left the activity window, disabled ones),
 * compliance items expiring within the compliance window (COMPLIANCE_WINDOW_DAYS) from today,
 * and the three largest accounts per kind.
 */
export async function computeDigestFacts(
  ctx: DirectoryContext,
  options: { since: Date },
): Promise<DigestFacts> {
  requirePermission(ctx.actor.principal, 'read', 'see summaries');
  const now = activityWindow(ctx);
  const then = activityWindowAt(options.since, ctx.timeZone);
  const today = now.today;
  const visible = visibleTo(ctx.actor.principal);
  const expiringWhere = and(
    expiringWithin.sql(complianceItems.validTo, { from: today, days: ctx.complianceWindowDays }),
    eq(partners.status, 'enabled'),
    visible,
  );
  try {
    const summary = await countPartners(ctx);
    const byKind = async (where: ReturnType<typeof and>) => {
      const rows = await ctx.db
        .select({ kind: partners.kind, n: count() })
        .from(partners)
        .where(and(where, visible))
        .groupBy(partners.kind);
      return Object.fromEntries(
        partnerKinds.map((kind) => [kind, rows.find((r) => r.kind === kind)?.n ?? 0]),
      ) as Record<PartnerKind, number>;
    };
    const [newRecords, becameInactive, disabledRows, expiring, expiringCount] = await Promise.all([
      byKind(gte(partners.createdAt, options.since)),
      byKind(becameInactiveSql({ then, now })),
      ctx.db
        .select({ code: partners.code })
        .from(partners)
        .where(and(eq(partners.status, 'disabled'), gte(partners.disabledAt, options.since), visible))
        .orderBy(asc(partners.code))
        .limit(20),
      ctx.db
        .select({ code: partners.code, name: complianceItems.name, validTo: complianceItems.validTo })
        .from(complianceItems)
        .innerJoin(partners, eq(partners.id, complianceItems.partnerId))
        .where(expiringWhere)
        .orderBy(asc(complianceItems.validTo), asc(partners.code))
        .limit(5),
      ctx.db
        .select({ n: count() })
        .from(complianceItems)
        .innerJoin(partners, eq(partners.id, complianceItems.partnerId))
        .where(expiringWhere),
    ]);
    const [disabledCount] = await ctx.db
      .select({ n: count() })
      .from(partners)
      .where(and(eq(partners.status, 'disabled'), gte(partners.disabledAt, options.since), visible));
    const largest = {} as DigestFacts['largest'];
    for (const kind of partnerKinds) {
      const rows = await ctx.db
        .select({
          code: partners.code,
          company: partners.companyName,
          first: partners.firstName,
          total: partners.total,
          currency: partners.currency,
        })
        .from(partners)
        .where(and(eq(partners.kind, kind), eq(partners.status, 'enabled'), visible))
        .orderBy(desc(partners.total), desc(partners.id))
        .limit(3);
      largest[kind] = rows.map((r) => ({
        code: r.code,
        name: r.company ?? r.first,
        total: Number(r.total),
        currency: r.currency,
      }));
    }
    return {
      asOf: today,
      timeZone: ctx.timeZone,
      windowDays: now.days,
      since: options.since.toISOString(),
      counts: { customer: summary.customer!, supplier: summary.supplier! },
      newRecords,
      becameInactive,
      disabled: { count: disabledCount?.n ?? 0, codes: disabledRows.map((r) => r.code) },
      expiringCompliance: {
        count: expiringCount[0]?.n ?? 0,
        withinDays: ctx.complianceWindowDays,
        items: expiring,
      },
      largest,
    };
  } catch (error) {
    throw toDirectoryError(error);
  }
}
