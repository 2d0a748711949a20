import { and, inArray, type SQL } from 'drizzle-orm';
import type { Database } from '../src/db/client.ts';
import { type NewPartnerRow, type PartnerRow, partners } from '../src/db/schema/index.ts';

/**
 * Inserts partner rows as they are, past the domain's checks, for tests that compare a SQL rule
 * with its predicate: only the columns under test need giving; `code` numbers them.
 */
export async function insertPartnerRows(
  database: Database,
  options: { code: string; rows: Partial<NewPartnerRow>[] },
): Promise<PartnerRow[]> {
  const at = new Date('2026-06-15T00:00:00Z');
  return database.db
    .insert(partners)
    .values(
      options.rows.map((row, i) => ({
        kind: 'customer' as const,
        code: `${options.code}-${i}`,
        firstName: 'Test',
        email: `${options.code.toLowerCase()}${i}@example.com`,
        total: '0',
        termsAcceptedAt: at,
        createdBy: 'test',
        updatedBy: 'test',
        ...row,
      })),
    )
    .returning();
}

/** The ids, sorted, of those of `rows` that match `where`. */
export async function idsWhere(
  database: Database,
  rows: PartnerRow[],
  where: SQL | undefined,
): Promise<string[]> {
  const found = await database.db
    .select({ id: partners.id })
    .from(partners)
    .where(
      and(
        inArray(
          partners.id,
          rows.map((row) => row.id),
        ),
        where,
      ),
    );
  return found.map((row) => row.id).sort();
}
