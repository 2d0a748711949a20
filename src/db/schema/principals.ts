import { sql } from 'drizzle-orm';
import { check, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const principalRole = pgEnum('principal_role', ['viewer', 'editor', 'admin']);
export const principalType = pgEnum('principal_type', ['token', 'slack']);

/** Who may call: API tokens (SHA-256 of the token, never the token) and Slack users. */
export const principals = pgTable(
  'principals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    type: principalType('type').notNull(),
    name: text('name').notNull(),
    role: principalRole('role').notNull(),
    accessGroups: text('access_groups').array().notNull().default(sql`'{}'::text[]`),
    tokenHash: text('token_hash'),
    tokenPrefix: text('token_prefix'),
    slackUserId: text('slack_user_id'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    createdBy: text('created_by').notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    uniqueIndex('principals_token_hash_key').on(t.tokenHash),
    uniqueIndex('principals_slack_user_key').on(t.slackUserId),
    check(
      'principals_type_identity',
      sql`(${t.type} = 'token' and ${t.tokenHash} is not null) or (${t.type} = 'slack' and ${t.slackUserId} is not null)`,
    ),
  ],
);

export type PrincipalRow = typeof principals.$inferSelect;
