import { sql } from 'drizzle-orm';
import {
  check,
  date,
  index,
  numeric,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { partners } from './partners.ts';

/** Recorded orders; ordersCount and lastOrderDate on partners are maintained from these. */
export const orders = pgTable(
  'orders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partnerId: uuid('partner_id')
      .notNull()
      .references(() => partners.id, { onDelete: 'restrict' }),
    reference: text('reference').notNull(),
    orderDate: date('order_date', { mode: 'string' }).notNull(),
    amount: numeric('amount', { precision: 16, scale: 2 }).notNull(),
    etd: date('etd', { mode: 'string' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    createdBy: text('created_by').notNull(),
  },
  (t) => [
    uniqueIndex('orders_partner_reference_key').on(t.partnerId, t.reference),
    index('orders_partner_date_idx').on(t.partnerId, t.orderDate),
    check('orders_amount_nonnegative', sql`${t.amount} >= 0`),
    check('orders_reference_present', sql`length(btrim(${t.reference})) between 1 and 64`),
  ],
);

export type OrderRow = typeof orders.$inferSelect;
