import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { principal } from '../../../test/context.ts';
import { openTestDatabase } from '../../../test/database.ts';
import { idsWhere, insertPartnerRows } from '../../../test/partner-rows.ts';
import type { Database } from '../../db/client.ts';
import { type PartnerRow, partnerCounts } from '../../db/schema/index.ts';
import { canSeeGroups, groupsNotYours, visibleTo } from './visibility.ts';

const groupSets = [[], ['eu'], ['asia'], ['asia', 'eu'], ['us']];

let database: Database;
let rows: PartnerRow[];
beforeAll(async () => {
  database = await openTestDatabase();
  rows = await insertPartnerRows(database, {
    code: 'V',
    rows: groupSets.map((accessGroups) => ({ kind: 'supplier', accessGroups })),
  });
});
afterAll(async () => {
  await database?.close();
});

const principals = [
  principal('admin'),
  principal('viewer'),
  principal('viewer', ['eu']),
  principal('editor', ['eu', 'us']),
  principal('editor', ['latam']),
];

describe('visibility', () => {
  it.each(principals)('selects the same records in SQL as the predicate for %j', async (who) => {
    const expected = rows
      .filter((row) => canSeeGroups(who, row.accessGroups))
      .map((row) => row.id)
      .sort();
    expect(await idsWhere(database, rows, visibleTo(who))).toEqual(expected);
  });

  it.each(principals)('counts in partner_counts exactly the records %j sees', async (who) => {
    const [counted] = await database.db
      .select({ n: sql`coalesce(sum(${partnerCounts.n}), 0)::int`.mapWith(Number) })
      .from(partnerCounts)
      .where(visibleTo(who, partnerCounts.accessGroups));
    expect(counted!.n).toBe(rows.filter((row) => canSeeGroups(who, row.accessGroups)).length);
  });

  it('shows admins every group, others the records without groups and those of their groups', () => {
    expect(rows.every((row) => canSeeGroups(principal('admin'), row.accessGroups))).toBe(true);
    expect(rows.filter((row) => canSeeGroups(principal('viewer'), row.accessGroups))).toHaveLength(1);
    expect(rows.filter((row) => canSeeGroups(principal('viewer', ['eu']), row.accessGroups))).toHaveLength(3);
  });

  it('lets non-admins give a record only their own groups', () => {
    expect(groupsNotYours(principal('editor', ['eu']), ['eu', 'us'])).toEqual(['us']);
    expect(groupsNotYours(principal('admin'), ['eu', 'us'])).toEqual([]);
  });
});
