import { pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { partners } from './partners.ts';

/**
 * A company that is both a customer and a supplier: its customer record and its supplier record,
 * linked by id (so the link survives renames; a merge moves it to the survivor). Each record has
 * at most one counterpart. Written by src/directory/counterparts only.
 */
export const partnerCounterparts = pgTable(
  'partner_counterparts',
  {
    customerId: uuid('customer_id')
      .notNull()
      .references(() => partners.id, { onDelete: 'cascade' }),
    supplierId: uuid('supplier_id')
      .notNull()
      .references(() => partners.id, { onDelete: 'cascade' }),
    linkedAt: timestamp('linked_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    linkedBy: text('linked_by').notNull(),
  },
  (t) => [
    uniqueIndex('partner_counterparts_customer_key').on(t.customerId),
    uniqueIndex('partner_counterparts_supplier_key').on(t.supplierId),
  ],
);
