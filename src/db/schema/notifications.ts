import { index, jsonb, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const notificationKind = pgEnum('notification_kind', ['compliance_breach']);

/**
 * Outbox of events for people (compliance breaches); the Slack bot claims and posts them.
 * claimedAt/postedAt let several replicas share the work without posting twice.
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
    claimedAt: timestamp('claimed_at', { withTimezone: true, mode: 'date' }),
    postedAt: timestamp('posted_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('notifications_pending_idx').on(t.postedAt, t.createdAt)],
);
