import { bigint, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { partnerKind, partnerStatus } from './partners.ts';

/**
 * Number of partners per (kind, status, country, access groups), kept exact by statement-level
 * triggers on partners (migration 0006_partner_counts): the summary's All/Enabled/Disabled counts
 * read a few hundred rows here instead of counting a million partners. Written only by those
 * triggers; rows whose count falls to 0 stay (n = 0). No CHECK (n >= 0): PostgreSQL checks the
 * proposed row of an upsert before it finds the conflict, and removals upsert negative numbers.
 */
export const partnerCounts = pgTable(
  'partner_counts',
  {
    kind: partnerKind('kind').notNull(),
    status: partnerStatus('status').notNull(),
    country: text('country'),
    accessGroups: text('access_groups').array().notNull(),
    n: bigint('n', { mode: 'number' }).notNull(),
  },
  (t) => [unique('partner_counts_key').on(t.kind, t.status, t.country, t.accessGroups).nullsNotDistinct()],
);
