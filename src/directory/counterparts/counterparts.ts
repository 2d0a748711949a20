import { eq, inArray, or } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx, Tx } from '../../db/client.ts';
import { partnerCounterparts, partners } from '../../db/schema/index.ts';
import { requirePermission } from '../access/principal.ts';
import { canSeeGroups } from '../access/visibility.ts';
import { writeAudit } from '../audit.ts';
import type { DirectoryContext } from '../context.ts';
import { toDirectoryError } from '../db-errors.ts';
import { findPartner } from '../partners/partner-ref.ts';

export const linkCounterpartInput = z.strictObject({
  customer: z.string().max(40).describe('Code of the customer record, e.g. CUS-000012.'),
  supplier: z.string().max(40).describe('Code of the supplier record of the same company, e.g. SUP-000045.'),
});

export const counterpartLink = z.object({
  customer: z.string(),
  supplier: z.string(),
  replaced: z.array(z.string()),
});

/**
 * Links a customer and a supplier record as one company's two sides (the guide's "both a customer
 * and a supplier"). Each record has one counterpart: an earlier link of either is replaced (and
 * named). Both records must be visible to the caller; both get an audit event.
 */
export async function linkCounterpart(
  ctx: DirectoryContext,
  input: z.infer<typeof linkCounterpartInput>,
): Promise<z.infer<typeof counterpartLink>> {
  const { principal } = ctx.actor;
  requirePermission(principal, 'write', 'link counterparts');
  try {
    return await ctx.db.transaction(async (tx) => {
      const customer = await findPartner(tx, {
        ref: { code: input.customer, kind: 'customer' },
        principal,
        forUpdate: true,
      });
      const supplier = await findPartner(tx, {
        ref: { code: input.supplier, kind: 'supplier' },
        principal,
        forUpdate: true,
      });
      const earlier = await tx
        .delete(partnerCounterparts)
        .where(
          or(
            eq(partnerCounterparts.customerId, customer.id),
            eq(partnerCounterparts.supplierId, supplier.id),
          ),
        )
        .returning();
      const replacedIds = earlier
        .flatMap((link) => [link.customerId, link.supplierId])
        .filter((id) => id !== customer.id && id !== supplier.id);
      const replaced = replacedIds.length
        ? (
            await tx.select({ code: partners.code }).from(partners).where(inArray(partners.id, replacedIds))
          ).map((r) => r.code)
        : [];
      await tx.insert(partnerCounterparts).values({
        customerId: customer.id,
        supplierId: supplier.id,
        linkedAt: ctx.clock.now(),
        linkedBy: principal.name,
      });
      for (const [record, other] of [
        [customer, supplier],
        [supplier, customer],
      ] as const)
        await writeAudit(tx, {
          actor: ctx.actor,
          action: 'counterpart_link',
          partner: record,
          details: { counterpart: other.code, replaced },
        });
      return { customer: customer.code, supplier: supplier.code, replaced };
    });
  } catch (error) {
    throw toDirectoryError(error);
  }
}

export const counterpartView = z
  .object({
    code: z.string(),
    kind: z.enum(['customer', 'supplier']),
    ordersCount: z.number(),
    lastOrderDate: z.string().nullable(),
  })
  .describe('The same company on the other side (also a supplier / also a customer) and its order activity.');
export type Counterpart = z.infer<typeof counterpartView>;

/** The other side of a record, when linked and visible to the caller: "also a supplier: SUP-000045". */
export async function counterpartOf(
  ctx: DirectoryContext,
  partner: { id: string; kind: 'customer' | 'supplier' },
): Promise<Counterpart | undefined> {
  const mine = partner.kind === 'customer' ? partnerCounterparts.customerId : partnerCounterparts.supplierId;
  const theirs =
    partner.kind === 'customer' ? partnerCounterparts.supplierId : partnerCounterparts.customerId;
  const [row] = await ctx.db
    .select({
      code: partners.code,
      kind: partners.kind,
      ordersCount: partners.ordersCount,
      lastOrderDate: partners.lastOrderDate,
      accessGroups: partners.accessGroups,
    })
    .from(partnerCounterparts)
    .innerJoin(partners, eq(partners.id, theirs))
    .where(eq(mine, partner.id));
  if (!row || !canSeeGroups(ctx.actor.principal, row.accessGroups)) return undefined;
  return { code: row.code, kind: row.kind, ordersCount: row.ordersCount, lastOrderDate: row.lastOrderDate };
}

/** A merge moves the duplicates' counterpart link to the survivor, unless the survivor has one. */
export async function moveCounterpartLinks(
  tx: Tx | DbOrTx,
  options: { survivorId: string; kind: 'customer' | 'supplier'; duplicateIds: string[] },
) {
  const column =
    options.kind === 'customer' ? partnerCounterparts.customerId : partnerCounterparts.supplierId;
  const [own] = await tx.select().from(partnerCounterparts).where(eq(column, options.survivorId));
  if (own || !options.duplicateIds.length) return;
  const [first] = await tx
    .select()
    .from(partnerCounterparts)
    .where(inArray(column, options.duplicateIds))
    .limit(1);
  if (!first) return;
  const id = options.kind === 'customer' ? first.customerId : first.supplierId;
  await tx
    .update(partnerCounterparts)
    .set(
      options.kind === 'customer' ? { customerId: options.survivorId } : { supplierId: options.survivorId },
    )
    .where(eq(column, id));
}
