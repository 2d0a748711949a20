import { type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { type PartnerRow, partners } from '../../db/schema/index.ts';
import { kindFieldNames } from '../partners/partner-field-rules.ts';
import type { PartnerKind } from '../partners/partner-schema.ts';
import { countryName } from '../values/country.ts';

/** Every column a partners export can hold, in the order of the default export. */
export const exportColumnIds = [
  'name',
  'kind',
  'code',
  'email',
  'phone',
  'companyName',
  'total',
  'currency',
  'since',
  'street',
  'address2',
  'city',
  'state',
  'postalCode',
  'country',
  'countryCode',
  'website',
  'employees',
  'ordersCount',
  'lastOrderDate',
  'status',
  'approved',
  'accessGroups',
  'createdAt',
  'updatedAt',
  'notes',
] as const;
export const exportColumnId = z
  .enum(exportColumnIds)
  .describe(
    'An export column: name, kind, code, email, phone, companyName, total, currency, since, street, address2, city, state, postalCode, country, countryCode, website, employees, ordersCount, lastOrderDate, status, approved, accessGroups, createdAt, updatedAt, notes.',
  );
export type ExportColumnId = z.infer<typeof exportColumnId>;

/** The caller's column choice: at least one, in the order wanted (duplicates are dropped). */
export const exportColumnsInput = z
  .array(exportColumnId)
  .min(1)
  .max(exportColumnIds.length)
  .describe('Columns to export, in order; default: every column except notes (kind only when both kinds).');

/** Which headers to use: one kind's names (Customer, Total Sales), or neutral ones for both kinds. */
export type ExportScope = PartnerKind | 'mixed';

/** A cell: text (neutralized before writing), a number, or empty. */
export type ExportCell = string | number | null;

/** The partner columns an export may read. */
export type ExportField = Exclude<
  keyof PartnerRow,
  'searchText' | 'sortName' | 'sortCompany' | 'sortCity' | 'sortCountry' | 'sortLastOrder' | 'sortSince'
>;
/** Timestamps are read as PostgreSQL's text, not as Date: parsing and formatting Dates cost more than the rest of a row. */
type TextTimestamp = 'createdAt' | 'updatedAt' | 'termsAcceptedAt' | 'disabledAt';
/** A partner row holding (at least) the fields the chosen columns need; timestamps as text. */
export type ExportRow = Omit<Pick<PartnerRow, ExportField>, TextTimestamp> & {
  [K in TextTimestamp]: PartnerRow[K] extends Date ? string : string | null;
};

/**
 * The select list reading these fields (and id, the keyset key), each aliased to its field
 * name, for a raw query: the export reads rows as the driver returns them, skipping drizzle's
 * per-field mapping (about a fifth of the CPU of a large export). Both drivers return text,
 * numeric (as a decimal string), integers, booleans and text arrays alike; dates and
 * timestamps stay PostgreSQL's text (drizzle configures both drivers so).
 */
export function selectionOf(fields: readonly ExportField[]): Record<string, SQL.Aliased> {
  const selection: Record<string, SQL.Aliased> = { id: sql<string>`${partners.id}`.as('id') };
  for (const field of fields) selection[field] = sql`${partners[field]}`.as(field);
  return selection;
}

/**
 * PostgreSQL's timestamptz text ("2026-06-15 12:00:00.123456+00") as ISO 8601 UTC to the
 * second ("2026-06-15T12:00:00Z"); sliced when the session is in UTC, parsed otherwise.
 */
export function isoTimestamp(text: string): string {
  if (text.endsWith('+00') && text[10] === ' ') return `${text.slice(0, 10)}T${text.slice(11, 19)}Z`;
  return `${new Date(text).toISOString().slice(0, 19)}Z`;
}

export interface ExportColumn {
  id: ExportColumnId;
  header: (scope: ExportScope) => string;
  /** The only partner columns read for it (the export selects nothing else). */
  fields: readonly ExportField[];
  /** amount: a decimal string exact in CSV, written as a number in XLSX. */
  type: 'text' | 'integer' | 'amount';
  value: (row: ExportRow) => ExportCell;
}

const fixed = (header: string) => () => header;
const byKind = (customer: string, supplier: string, mixed: string) => (scope: ExportScope) =>
  scope === 'customer' ? customer : scope === 'supplier' ? supplier : mixed;
/** A header named by kind from the field table, in title case ("Total Sales"); `mixed` for both kinds. */
const kindNamed = (label: 'totalLabel' | 'sinceLabel', mixed: string) => (scope: ExportScope) =>
  scope === 'mixed'
    ? mixed
    : kindFieldNames[scope][label].replace(/\b\p{Ll}/gu, (letter) => letter.toUpperCase());
/** A column showing one text field as stored. */
const text = (id: ExportColumnId, header: string, field: ExportField): ExportColumn => ({
  id,
  header: fixed(header),
  fields: [field],
  type: 'text',
  value: (row) => (row[field] as string | null) ?? null,
});

const columnList: ExportColumn[] = [
  {
    id: 'name',
    header: byKind('Customer', 'Supplier', 'Name'),
    fields: ['firstName', 'lastName'],
    type: 'text',
    value: (row) => (row.lastName ? `${row.firstName} ${row.lastName}` : row.firstName),
  },
  {
    id: 'kind',
    header: fixed('Kind'),
    fields: ['kind'],
    type: 'text',
    value: (row) => (row.kind === 'customer' ? 'Customer' : 'Supplier'),
  },
  text('code', 'Code', 'code'),
  text('email', 'Email', 'email'),
  text('phone', 'Phone', 'phone'),
  text('companyName', 'Company', 'companyName'),
  {
    id: 'total',
    header: kindNamed('totalLabel', 'Total'),
    fields: ['total'],
    type: 'amount',
    value: (row) => row.total,
  },
  text('currency', 'Currency', 'currency'),
  {
    id: 'since',
    header: kindNamed('sinceLabel', 'Since'),
    fields: ['since'],
    type: 'text',
    value: (row) => row.since,
  },
  text('street', 'Street', 'street'),
  text('address2', 'Address 2', 'address2'),
  text('city', 'City', 'city'),
  text('state', 'State', 'state'),
  text('postalCode', 'Postal Code', 'postalCode'),
  {
    id: 'country',
    header: fixed('Country'),
    fields: ['country'],
    type: 'text',
    value: (row) => (row.country ? countryName(row.country) : null),
  },
  text('countryCode', 'Country Code', 'country'),
  text('website', 'Website', 'website'),
  {
    id: 'employees',
    header: fixed('Employees'),
    fields: ['employees'],
    type: 'integer',
    value: (row) => row.employees,
  },
  {
    id: 'ordersCount',
    header: fixed('Orders'),
    fields: ['ordersCount'],
    type: 'integer',
    value: (row) => row.ordersCount,
  },
  text('lastOrderDate', 'Last Order', 'lastOrderDate'),
  {
    id: 'status',
    header: fixed('Status'),
    fields: ['status'],
    type: 'text',
    value: (row) => (row.status === 'enabled' ? 'Enabled' : 'Disabled'),
  },
  {
    id: 'approved',
    header: fixed('Approved'),
    fields: ['approved'],
    type: 'text',
    value: (row) => (row.approved ? 'Yes' : 'No'),
  },
  {
    id: 'accessGroups',
    header: fixed('Access Groups'),
    fields: ['accessGroups'],
    type: 'text',
    value: (row) => row.accessGroups.join(', ') || null,
  },
  {
    id: 'createdAt',
    header: fixed('Created'),
    fields: ['createdAt'],
    type: 'text',
    value: (row) => isoTimestamp(row.createdAt),
  },
  {
    id: 'updatedAt',
    header: fixed('Updated'),
    fields: ['updatedAt'],
    type: 'text',
    value: (row) => isoTimestamp(row.updatedAt),
  },
  text('notes', 'Notes', 'notes'),
];

/** Column definitions by id. */
export const exportColumns = Object.fromEntries(columnList.map((column) => [column.id, column])) as Record<
  ExportColumnId,
  ExportColumn
>;

/** The default columns: all but notes; Kind only when the export holds both kinds. */
export function defaultExportColumns(scope: ExportScope): ExportColumnId[] {
  return exportColumnIds.filter((id) => id !== 'notes' && (id !== 'kind' || scope === 'mixed'));
}

/** The columns to write: the caller's choice (deduplicated, in order) or the default set. */
export function resolveExportColumns(scope: ExportScope, chosen?: readonly ExportColumnId[]): ExportColumn[] {
  const ids = chosen?.length ? [...new Set(chosen)] : defaultExportColumns(scope);
  return ids.map((id) => exportColumns[id]);
}

/** The partner fields the given columns read, without duplicates. */
export function fieldsOf(columns: readonly ExportColumn[]): ExportField[] {
  return [...new Set(columns.flatMap((column) => column.fields))];
}
