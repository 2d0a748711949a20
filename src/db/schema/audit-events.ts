import { bigint, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { partnerKind } from './partners.ts';

export const auditAction = pgEnum('audit_action', [
  'create',
  'update',
  'disable',
  'enable',
  'remove',
  'order_record',
  'compliance_set',
  'compliance_remove',
  'picture_set',
  'picture_remove',
  'export',
  'import',
  'merge',
  'counterpart_link',
]);

export const auditVia = pgEnum('audit_via', ['mcp', 'slack', 'cli', 'http', 'system']);

/**
 * Append-only change log (a trigger refuses UPDATE and DELETE). partnerId has no foreign key on
 * purpose: the events of a removed partner stay, with its last state in `snapshot`.
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    action: auditAction('action').notNull(),
    partnerId: uuid('partner_id'),
    partnerKind: partnerKind('partner_kind'),
    partnerCode: text('partner_code'),
    partnerVersion: integer('partner_version'),
    actorId: text('actor_id').notNull(),
    actorName: text('actor_name').notNull(),
    via: auditVia('via').notNull(),
    clientName: text('client_name'),
    changes: jsonb('changes').$type<Record<string, { before: unknown; after: unknown }>>(),
    snapshot: jsonb('snapshot').$type<Record<string, unknown>>(),
    details: jsonb('details').$type<Record<string, unknown>>(),
  },
  (t) => [index('audit_events_partner_idx').on(t.partnerId, t.id), index('audit_events_at_idx').on(t.at)],
);

export type AuditEventRow = typeof auditEvents.$inferSelect;
