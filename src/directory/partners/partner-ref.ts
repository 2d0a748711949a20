import { and, eq, inArray, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../../db/client.ts';
import { type PartnerRow, partnerAliases, partners } from '../../db/schema/index.ts';
import type { Principal } from '../access/principal.ts';
import { canSeeGroups } from '../access/visibility.ts';
import { DirectoryError, notFound } from '../errors.ts';
import { partnerKinds } from './partner-schema.ts';

/** How a caller names one partner: its id, or its code (plus kind when both kinds use the code). */
export const partnerRef = z.strictObject({
  id: z.string().optional().describe('The partner id (uuid).'),
  code: z.string().optional().describe('The partner code, e.g. CUS-000123 or SUP-000045.'),
  kind: z
    .enum(partnerKinds)
    .optional()
    .describe('customer or supplier; needed only when a code is used by both.'),
});
export type PartnerRef = z.infer<typeof partnerRef>;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function describeRef(ref: PartnerRef): string {
  if (ref.code)
    return `${ref.kind ? `${ref.kind[0]!.toUpperCase()}${ref.kind.slice(1)}` : 'Partner'} ${ref.code.trim().toUpperCase()}`;
  return `Partner ${ref.id}`;
}

/**
 * Finds one partner the principal may see, optionally locking it (FOR UPDATE) inside a
 * transaction. A partner outside the principal's access groups is reported as not found.
 */
export async function findPartner(
  db: DbOrTx,
  options: { ref: PartnerRef; principal: Principal; forUpdate?: boolean },
): Promise<PartnerRow> {
  const { ref, principal, forUpdate } = options;
  let condition: SQL | undefined;
  if (ref.id) {
    if (!uuidPattern.test(ref.id)) {
      throw new DirectoryError('validation', `"${ref.id}" is not a partner id.`, {
        problems: [
          {
            field: 'id',
            code: 'invalid_id',
            message: 'An id looks like 3f2b8a4e-…; to use a code such as SUP-000123, pass it as code.',
          },
        ],
      });
    }
    condition = eq(partners.id, ref.id.toLowerCase());
  } else if (ref.code?.trim()) {
    const code = ref.code.trim().toUpperCase();
    condition = ref.kind
      ? and(eq(partners.code, code), eq(partners.kind, ref.kind))
      : eq(partners.code, code);
  } else {
    throw new DirectoryError('validation', 'Say which partner: give its id or its code.', {
      problems: [
        { field: 'code', code: 'required', message: 'Give the partner code (e.g. SUP-000123) or its id.' },
      ],
    });
  }
  const read = async (where: SQL | undefined) => {
    const query = db.select().from(partners).where(where).limit(2);
    return forUpdate ? await query.for('update') : await query;
  };
  let rows = await read(condition);
  if (rows.length === 0 && !ref.id && ref.code?.trim()) {
    // A code merged into another record (merge_partners) leads to the record it became.
    const code = ref.code.trim().toUpperCase();
    const aliases = await db
      .select({ partnerId: partnerAliases.partnerId })
      .from(partnerAliases)
      .where(
        ref.kind
          ? and(eq(partnerAliases.code, code), eq(partnerAliases.kind, ref.kind))
          : eq(partnerAliases.code, code),
      );
    if (aliases.length)
      rows = await read(
        inArray(
          partners.id,
          aliases.map((alias) => alias.partnerId),
        ),
      );
  }
  const visible = rows.filter((row) => canSeeGroups(principal, row.accessGroups));
  if (visible.length === 0) throw notFound(describeRef(ref));
  if (visible.length > 1) {
    throw new DirectoryError(
      'validation',
      `Code ${ref.code} is used by a customer and a supplier; say which.`,
      {
        problems: [
          {
            field: 'kind',
            code: 'ambiguous',
            message: 'Add kind: "customer" or "supplier".',
            allowed: [...partnerKinds],
          },
        ],
      },
    );
  }
  return visible[0]!;
}
