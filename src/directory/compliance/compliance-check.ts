import { and, asc, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { complianceItems, type PartnerRow, partners } from '../../db/schema/index.ts';
import { requirePermission } from '../access/principal.ts';
import { todayIn } from '../activity/clock.ts';
import { expiringWithin, hasExpired } from '../activity/window.ts';
import type { DirectoryContext } from '../context.ts';
import { toDirectoryError } from '../db-errors.ts';
import { type FieldProblem, throwIfProblems } from '../errors.ts';
import { findPartner, partnerRef } from '../partners/partner-ref.ts';
import { filterConditions, partnerFilters } from '../search/search-filters.ts';
import { cleanDate } from '../values/text.ts';
import { recordBreachNotice } from './breach-notices.ts';
import { dataQualityProblems } from './data-quality.ts';

export const MAX_COMPLIANCE_SCOPE = 200;

export const checkComplianceInput = z.strictObject({
  partner: partnerRef.optional().describe('Check one partner: { code } or { id }.'),
  etd: z.string().optional().describe('Order ETD (expected time of delivery), YYYY-MM-DD; default today.'),
  scope: partnerFilters
    .optional()
    .describe('Or check every partner matching these search filters (at most 200).'),
});

const itemStatus = z.enum(['ok', 'expiring', 'expired']);
export const complianceReport = z.object({
  code: z.string(),
  kind: z.string(),
  name: z.string(),
  orderSharing: z.enum(['allowed', 'blocked', 'allowed_with_breach']),
  reasons: z.array(z.string()),
  items: z.array(
    z.object({ name: z.string(), validFrom: z.string().nullable(), validTo: z.string(), status: itemStatus }),
  ),
  dataQuality: z.array(z.object({ field: z.string(), problem: z.string() })),
  breachNotified: z.boolean(),
});
export type ComplianceReport = z.infer<typeof complianceReport>;

export const checkComplianceResult = z.object({
  etd: z.string(),
  windowDays: z.number().int(),
  partners: z.array(complianceReport),
  truncated: z.boolean().describe('True when the scope matched more than 200 partners.'),
});

/**
 * Checks partners for order sharing against an ETD: each compliance item is ok, expiring (valid
 * to within COMPLIANCE_WINDOW_DAYS of the ETD) or expired (before the ETD). Failing items block
 * order sharing when the partner blocks non-compliant orders, else allow it with a breach; a
 * disabled or unapproved partner is blocked. A breach on a partner that asks for notifications
 * records one notification per partner, ETD and failing items.
 */
export async function checkCompliance(
  ctx: DirectoryContext,
  input: z.infer<typeof checkComplianceInput>,
): Promise<z.infer<typeof checkComplianceResult>> {
  requirePermission(ctx.actor.principal, 'read', 'check compliance');
  const problems: FieldProblem[] = [];
  const etd =
    cleanDate({ value: input.etd, field: 'etd', label: 'ETD', problems }) ?? todayIn(ctx.timeZone, ctx.clock);
  throwIfProblems(problems, 'The compliance check');
  try {
    let rows: PartnerRow[];
    let truncated = false;
    if (input.partner) {
      rows = [await findPartner(ctx.db, { ref: input.partner, principal: ctx.actor.principal })];
    } else {
      const found = await ctx.db
        .select()
        .from(partners)
        .where(and(...filterConditions(ctx, input.scope ?? {})))
        .orderBy(asc(partners.sortName), asc(partners.id))
        .limit(MAX_COMPLIANCE_SCOPE + 1);
      truncated = found.length > MAX_COMPLIANCE_SCOPE;
      rows = found.slice(0, MAX_COMPLIANCE_SCOPE);
    }
    const items = rows.length
      ? await ctx.db
          .select()
          .from(complianceItems)
          .where(
            inArray(
              complianceItems.partnerId,
              rows.map((r) => r.id),
            ),
          )
      : [];
    const reports: ComplianceReport[] = [];
    for (const row of rows) {
      const own = items
        .filter((item) => item.partnerId === row.id)
        .sort((a, b) => a.validTo.localeCompare(b.validTo))
        .map((item) => ({
          name: item.name,
          validFrom: item.validFrom,
          validTo: item.validTo,
          status: (hasExpired(item.validTo, etd)
            ? 'expired'
            : expiringWithin.matches(item.validTo, { from: etd, days: ctx.complianceWindowDays })
              ? 'expiring'
              : 'ok') as z.infer<typeof itemStatus>,
        }));
      const failing = own.filter((item) => item.status !== 'ok');
      const reasons: string[] = [];
      if (row.status === 'disabled') reasons.push(`${row.code} is disabled.`);
      if (!row.approved) reasons.push(`${row.code} is not approved.`);
      for (const item of failing) {
        reasons.push(
          item.status === 'expired'
            ? `${item.name} expired on ${item.validTo}, before the ETD ${etd}.`
            : `${item.name} is valid to ${item.validTo}, within ${ctx.complianceWindowDays} days of the ETD ${etd}.`,
        );
      }
      const blocked =
        row.status === 'disabled' || !row.approved || (failing.length > 0 && row.blockNonCompliantOrders);
      const orderSharing = blocked ? 'blocked' : failing.length ? 'allowed_with_breach' : 'allowed';
      if (failing.length && row.blockNonCompliantOrders)
        reasons.push('Blocking of non-compliant orders is on for this partner.');
      const breachNotified =
        failing.length > 0 && row.notifyOnComplianceBreach
          ? await recordBreachNotice(ctx, { row, etd, failing, orderSharing })
          : false;
      reports.push({
        code: row.code,
        kind: row.kind,
        name: row.companyName ?? `${row.firstName} ${row.lastName ?? ''}`.trim(),
        orderSharing,
        reasons,
        items: own,
        dataQuality: dataQualityProblems(row),
        breachNotified,
      });
    }
    return { etd, windowDays: ctx.complianceWindowDays, partners: reports, truncated };
  } catch (error) {
    throw toDirectoryError(error);
  }
}
