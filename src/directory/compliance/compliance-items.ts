import { and, asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../../db/client.ts';
import { complianceItems } from '../../db/schema/index.ts';
import { requirePermission } from '../access/principal.ts';
import { writeAudit } from '../audit.ts';
import type { DirectoryContext } from '../context.ts';
import { DirectoryError, type FieldProblem, throwIfProblems } from '../errors.ts';
import { findPartner, partnerRef } from '../partners/partner-ref.ts';
import { applyPartnerChange, inTransaction } from '../partners/partner-write.ts';
import { cleanDate, cleanText } from '../values/text.ts';

export const setComplianceItemInput = z.strictObject({
  partner: partnerRef.describe('The partner: { code } or { id }.'),
  name: z
    .string()
    .max(200)
    .describe('Item name, e.g. "BSCI audit" or "ISO 9001"; one per name per partner (case-insensitive).'),
  validFrom: z.string().optional().describe('Valid from, YYYY-MM-DD.'),
  validTo: z.string().describe('Valid to (expiry), YYYY-MM-DD.'),
});
export const removeComplianceItemInput = z.strictObject({
  partner: partnerRef.describe('The partner: { code } or { id }.'),
  name: z.string().max(200).describe('The item name to remove.'),
});

export const complianceItemView = z.object({
  name: z.string(),
  validFrom: z.string().nullable(),
  validTo: z.string(),
});
export type ComplianceItemView = z.infer<typeof complianceItemView>;

/** Adds or updates (by name, case-insensitive) a compliance item of a partner. */
export async function setComplianceItem(
  ctx: DirectoryContext,
  input: z.infer<typeof setComplianceItemInput>,
): Promise<{ item: ComplianceItemView; created: boolean }> {
  const { principal } = ctx.actor;
  requirePermission(principal, 'write', 'change compliance items');
  const problems: FieldProblem[] = [];
  const name = cleanText({ value: input.name, field: 'name', label: 'Name', max: 120, problems });
  if (!name && !problems.length)
    problems.push({ field: 'name', code: 'required', message: 'Name is required, e.g. "ISO 9001".' });
  const validFrom = cleanDate({ value: input.validFrom, field: 'validFrom', label: 'Valid from', problems });
  const validTo = cleanDate({ value: input.validTo, field: 'validTo', label: 'Valid to', problems });
  if (!validTo && !problems.some((p) => p.field === 'validTo')) {
    problems.push({
      field: 'validTo',
      code: 'required',
      message: 'Valid to (the expiry date) is required, YYYY-MM-DD.',
    });
  }
  if (validFrom && validTo && validFrom > validTo) {
    problems.push({
      field: 'validTo',
      code: 'before_valid_from',
      message: `Valid to (${validTo}) is before valid from (${validFrom}).`,
    });
  }
  throwIfProblems(problems, 'The compliance item');
  return inTransaction(ctx, async (tx) => {
    const partner = await findPartner(tx, { ref: input.partner, principal, forUpdate: true });
    const [existing] = await tx
      .select()
      .from(complianceItems)
      .where(
        and(eq(complianceItems.partnerId, partner.id), sql`lower(${complianceItems.name}) = lower(${name!})`),
      );
    if (
      existing &&
      existing.validTo === validTo &&
      (existing.validFrom ?? null) === (validFrom ?? null) &&
      existing.name === name
    ) {
      return {
        item: { name: existing.name, validFrom: existing.validFrom, validTo: existing.validTo },
        created: false,
      };
    }
    const [saved] = existing
      ? await tx
          .update(complianceItems)
          .set({ name: name!, validFrom: validFrom ?? null, validTo: validTo!, updatedAt: ctx.clock.now() })
          .where(eq(complianceItems.id, existing.id))
          .returning()
      : await tx
          .insert(complianceItems)
          .values({ partnerId: partner.id, name: name!, validFrom: validFrom ?? null, validTo: validTo! })
          .returning();
    const bumped = await applyPartnerChange(tx, ctx, partner);
    await writeAudit(tx, {
      actor: ctx.actor,
      action: 'compliance_set',
      partner: bumped,
      changes: {
        [`compliance:${saved!.name}`]: {
          before: existing ? { validFrom: existing.validFrom, validTo: existing.validTo } : null,
          after: { validFrom: saved!.validFrom, validTo: saved!.validTo },
        },
      },
    });
    return {
      item: { name: saved!.name, validFrom: saved!.validFrom, validTo: saved!.validTo },
      created: !existing,
    };
  });
}

/** Removes a compliance item by name (case-insensitive). */
export async function removeComplianceItem(
  ctx: DirectoryContext,
  input: z.infer<typeof removeComplianceItemInput>,
): Promise<{ removed: string }> {
  const { principal } = ctx.actor;
  requirePermission(principal, 'write', 'change compliance items');
  const name = input.name.trim();
  return inTransaction(ctx, async (tx) => {
    const partner = await findPartner(tx, { ref: input.partner, principal, forUpdate: true });
    const [removed] = await tx
      .delete(complianceItems)
      .where(
        and(eq(complianceItems.partnerId, partner.id), sql`lower(${complianceItems.name}) = lower(${name})`),
      )
      .returning();
    if (!removed) {
      const names = (await listComplianceItems(tx, partner.id)).map((item) => item.name);
      throw new DirectoryError('not_found', `${partner.code} has no compliance item "${name}".`, {
        problems: [
          {
            field: 'name',
            code: 'not_found',
            message: `No item "${name}" on ${partner.code}.`,
            allowed: names,
          },
        ],
      });
    }
    const bumped = await applyPartnerChange(tx, ctx, partner);
    await writeAudit(tx, {
      actor: ctx.actor,
      action: 'compliance_remove',
      partner: bumped,
      changes: {
        [`compliance:${removed.name}`]: {
          before: { validFrom: removed.validFrom, validTo: removed.validTo },
          after: null,
        },
      },
    });
    return { removed: removed.name };
  });
}

/** A partner's compliance items, soonest expiry first. */
export async function listComplianceItems(db: DbOrTx, partnerId: string): Promise<ComplianceItemView[]> {
  return db
    .select({
      name: complianceItems.name,
      validFrom: complianceItems.validFrom,
      validTo: complianceItems.validTo,
    })
    .from(complianceItems)
    .where(eq(complianceItems.partnerId, partnerId))
    .orderBy(asc(complianceItems.validTo), asc(complianceItems.name));
}
