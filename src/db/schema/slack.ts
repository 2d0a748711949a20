import { index, jsonb, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Slack event ids already taken by a replica: retries and duplicate deliveries get no second answer. */
export const slackEvents = pgTable('slack_events', {
  eventId: text('event_id').primaryKey(),
  receivedAt: timestamp('received_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

export const pendingChangeStatus = pgEnum('pending_change_status', [
  'pending',
  'confirmed',
  'cancelled',
  'failed',
]);

/** A change asked for in words, waiting for the asking user's Confirm or Cancel. */
export const slackPendingChanges = pgTable(
  'slack_pending_changes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    slackUserId: text('slack_user_id').notNull(),
    channel: text('channel').notNull(),
    tool: text('tool').notNull(),
    args: jsonb('args').$type<Record<string, unknown>>().notNull(),
    summary: text('summary').notNull(),
    status: pendingChangeStatus('status').notNull().default('pending'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    decidedAt: timestamp('decided_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('slack_pending_changes_user_idx').on(t.slackUserId, t.createdAt)],
);
