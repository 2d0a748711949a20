import { and, eq, ne, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { type PartnerRow, partners } from '../../db/schema/index.ts';
import type { Principal } from '../access/principal.ts';
import { canSeeGroups, groupsNotYours, visibleTo } from '../access/visibility.ts';
import { dataQualityProblems } from '../compliance/data-quality.ts';
import { DirectoryError, type FieldProblem } from '../errors.ts';
import type { PartnerKind } from './partner-schema.ts';

/** Non-admins may only give a record access groups they belong to themselves. */
export function checkGroups(
  principal: Principal,
  groups: string[] | undefined,
  problems: FieldProblem[],
): void {
  if (!groups) return;
  const foreign = groupsNotYours(principal, groups);
  if (foreign.length) {
    problems.push({
      field: 'accessGroups',
      code: 'group_not_yours',
      message: `You can only use your own access groups (${principal.accessGroups.join(', ') || 'none'}); ask an admin for ${foreign.join(', ')}.`,
      allowed: principal.accessGroups,
    });
  }
}

/**
 * A duplicate-email or duplicate-code error. It names the record that already has the value only
 * when the caller may see it; otherwise it says the value is taken and nothing more (the record
 * is logged for the operator), so a refusal never confirms a record outside the caller's groups.
 */
export async function duplicateError(
  db: DbOrTx,
  options: {
    principal: Principal;
    kind: PartnerKind;
    field: 'email' | 'code';
    value: string;
  },
): Promise<DirectoryError> {
  const { principal, kind, field, value } = options;
  const column = field === 'email' ? partners.email : partners.code;
  const [existing] = await db
    .select({ code: partners.code, accessGroups: partners.accessGroups })
    .from(partners)
    .where(and(eq(partners.kind, kind), eq(column, value)))
    .limit(1);
  const named = existing && canSeeGroups(principal, existing.accessGroups) ? existing.code : undefined;
  if (!named) {
    const message = `This ${field} is already taken; use a different ${field}.`;
    return new DirectoryError('conflict', message, {
      problems: [{ field, code: 'duplicate', message }],
      logDetails: {
        reason: 'duplicate of a record the caller cannot see',
        kind,
        field,
        existingCode: existing?.code,
      },
    });
  }
  const message = `Another ${kind} (${named}) already uses the ${field} ${value}.`;
  return new DirectoryError('conflict', message, {
    problems: [
      { field, code: 'duplicate', message: `${message} Use a different ${field} or edit ${named}.` },
    ],
    details: { existingCode: named },
  });
}

/** Data-quality hints for a saved record: the checklist items it fails, and a likely duplicate company. */
export async function qualityWarnings(db: DbOrTx, row: PartnerRow, principal: Principal): Promise<string[]> {
  const warnings = dataQualityProblems(row).map((item) => item.problem);
  if (row.companyName) {
    const similar = await db
      .select({ code: partners.code, companyName: partners.companyName })
      .from(partners)
      .where(
        and(
          eq(partners.kind, row.kind),
          ne(partners.id, row.id),
          sql`${partners.sortCompany} = pb_norm(${row.companyName})`,
          visibleTo(principal),
        ),
      )
      .limit(3);
    if (similar.length) {
      warnings.push(
        `Likely duplicate: ${similar.map((s) => `${s.code} (${s.companyName})`).join(', ')} ${similar.length > 1 ? 'have' : 'has'} the same company name.`,
      );
    }
  }
  return warnings;
}
