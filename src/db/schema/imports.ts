import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { bytea } from './columns.ts';
import { partnerKind } from './partners.ts';

export const importStatus = pgEnum('import_status', ['queued', 'running', 'completed', 'rejected', 'failed']);

/** What an import was asked to do; kept with it so a retried job does exactly the same. */
export interface StoredImportOptions {
  dryRun: boolean;
  match?: 'code' | 'email';
  onError: 'abort' | 'skip';
  sheet?: string;
  map?: Record<string, string>;
}

/** Who started an import, as it was then (the job acts as this principal). */
export interface StoredImportActor {
  principal: { id: string; name: string; role: 'viewer' | 'editor' | 'admin'; accessGroups: string[] };
  via: 'mcp' | 'slack' | 'cli' | 'http' | 'system';
  clientName?: string;
}

/** How one column of the file was read: the field it fills, or why it is not read. */
export interface ImportColumn {
  header: string;
  field?: string;
  ignored?: string;
}

/**
 * One import of a CSV or XLSX file: its options, where it stands (status, phase, counts, bytes
 * read of the file) and the column report. Written by src/directory/imports only.
 */
export const imports = pgTable(
  'imports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: partnerKind('kind').notNull(),
    fileName: text('file_name').notNull(),
    format: text('format').notNull(),
    options: jsonb('options').$type<StoredImportOptions>().notNull(),
    actor: jsonb('actor').$type<StoredImportActor>().notNull(),
    timeZone: text('time_zone').notNull(),
    status: importStatus('status').notNull().default('queued'),
    /** validating (reading every row, writing nothing) or writing. */
    phase: text('phase'),
    headers: text('headers').array(),
    columns: jsonb('columns').$type<ImportColumn[]>(),
    totalBytes: bigint('total_bytes', { mode: 'number' }),
    bytesRead: bigint('bytes_read', { mode: 'number' }).notNull().default(0),
    rowsRead: integer('rows_read').notNull().default(0),
    created: integer('created').notNull().default(0),
    updated: integer('updated').notNull().default(0),
    unchanged: integer('unchanged').notNull().default(0),
    rejected: integer('rejected').notNull().default(0),
    /** Why it failed or was refused as a whole. */
    message: text('message'),
    jobId: uuid('job_id'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    index('imports_created_idx').on(t.createdAt),
    check('imports_format', sql`${t.format} in ('csv', 'xlsx')`),
  ],
);

/** An uploaded file, kept in 1 MB pieces until its import is done, so any replica's worker can read it. */
export const importFileChunks = pgTable(
  'import_file_chunks',
  {
    importId: uuid('import_id')
      .notNull()
      .references(() => imports.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    data: bytea('data').notNull(),
  },
  (t) => [primaryKey({ columns: [t.importId, t.seq] })],
);

/** A rejected row: its cells as read (in the order of the import's headers) and every problem. */
export const importRejections = pgTable(
  'import_rejections',
  {
    importId: uuid('import_id')
      .notNull()
      .references(() => imports.id, { onDelete: 'cascade' }),
    rowNumber: integer('row_number').notNull(),
    cells: jsonb('cells').$type<string[]>().notNull(),
    problems: jsonb('problems')
      .$type<{ field: string; code: string; message: string; didYouMean?: string }[]>()
      .notNull(),
  },
  (t) => [primaryKey({ columns: [t.importId, t.rowNumber] })],
);

/**
 * A row an import wrote: the record it created or updated, written in the same transaction,
 * so a retried import skips it, and undo knows what to restore (`before`: the changed fields).
 */
export const importRecords = pgTable(
  'import_records',
  {
    importId: uuid('import_id')
      .notNull()
      .references(() => imports.id, { onDelete: 'cascade' }),
    rowNumber: integer('row_number').notNull(),
    partnerId: uuid('partner_id').notNull(),
    action: text('action').notNull(),
    before: jsonb('before').$type<Record<string, unknown>>(),
    version: integer('version').notNull(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.importId, t.rowNumber] }),
    index('import_records_partner_idx').on(t.partnerId),
    check('import_records_action', sql`${t.action} in ('created', 'updated')`),
  ],
);

export type ImportRow = typeof imports.$inferSelect;
