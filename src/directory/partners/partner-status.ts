import { count, eq } from 'drizzle-orm';
import { orders, partners } from '../../db/schema/index.ts';
import { requirePermission } from '../access/principal.ts';
import { snapshotPartner, writeAudit } from '../audit.ts';
import type { DirectoryContext } from '../context.ts';
import { DirectoryError } from '../errors.ts';
import { cleanText } from '../values/text.ts';
import { findPartner, type PartnerRef } from './partner-ref.ts';
import type { PartnerStatus } from './partner-schema.ts';
import type { PartnerView } from './partner-view.ts';
import { applyPartnerChange, inTransaction, viewOf } from './partner-write.ts';

/**
 * Disables (keeps the record and its history, with the time and reason) or enables a partner.
 * Setting the status it already has changes nothing and writes no audit event.
 */
export async function setPartnerStatus(
  ctx: DirectoryContext,
  options: { ref: PartnerRef; status: PartnerStatus; reason?: string },
): Promise<{ partner: PartnerView; changed: boolean }> {
  const { principal } = ctx.actor;
  requirePermission(principal, 'write', options.status === 'disabled' ? 'disable records' : 'enable records');
  const problems: Parameters<typeof cleanText>[0]['problems'] = [];
  const reason = cleanText({ value: options.reason, field: 'reason', label: 'Reason', max: 500, problems });
  if (problems.length) throw new DirectoryError('validation', problems[0]!.message, { problems });
  const result = await inTransaction(ctx, async (tx) => {
    const current = await findPartner(tx, { ref: options.ref, principal, forUpdate: true });
    if (current.status === options.status) return { row: current, changed: false };
    const disabling = options.status === 'disabled';
    const updated = await applyPartnerChange(tx, ctx, current, {
      status: options.status,
      disabledAt: disabling ? ctx.clock.now() : null,
      disabledReason: disabling ? (reason ?? null) : null,
    });
    await writeAudit(tx, {
      actor: ctx.actor,
      action: disabling ? 'disable' : 'enable',
      partner: updated,
      changes: {
        status: { before: current.status, after: updated.status },
        ...(disabling
          ? { disabledReason: { before: current.disabledReason, after: updated.disabledReason } }
          : {}),
      },
    });
    return { row: updated, changed: true };
  });
  return { partner: await viewOf(ctx, result.row), changed: result.changed };
}

/**
 * Deletes a partner for good (admins only). Refused while it has orders: disable it instead.
 * The audit log keeps the removed record's last state.
 */
export async function removePartner(
  ctx: DirectoryContext,
  options: { ref: PartnerRef },
): Promise<{ removed: string; kind: string }> {
  const { principal } = ctx.actor;
  requirePermission(principal, 'remove', 'remove records');
  return inTransaction(ctx, async (tx) => {
    const current = await findPartner(tx, { ref: options.ref, principal, forUpdate: true });
    const [orderCount] = await tx.select({ n: count() }).from(orders).where(eq(orders.partnerId, current.id));
    if ((orderCount?.n ?? 0) > 0) {
      throw new DirectoryError(
        'conflict',
        `${current.code} has ${orderCount!.n} recorded order(s) and cannot be removed; disable it instead to keep its history.`,
        {
          hint: `Disable ${current.code} (set its status to disabled) instead of removing it.`,
          details: { orders: orderCount!.n },
        },
      );
    }
    await tx.delete(partners).where(eq(partners.id, current.id));
    await writeAudit(tx, {
      actor: ctx.actor,
      action: 'remove',
      partner: current,
      snapshot: snapshotPartner(current),
    });
    return { removed: current.code, kind: current.kind };
  });
}
