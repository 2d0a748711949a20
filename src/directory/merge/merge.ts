import { and, asc, count, eq, inArray, max } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '../../db/client.ts';
import {
  complianceItems,
  orders,
  type PartnerRow,
  partnerAliases,
  partnerPictures,
  partners,
} from '../../db/schema/index.ts';
import { requirePermission } from '../access/principal.ts';
import { diffPartner, snapshotPartner, writeAudit } from '../audit.ts';
import type { DirectoryContext } from '../context.ts';
import { moveCounterpartLinks } from '../counterparts/counterparts.ts';
import { toDirectoryError } from '../db-errors.ts';
import { DirectoryError, type FieldProblem, throwIfProblems } from '../errors.ts';
import { kindFieldNames, partnerTextRules } from '../partners/partner-field-rules.ts';
import { findPartner } from '../partners/partner-ref.ts';
import { partnerKinds } from '../partners/partner-schema.ts';
import { applyPartnerChange } from '../partners/partner-write.ts';
import { checkGroups } from '../partners/partner-write-checks.ts';
import { zodProblems } from '../zod-problems.ts';

/** Fields whose value `keep` may take from a duplicate (kind-named since and total included). */
const keepable = {
  firstName: 'firstName',
  lastName: 'lastName',
  email: 'email',
  phone: 'phone',
  companyName: 'companyName',
  nickname: 'nickname',
  street: 'street',
  address2: 'address2',
  city: 'city',
  state: 'state',
  postalCode: 'postalCode',
  country: 'country',
  website: 'website',
  employees: 'employees',
  currency: 'currency',
  customerSince: 'since',
  supplierSince: 'since',
  totalSales: 'total',
  totalPurchases: 'total',
} as const satisfies Record<string, keyof PartnerRow>;

export const mergePartnersInput = z.strictObject({
  survivor: z.string().max(40).describe('Code of the record that stays, e.g. SUP-000045.'),
  duplicates: z
    .array(z.string().max(40))
    .min(1)
    .max(20)
    .describe('Codes of the records merged into it and removed.'),
  kind: z
    .enum(partnerKinds)
    .optional()
    .describe('customer or supplier; needed only when a code is used by both.'),
  keep: z
    .partialRecord(z.enum(Object.keys(keepable) as [keyof typeof keepable]), z.string().max(40))
    .optional()
    .describe(
      'Per field, the code of the record whose value wins, e.g. {"phone":"SUP-000102"}; default: the survivor’s.',
    ),
  dryRun: z
    .boolean()
    .default(true)
    .describe('true (default): return what the merge would do, change nothing.'),
  expectedVersions: z
    .record(z.string().max(40), z.number().int().min(1))
    .optional()
    .describe('Versions by code, from the dry run: the merge is refused if any record changed since.'),
});
export type MergePartnersInput = z.input<typeof mergePartnersInput>;

export const mergeResult = z.object({
  dryRun: z.boolean(),
  survivor: z.string(),
  merged: z.array(z.string()),
  versions: z
    .record(z.string(), z.number())
    .describe('Each record’s version as read: pass as expectedVersions.'),
  fields: z.record(z.string(), z.object({ before: z.unknown(), after: z.unknown() })),
  ordersMoved: z.number(),
  ordersRenamed: z.array(z.object({ from: z.string(), to: z.string() })),
  complianceItemsMoved: z.number(),
  complianceItemsDropped: z.array(z.object({ code: z.string(), name: z.string(), validTo: z.string() })),
  pictureMoved: z.boolean(),
});
export type MergeResult = z.infer<typeof mergeResult>;

class DryRunDone extends Error {
  constructor(readonly result: MergeResult) {
    super('dry run');
  }
}

/** Notes of the survivor and each duplicate, one paragraph each (duplicates labelled by code). */
function combinedNotes(survivor: PartnerRow, duplicates: PartnerRow[]): string | null {
  const parts = [
    survivor.notes,
    ...duplicates.map((d) => (d.notes ? `From ${d.code}: ${d.notes}` : null)),
  ].filter((text): text is string => !!text);
  return parts.length ? parts.join('\n\n') : null;
}

/**
 * Merges duplicates of one kind into a survivor, in one transaction: orders and compliance items
 * move (an order whose reference the survivor already has gets " (from CODE)"; of two items with
 * one name the later validTo stays), the picture moves if the survivor has none, access groups
 * and notes are combined, ordersCount and lastOrderDate are recomputed from the orders, other
 * fields are the survivor's unless `keep` names another record. The duplicates are removed and
 * their codes become aliases of the survivor. One audit event per record names the merge.
 * Every record must be visible to the caller, and the combined groups ones it may assign.
 * A dry run (the default) does all of it and rolls back, returning exactly what would happen.
 */
export async function mergePartners(ctx: DirectoryContext, input: MergePartnersInput): Promise<MergeResult> {
  const { principal } = ctx.actor;
  requirePermission(principal, 'write', 'merge records');
  const parsed = mergePartnersInput.safeParse(input);
  if (!parsed.success)
    throw new DirectoryError('validation', 'The merge request has problems.', {
      problems: zodProblems(parsed.error, input, mergePartnersInput),
    });
  const request = parsed.data;
  try {
    return await ctx.db.transaction(async (tx) => {
      const result = await merge(tx, ctx, request);
      if (request.dryRun) throw new DryRunDone(result);
      return result;
    });
  } catch (error) {
    if (error instanceof DryRunDone) return error.result;
    throw toDirectoryError(error);
  }
}

async function merge(
  tx: Tx,
  ctx: DirectoryContext,
  request: z.infer<typeof mergePartnersInput>,
): Promise<MergeResult> {
  const { principal } = ctx.actor;
  const ref = (code: string) => ({ code, ...(request.kind ? { kind: request.kind } : {}) });
  const survivor = await findPartner(tx, { ref: ref(request.survivor), principal, forUpdate: true });
  const duplicates: PartnerRow[] = [];
  for (const code of request.duplicates) {
    const row = await findPartner(tx, { ref: ref(code), principal, forUpdate: true });
    if (row.id === survivor.id || duplicates.some((d) => d.id === row.id))
      throw new DirectoryError(
        'validation',
        `${row.code} is named twice; a record cannot be merged into itself.`,
      );
    if (row.kind !== survivor.kind)
      throw new DirectoryError(
        'validation',
        `${row.code} is a ${row.kind} and ${survivor.code} a ${survivor.kind}: only records of one kind merge. Link them as counterparts instead.`,
      );
    duplicates.push(row);
  }
  const all = [survivor, ...duplicates];
  for (const [code, version] of Object.entries(request.expectedVersions ?? {})) {
    const row = all.find((r) => r.code === code.trim().toUpperCase());
    if (row && row.version !== version)
      throw new DirectoryError(
        'stale_version',
        `${row.code} was changed since (now version ${row.version}, you had ${version}); nothing was merged.`,
        {
          hint: 'Run the dry run again and check what changed.',
          details: { code: row.code, currentVersion: row.version },
        },
      );
  }

  const problems: FieldProblem[] = [];
  const values: Partial<Record<keyof PartnerRow, unknown>> = {};
  for (const [field, code] of Object.entries(request.keep ?? {})) {
    const source = all.find((r) => r.code === code.trim().toUpperCase());
    if (!source) {
      problems.push({
        field: `keep.${field}`,
        code: 'not_in_merge',
        message: `${code} is not one of the merged records.`,
        allowed: all.map((r) => r.code),
      });
      continue;
    }
    const column = keepable[field as keyof typeof keepable];
    if (
      (field === 'customerSince' || field === 'totalSales') !== (survivor.kind === 'customer') &&
      (column === 'since' || column === 'total')
    ) {
      const right =
        column === 'since' ? kindFieldNames[survivor.kind].since : kindFieldNames[survivor.kind].total;
      problems.push({
        field: `keep.${field}`,
        code: 'wrong_kind',
        message: `${field} is not a ${survivor.kind} field; use ${right}.`,
      });
      continue;
    }
    if (source.id !== survivor.id) values[column] = source[column];
  }
  const groups = [...new Set(all.flatMap((r) => r.accessGroups))].sort();
  if (groups.join() !== [...survivor.accessGroups].sort().join()) {
    checkGroups(
      principal,
      groups.filter((g) => !survivor.accessGroups.includes(g)),
      problems,
    );
    values.accessGroups = groups;
  }
  const notes = combinedNotes(survivor, duplicates);
  if (notes !== survivor.notes) {
    if (notes && notes.length > partnerTextRules.notes.max)
      problems.push({
        field: 'notes',
        code: 'too_long',
        message: `The combined notes would be ${notes.length} characters; the limit is ${partnerTextRules.notes.max}. Shorten a record's notes first.`,
      });
    values.notes = notes;
  }
  throwIfProblems(problems, 'The merge');

  const duplicateIds = duplicates.map((d) => d.id);
  // Orders: a reference the survivor already has is kept apart by the code it came from.
  const taken = new Set(
    (
      await tx.select({ reference: orders.reference }).from(orders).where(eq(orders.partnerId, survivor.id))
    ).map((o) => o.reference),
  );
  const moving = await tx
    .select({ id: orders.id, reference: orders.reference, partnerId: orders.partnerId })
    .from(orders)
    .where(inArray(orders.partnerId, duplicateIds))
    .orderBy(asc(orders.orderDate));
  const renamed: MergeResult['ordersRenamed'] = [];
  for (const order of moving) {
    let reference = order.reference;
    if (taken.has(reference)) {
      const from = duplicates.find((d) => d.id === order.partnerId)!.code;
      reference = `${order.reference} (from ${from})`.slice(0, 64);
      renamed.push({ from: order.reference, to: reference });
    }
    taken.add(reference);
    await tx.update(orders).set({ partnerId: survivor.id, reference }).where(eq(orders.id, order.id));
  }
  // Compliance items: of two with one name (any case), the later validTo stays.
  const items = await tx
    .select()
    .from(complianceItems)
    .where(inArray(complianceItems.partnerId, [survivor.id, ...duplicateIds]));
  const byName = new Map<string, (typeof items)[number]>();
  const dropped: MergeResult['complianceItemsDropped'] = [];
  for (const item of items) {
    const key = item.name.toLowerCase();
    const other = byName.get(key);
    if (!other) {
      byName.set(key, item);
      continue;
    }
    const [keep, drop] = item.validTo > other.validTo ? [item, other] : [other, item];
    byName.set(key, keep);
    dropped.push({
      code: all.find((r) => r.id === drop.partnerId)!.code,
      name: drop.name,
      validTo: drop.validTo,
    });
    await tx.delete(complianceItems).where(eq(complianceItems.id, drop.id));
  }
  let itemsMoved = 0;
  for (const item of byName.values()) {
    if (item.partnerId === survivor.id) continue;
    await tx.update(complianceItems).set({ partnerId: survivor.id }).where(eq(complianceItems.id, item.id));
    itemsMoved++;
  }
  // The picture, when the survivor has none: the first duplicate's that has one.
  const pictures = await tx
    .select({ partnerId: partnerPictures.partnerId })
    .from(partnerPictures)
    .where(inArray(partnerPictures.partnerId, [survivor.id, ...duplicateIds]));
  let pictureMoved = false;
  if (!pictures.some((p) => p.partnerId === survivor.id)) {
    const first = duplicates.find((d) => pictures.some((p) => p.partnerId === d.id));
    if (first) {
      await tx
        .update(partnerPictures)
        .set({ partnerId: survivor.id })
        .where(eq(partnerPictures.partnerId, first.id));
      pictureMoved = true;
    }
  }
  const [stats] = await tx
    .select({ n: count(), last: max(orders.orderDate) })
    .from(orders)
    .where(eq(orders.partnerId, survivor.id));
  values.ordersCount = Number(stats?.n ?? 0);
  values.lastOrderDate = stats?.last ?? null;

  await moveCounterpartLinks(tx, { survivorId: survivor.id, kind: survivor.kind, duplicateIds });
  // The duplicates go first: a kept email or code must be free before the survivor takes it.
  const mergeId = `${survivor.code}<-${duplicates.map((d) => d.code).join(',')}@${ctx.clock.now().toISOString()}`;
  for (const duplicate of duplicates) {
    await writeAudit(tx, {
      actor: ctx.actor,
      action: 'merge',
      partner: duplicate,
      snapshot: snapshotPartner(duplicate),
      details: { merge: mergeId, mergedInto: survivor.code, survivorId: survivor.id },
    });
    await tx.delete(partnerPictures).where(eq(partnerPictures.partnerId, duplicate.id));
    await tx.delete(partners).where(eq(partners.id, duplicate.id));
    await tx
      .insert(partnerAliases)
      .values({
        kind: duplicate.kind,
        code: duplicate.code,
        partnerId: survivor.id,
        mergedAt: ctx.clock.now(),
        mergedBy: ctx.actor.principal.name,
      })
      .onConflictDoUpdate({
        target: [partnerAliases.kind, partnerAliases.code],
        set: { partnerId: survivor.id },
      });
  }
  // Aliases that pointed at a duplicate now point at the survivor.
  await tx
    .update(partnerAliases)
    .set({ partnerId: survivor.id })
    .where(inArray(partnerAliases.partnerId, duplicateIds));
  const after = await applyPartnerChange(tx, ctx, survivor, values);
  const fields = diffPartner(survivor, after);
  await writeAudit(tx, {
    actor: ctx.actor,
    action: 'merge',
    partner: after,
    changes: fields,
    details: {
      merge: mergeId,
      merged: duplicates.map((d) => d.code),
      ordersMoved: moving.length,
      complianceItemsMoved: itemsMoved,
    },
  });
  return {
    dryRun: request.dryRun,
    survivor: survivor.code,
    merged: duplicates.map((d) => d.code),
    versions: Object.fromEntries(all.map((r) => [r.code, r.version])),
    fields,
    ordersMoved: moving.length,
    ordersRenamed: renamed,
    complianceItemsMoved: itemsMoved,
    complianceItemsDropped: dropped,
    pictureMoved,
  };
}

/** The survivor's id when `code` is a merged-away code of the kind (undefined otherwise). */
export async function aliasOf(
  tx: Tx | DirectoryContext['db'],
  options: { kind?: 'customer' | 'supplier'; code: string },
) {
  const condition = options.kind
    ? and(eq(partnerAliases.code, options.code), eq(partnerAliases.kind, options.kind))
    : eq(partnerAliases.code, options.code);
  const rows = await tx.select().from(partnerAliases).where(condition).limit(2);
  return rows.length === 1 ? rows[0] : undefined;
}
