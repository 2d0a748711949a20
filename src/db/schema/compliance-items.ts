import { sql } from 'drizzle-orm';
import { check, date, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { partners } from './partners.ts';

/** Trade compliance items (audits, certificates) with a validity window, one per name per partner. */
export const complianceItems = pgTable(
  'compliance_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnerId: uuid('partner_id')
      .notNull()
      .references(() => partners.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    validFrom: date('valid_from', { mode: 'string' }),
    validTo: date('valid_to', { mode: 'string' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('compliance_items_partner_name_key').on(t.partnerId, sql`lower(${t.name})`),
    index('compliance_items_valid_to_idx').on(t.validTo),
    check('compliance_items_name_present', sql`length(btrim(${t.name})) between 1 and 120`),
    check('compliance_items_valid_range', sql`${t.validFrom} is null or ${t.validFrom} <= ${t.validTo}`),
  ],
);

export type ComplianceItemRow = typeof complianceItems.$inferSelect;
