import { index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { partnerKind } from './partners.ts';

/**
 * Codes of records merged into another: each old code of a kind names its survivor, so a
 * lookup by the old code finds the record it became. Written by src/directory/merge only.
 */
export const partnerAliases = pgTable(
  'partner_aliases',
  {
    kind: partnerKind('kind').notNull(),
    code: text('code').notNull(),
    partnerId: uuid('partner_id').notNull(),
    mergedAt: timestamp('merged_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    mergedBy: text('merged_by').notNull(),
  },
  (t) => [
    uniqueIndex('partner_aliases_kind_code_key').on(t.kind, t.code),
    index('partner_aliases_partner_idx').on(t.partnerId),
  ],
);
