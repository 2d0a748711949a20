import type { DbOrTx } from '../db/client.ts';
import { auditEvents, type PartnerRow } from '../db/schema/index.ts';
import type { Actor } from './access/principal.ts';
import { kindFieldNames } from './partners/partner-field-rules.ts';

type AuditAction = (typeof auditEvents.$inferInsert)['action'];
export type FieldChanges = Record<string, { before: unknown; after: unknown }>;

/** Public (kind-named) value of a column, for before/after in the audit log. */
function publicEntries(row: Partial<PartnerRow> & Pick<PartnerRow, 'kind'>): Record<string, unknown> {
  const skip = new Set([
    'searchText',
    'sortName',
    'sortCompany',
    'sortCity',
    'sortCountry',
    'sortLastOrder',
    'sortSince',
    'since',
    'total',
  ]);
  const entries: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (skip.has(key)) continue;
    entries[key] = value instanceof Date ? value.toISOString() : value;
  }
  const names = kindFieldNames[row.kind];
  if ('since' in row) entries[names.since] = row.since ?? null;
  if ('total' in row) entries[names.total] = Number(row.total ?? 0);
  return entries;
}

/** The before/after of every field that differs between two versions of a partner. */
export function diffPartner(before: PartnerRow | undefined, after: PartnerRow): FieldChanges {
  const beforeEntries = before ? publicEntries(before) : {};
  const afterEntries = publicEntries(after);
  const ignore = new Set(['version', 'updatedAt', 'updatedBy', 'createdAt', 'createdBy', 'id']);
  const changes: FieldChanges = {};
  for (const [key, value] of Object.entries(afterEntries)) {
    if (ignore.has(key)) continue;
    const old = beforeEntries[key] ?? null;
    if (JSON.stringify(old) !== JSON.stringify(value ?? null))
      changes[key] = { before: old, after: value ?? null };
  }
  return changes;
}

/** The last state of a record, kept on the remove event. */
export function snapshotPartner(row: PartnerRow): Record<string, unknown> {
  return publicEntries(row);
}

/** Appends one audit event; call inside the transaction that makes the change. */
export async function writeAudit(
  tx: DbOrTx,
  options: {
    actor: Actor;
    action: AuditAction;
    partner?: Pick<PartnerRow, 'id' | 'kind' | 'code' | 'version'>;
    changes?: FieldChanges;
    snapshot?: Record<string, unknown>;
    details?: Record<string, unknown>;
  },
): Promise<void> {
  await tx.insert(auditEvents).values(auditRow(options));
}

type AuditEventInput = Parameters<typeof writeAudit>[1];

function auditRow(options: AuditEventInput) {
  const { actor, action, partner } = options;
  return {
    action,
    partnerId: partner?.id,
    partnerKind: partner?.kind,
    partnerCode: partner?.code,
    partnerVersion: partner?.version,
    actorId: actor.principal.id,
    actorName: actor.principal.name,
    via: actor.via,
    clientName: actor.clientName,
    changes: options.changes,
    snapshot: options.snapshot,
    details: options.details,
  };
}

/** Appends several audit events in one statement (bulk writes such as imports), inside their transaction. */
export async function writeAudits(tx: DbOrTx, events: AuditEventInput[]): Promise<void> {
  if (events.length) await tx.insert(auditEvents).values(events.map(auditRow));
}
