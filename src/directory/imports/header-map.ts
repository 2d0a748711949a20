import type { ImportColumn } from '../../db/schema/index.ts';
import { DirectoryError } from '../errors.ts';
import { kindFieldNames } from '../partners/partner-field-rules.ts';
import type { PartnerKind } from '../partners/partner-schema.ts';

/** Fields a column can fill: partner fields, `name` (a full name, split) and `countryCode`. */
export const importFields = [
  'code',
  'name',
  'firstName',
  'lastName',
  'email',
  'phone',
  'companyName',
  'nickname',
  'notes',
  'since',
  'total',
  'currency',
  'street',
  'address2',
  'city',
  'state',
  'postalCode',
  'country',
  'countryCode',
  'website',
  'employees',
  'approved',
  'accessGroups',
  'blockNonCompliantOrders',
  'notifyOnComplianceBreach',
] as const;
export type ImportField = (typeof importFields)[number];

/** Columns of partnerbook's own exports that cannot be imported (the directory keeps them itself). */
const readOnly = [
  'kind',
  'orders',
  'orderscount',
  'lastorder',
  'lastorderdate',
  'status',
  'created',
  'createdat',
  'updated',
  'updatedat',
];

/** A header compared case-, accent-, space- and punctuation-insensitively: "E-mail" and "email" are one. */
export function headerKey(header: string): string {
  return header
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}

/** Headers recognised for each field: its name, our exports' headers and common synonyms. */
const synonyms: Record<ImportField, string[]> = {
  code: ['code', 'customercode', 'suppliercode', 'vendorcode', 'partnercode', 'accountcode'],
  name: ['name', 'contact', 'contactname', 'fullname', 'contactperson'],
  firstName: ['firstname', 'first', 'givenname', 'forename'],
  lastName: ['lastname', 'last', 'surname', 'familyname'],
  email: ['email', 'emailaddress', 'mail', 'contactemail'],
  phone: ['phone', 'telephone', 'tel', 'mobile', 'phonenumber', 'mobilephone', 'cell', 'telephonenumber'],
  companyName: [
    'companyname',
    'company',
    'organisation',
    'organization',
    'organisationname',
    'organizationname',
    'business',
  ],
  nickname: ['nickname', 'displayname'],
  notes: ['notes', 'note', 'comments', 'comment', 'remarks'],
  since: ['since', 'startdate'],
  total: ['total'],
  currency: ['currency'],
  street: ['street', 'address', 'address1', 'addressline1', 'streetaddress'],
  address2: ['address2', 'addressline2'],
  city: ['city', 'town'],
  state: ['state', 'province', 'region', 'county'],
  postalCode: ['postalcode', 'zip', 'zipcode', 'postcode'],
  country: ['country', 'countryname'],
  countryCode: ['countrycode', 'countryiso'],
  website: ['website', 'web', 'url', 'homepage', 'site', 'www'],
  employees: ['employees', 'staff', 'headcount'],
  approved: ['approved'],
  accessGroups: ['accessgroups', 'groups'],
  blockNonCompliantOrders: ['blocknoncompliantorders'],
  notifyOnComplianceBreach: ['notifyoncompliancebreach'],
};

/** Reading a header by our own export's kind-named columns (Customer, Total Sales, Supplier Since). */
function kindHeaders(kind: PartnerKind): Map<string, ImportField> {
  const names = kindFieldNames[kind];
  return new Map<string, ImportField>([
    [kind, 'name'],
    [headerKey(names.totalLabel), 'total'],
    [headerKey(names.total), 'total'],
    [headerKey(names.sinceLabel), 'since'],
    [headerKey(names.since), 'since'],
  ]);
}

const byKey = new Map<string, ImportField>();
for (const field of importFields) {
  byKey.set(headerKey(field), field);
  for (const synonym of synonyms[field]) byKey.set(synonym, field);
}

/**
 * Reads `--map "Header=field,Other=field"` (or the same pairs as an object) into header keys
 * and fields; `ignore` as a field skips the column. Unknown fields are refused.
 */
export function parseColumnMap(map: string | Record<string, string> | undefined): Map<string, string> {
  const pairs: [string, string][] =
    typeof map === 'string'
      ? map
          .split(',')
          .map((pair) => pair.trim())
          .filter(Boolean)
          .map((pair) => {
            const at = pair.lastIndexOf('=');
            if (at <= 0)
              throw new DirectoryError('validation', `"${pair}" in the column map is not Header=field.`, {
                problems: [{ field: 'map', code: 'invalid', message: 'Write each pair as Header=field.' }],
              });
            return [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
          })
      : Object.entries(map ?? {});
  const result = new Map<string, string>();
  for (const [header, field] of pairs) {
    const target =
      field === 'ignore' ? 'ignore' : importFields.find((f) => f.toLowerCase() === field.toLowerCase());
    if (!target)
      throw new DirectoryError(
        'validation',
        `The column map names an unknown field "${field}" (for "${header}").`,
        {
          problems: [
            {
              field: 'map',
              code: 'unknown_field',
              message: `No field ${field}.`,
              allowed: [...importFields, 'ignore'],
            },
          ],
        },
      );
    result.set(headerKey(header), target);
  }
  return result;
}

/** The column plan of a file: for each column, the field it fills (or why it is skipped). */
export interface ColumnPlan {
  columns: ImportColumn[];
  /** Column index for each field that is read. */
  fieldColumns: Map<ImportField, number>;
}

/**
 * Matches the header row to fields: the map first, then the field names, our exports' headers
 * and synonyms. Unknown headers are reported by name; a field claimed twice keeps its first
 * column (Country Code before Country, which an export writes as a name).
 */
export function planColumns(options: {
  headers: string[];
  kind: PartnerKind;
  map: Map<string, string>;
}): ColumnPlan {
  const { headers, kind, map } = options;
  const other: PartnerKind = kind === 'customer' ? 'supplier' : 'customer';
  const own = kindHeaders(kind);
  const foreign = kindHeaders(other);
  const columns: ImportColumn[] = [];
  const fieldColumns = new Map<ImportField, number>();
  const claim = (index: number, field: ImportField) => {
    const header = headers[index]!;
    const taken = fieldColumns.get(field);
    if (taken !== undefined) {
      columns[index] = { header, ignored: `${field} is already read from column "${headers[taken]}"` };
      return;
    }
    fieldColumns.set(field, index);
    columns[index] = { header, field };
  };
  // Country Code is read in preference to a Country column (an export holds both).
  const order = headers.map((_, index) => index);
  const countryCodeFirst = (index: number) =>
    (map.get(headerKey(headers[index]!)) ?? byKey.get(headerKey(headers[index]!))) === 'countryCode' ? 0 : 1;
  order.sort((a, b) => countryCodeFirst(a) - countryCodeFirst(b) || a - b);
  for (const index of order) {
    const header = headers[index] ?? '';
    const key = headerKey(header);
    const mapped = map.get(key);
    if (mapped === 'ignore') columns[index] = { header, ignored: 'ignored by the column map' };
    else if (mapped) claim(index, mapped === 'countryCode' ? 'countryCode' : (mapped as ImportField));
    else if (key === '') columns[index] = { header, ignored: 'no header' };
    else if (own.has(key)) claim(index, own.get(key)!);
    else if (foreign.has(key))
      columns[index] = { header, ignored: `"${header}" is for ${other}s; this import is of ${kind}s` };
    else if (byKey.has(key)) claim(index, byKey.get(key)!);
    else if (readOnly.includes(key))
      columns[index] = { header, ignored: 'kept by partnerbook itself, not imported' };
    else columns[index] = { header, ignored: 'unknown column' };
  }
  // Country Code and Country both read: the code wins, the name is skipped.
  if (fieldColumns.has('countryCode') && fieldColumns.has('country')) {
    const index = fieldColumns.get('country')!;
    fieldColumns.delete('country');
    columns[index] = {
      header: headers[index]!,
      ignored: `country is already read from column "${headers[fieldColumns.get('countryCode')!]}"`,
    };
  }
  return { columns, fieldColumns };
}
