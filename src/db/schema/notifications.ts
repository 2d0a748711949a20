import { index, jsonb, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const notificationKind = pgEnum('notification_kind', ['compliance_breach']);

/**
 * Breach notices for people, owned by src/directory/compliance/breach-notices.ts: each is
 * recorded with a queue job (keyed by its id) that posts it; postedAt says it went out.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: notificationKind('kind').notNull(),
    partnerId: uuid('partner_id'),
    partnerCode: text('partner_code'),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    postedAt: timestamp('posted_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('notifications_pending_idx').on(t.postedAt, t.createdAt)],
);
