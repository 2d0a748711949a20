import { boolean, integer, jsonb, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

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
  /**
   * Links made for Slack users, who have no bearer token in a browser: the unguessable id alone
   * opens them, for their hour, and they show what the asking user may see.
   */
  capability: boolean('capability').notNull().default(false),
  /** Capability links: the asking principal (role, groups) the rows are read as at download time. */
  principal: jsonb('principal').$type<{
    id: string;
    name: string;
    role: 'viewer' | 'editor' | 'admin';
    accessGroups: string[];
  }>(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
});
