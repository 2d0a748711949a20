import { type Column, type SQL, sql } from 'drizzle-orm';
import { partners } from '../../db/schema/index.ts';
import type { Principal } from './principal.ts';

/**
 * Who sees which records. A record with no access groups is seen by everyone; one with groups
 * by the members of any of them; admins see every record. The rule is written here twice, side
 * by side, as SQL (visibleTo) and as a predicate (canSeeGroups); visibility.test.ts runs both
 * on the same rows.
 */
export function seesEveryGroup(principal: Pick<Principal, 'role'>): boolean {
  return principal.role === 'admin';
}

/** Whether the principal may see a record with these access groups. */
export function canSeeGroups(
  principal: Pick<Principal, 'role' | 'accessGroups'>,
  recordGroups: readonly string[],
): boolean {
  if (seesEveryGroup(principal) || recordGroups.length === 0) return true;
  return recordGroups.some((group) => principal.accessGroups.includes(group));
}

/**
 * SQL condition: the record is visible to the principal; undefined (no condition) for admins.
 * `groups` is the access-groups column to test: partners' by default, or that of a table kept
 * per group such as partner_counts.
 */
export function visibleTo(
  principal: Pick<Principal, 'role' | 'accessGroups'>,
  groups: Column = partners.accessGroups,
): SQL | undefined {
  if (seesEveryGroup(principal)) return undefined;
  // Group names are lower-case letters, digits, "_" and "-" (cleanGroups), safe inside the literal.
  const mine = `{${principal.accessGroups.map((group) => `"${group}"`).join(',')}}`;
  return sql`(cardinality(${groups}) = 0 or ${groups} && ${mine}::text[])`;
}

/** The groups of `groups` the principal may not give a record: none for admins, else those it is not in. */
export function groupsNotYours(
  principal: Pick<Principal, 'role' | 'accessGroups'>,
  groups: readonly string[],
) {
  if (seesEveryGroup(principal)) return [];
  return groups.filter((group) => !principal.accessGroups.includes(group));
}
