import { integer, jsonb, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const exportFormat = pgEnum('export_format', ['csv', 'xlsx']);
export const exportSubject = pgEnum('export_subject', ['partners', 'history']);

/**
 * Download links handed out by export tools (GET /exports/<id>, valid 1 hour). The rows are read
 * again at download time with the same principal, so access groups apply then too.
 */
export const exportLinks = pgTable('export_links', {
  id: uuid('id').primaryKey().defaultRandom(),
  principalId: text('principal_id').notNull(),
  subject: exportSubject('subject').notNull(),
  format: exportFormat('format').notNull(),
  request: jsonb('request').$type<Record<string, unknown>>().notNull(),
  rowCount: integer('row_count').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
});
