import { jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Workspace settings managed by admins (e.g. defaultCurrency). */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  updatedBy: text('updated_by').notNull(),
});
