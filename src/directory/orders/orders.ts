import { and, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { orders, partners } from '../../db/schema/index.ts';
import { requirePermission } from '../access/principal.ts';
import { todayIn } from '../activity/clock.ts';
import { writeAudit } from '../audit.ts';
import type { DirectoryContext } from '../context.ts';
import { toDirectoryError } from '../db-errors.ts';
import { DirectoryError, type FieldProblem, throwIfProblems } from '../errors.ts';
import { findPartner, type PartnerRef, partnerRef } from '../partners/partner-ref.ts';
import type { PartnerView } from '../partners/partner-view.ts';
import { applyPartnerChange, inTransaction, viewOf } from '../partners/partner-write.ts';
import { cleanDate, cleanMoney, cleanText } from '../values/text.ts';

export const recordOrderInput = z.strictObject({
  partner: partnerRef.describe('The customer or supplier the order is with: { code } or { id }.'),
  reference: z
    .string()
    .max(100)
    .describe(
      'Your order number, unique per partner, e.g. "PO-2024-0193"; recording it again changes nothing.',
    ),
  orderDate: z.string().describe('Order date, YYYY-MM-DD (not in the future).'),
  amount: z.union([z.number(), z.string()]).describe('Order amount >= 0, at most 2 decimals.'),
  etd: z.string().optional().describe('Expected time of delivery, YYYY-MM-DD.'),
});
export type RecordOrderInput = z.infer<typeof recordOrderInput>;

export const orderView = z.object({
  reference: z.string(),
  orderDate: z.string(),
  amount: z.number(),
  etd: z.string().nullable(),
  createdAt: z.string(),
});

/**
 * Records an order and, in the same transaction, raises the partner's ordersCount and
 * lastOrderDate. Idempotent by reference: the same order again changes nothing; the same
 * reference with other values is refused.
 */
export async function recordOrder(
  ctx: DirectoryContext,
  input: RecordOrderInput,
): Promise<{ partner: PartnerView; duplicate: boolean }> {
  const { principal } = ctx.actor;
  requirePermission(principal, 'write', 'record orders');
  const problems: FieldProblem[] = [];
  const reference = cleanText({
    value: input.reference,
    field: 'reference',
    label: 'Reference',
    max: 64,
    problems,
  });
  if (!reference && !problems.length)
    problems.push({
      field: 'reference',
      code: 'required',
      message: 'Reference (your order number) is required.',
    });
  const orderDate = cleanDate({ value: input.orderDate, field: 'orderDate', label: 'Order date', problems });
  if (!orderDate && !problems.some((p) => p.field === 'orderDate')) {
    problems.push({ field: 'orderDate', code: 'required', message: 'Order date is required (YYYY-MM-DD).' });
  }
  const today = todayIn(ctx.timeZone, ctx.clock);
  if (orderDate && orderDate > today) {
    problems.push({
      field: 'orderDate',
      code: 'in_future',
      message: `Order date ${orderDate} is in the future; today is ${today}.`,
    });
  }
  const amount = cleanMoney({ value: input.amount, field: 'amount', label: 'Amount', problems });
  if (amount === undefined && !problems.some((p) => p.field === 'amount')) {
    problems.push({ field: 'amount', code: 'required', message: 'Amount is required (0 or more).' });
  }
  const etd = cleanDate({ value: input.etd, field: 'etd', label: 'ETD', problems });
  throwIfProblems(problems, 'The order');

  const result = await inTransaction(ctx, async (tx) => {
    const current = await findPartner(tx, { ref: input.partner, principal, forUpdate: true });
    if (current.status === 'disabled') {
      throw new DirectoryError(
        'conflict',
        `${current.code} is disabled; enable it before recording orders.`,
        {
          hint: `Enable ${current.code} first, or record the order for another partner.`,
        },
      );
    }
    const [inserted] = await tx
      .insert(orders)
      .values({
        partnerId: current.id,
        reference: reference!,
        orderDate: orderDate!,
        amount: amount!,
        etd: etd ?? null,
        createdBy: principal.name,
      })
      .onConflictDoNothing({ target: [orders.partnerId, orders.reference] })
      .returning();
    if (!inserted) {
      const [existing] = await tx
        .select()
        .from(orders)
        .where(and(eq(orders.partnerId, current.id), eq(orders.reference, reference!)));
      const same =
        existing &&
        existing.orderDate === orderDate &&
        Number(existing.amount) === Number(amount) &&
        (existing.etd ?? null) === (etd ?? null);
      if (!same) {
        throw new DirectoryError(
          'conflict',
          `Order ${reference} is already recorded for ${current.code} with other values.`,
          {
            problems: [
              {
                field: 'reference',
                code: 'duplicate',
                message: `Order ${reference} already exists for ${current.code} (${existing?.orderDate}, ${existing?.amount}); use a new reference.`,
              },
            ],
          },
        );
      }
      return { row: current, duplicate: true };
    }
    const updated = await applyPartnerChange(tx, ctx, current, {
      ordersCount: sql`${partners.ordersCount} + 1`,
      lastOrderDate: sql`greatest(${partners.lastOrderDate}, ${orderDate}::date)`,
    });
    await writeAudit(tx, {
      actor: ctx.actor,
      action: 'order_record',
      partner: updated,
      changes: {
        ordersCount: { before: current.ordersCount, after: updated.ordersCount },
        ...(current.lastOrderDate !== updated.lastOrderDate
          ? { lastOrderDate: { before: current.lastOrderDate, after: updated.lastOrderDate } }
          : {}),
      },
      details: { reference, orderDate, amount, etd: etd ?? null },
    });
    return { row: updated, duplicate: false };
  });
  return {
    partner: await viewOf(ctx, result.row),
    duplicate: result.duplicate,
  };
}

/**
 * The latest orders of one partner the caller may see, newest first. Needs the read permission;
 * a partner outside the caller's access groups is not found.
 */
export async function listOrders(
  ctx: DirectoryContext,
  options: { ref: PartnerRef; limit: number },
): Promise<{ code: string; orders: z.infer<typeof orderView>[] }> {
  const { principal } = ctx.actor;
  requirePermission(principal, 'read', 'read orders');
  try {
    const partner = await findPartner(ctx.db, { ref: options.ref, principal });
    const rows = await ctx.db
      .select()
      .from(orders)
      .where(eq(orders.partnerId, partner.id))
      .orderBy(desc(orders.orderDate), desc(orders.createdAt))
      .limit(options.limit);
    return {
      code: partner.code,
      orders: rows.map((row) => ({
        reference: row.reference,
        orderDate: row.orderDate,
        amount: Number(row.amount),
        etd: row.etd,
        createdAt: row.createdAt.toISOString(),
      })),
    };
  } catch (error) {
    throw toDirectoryError(error);
  }
}
