import { sinceField, totalField } from '../../directory/partners/partner-field-rules.ts';
import type { PartnerFieldName, PartnerKind } from '../../directory/partners/partner-schema.ts';
import { CODE_PATTERN } from '../../directory/values/contact-fields.ts';
import { cleanValue, formatAmount, parseAmount } from './question-reader-text.ts';

/** A field as a person names it; name, total and since are split or named by kind later. */
export type FieldTarget = PartnerFieldName | 'name' | 'total' | 'since';

const LABELS: [string, FieldTarget][] = [
  ['first name', 'firstName'],
  ['firstname', 'firstName'],
  ['given name', 'firstName'],
  ['last name', 'lastName'],
  ['lastname', 'lastName'],
  ['surname', 'lastName'],
  ['family name', 'lastName'],
  ['full name', 'name'],
  ['contact name', 'name'],
  ['name', 'name'],
  ['nickname', 'nickname'],
  ['nick name', 'nickname'],
  ['display name', 'nickname'],
  ['company name', 'companyName'],
  ['company', 'companyName'],
  ['business name', 'companyName'],
  ['organisation', 'companyName'],
  ['organization', 'companyName'],
  ['email address', 'email'],
  ['e-mail address', 'email'],
  ['email', 'email'],
  ['e-mail', 'email'],
  ['phone number', 'phone'],
  ['telephone number', 'phone'],
  ['telephone', 'phone'],
  ['phone', 'phone'],
  ['tel', 'phone'],
  ['mobile number', 'phone'],
  ['mobile', 'phone'],
  ['street address', 'street'],
  ['street', 'street'],
  ['address line 2', 'address2'],
  ['address 2', 'address2'],
  ['address2', 'address2'],
  ['address', 'street'],
  ['postal code', 'postalCode'],
  ['post code', 'postalCode'],
  ['postcode', 'postalCode'],
  ['zip code', 'postalCode'],
  ['zip', 'postalCode'],
  ['city', 'city'],
  ['town', 'city'],
  ['state', 'state'],
  ['province', 'state'],
  ['region', 'state'],
  ['country', 'country'],
  ['website', 'website'],
  ['web site', 'website'],
  ['homepage', 'website'],
  ['url', 'website'],
  ['notes', 'notes'],
  ['note', 'notes'],
  ['number of employees', 'employees'],
  ['employee count', 'employees'],
  ['employees', 'employees'],
  ['headcount', 'employees'],
  ['total sales', 'totalSales'],
  ['sales total', 'totalSales'],
  ['sales', 'totalSales'],
  ['total purchases', 'totalPurchases'],
  ['purchases total', 'totalPurchases'],
  ['purchases', 'totalPurchases'],
  ['total', 'total'],
  ['customer since', 'customerSince'],
  ['supplier since', 'supplierSince'],
  ['start date', 'since'],
  ['since', 'since'],
  ['currency', 'currency'],
  ['code', 'code'],
];

const byLabel = new Map(LABELS);

/** Regex source matching any field label, longest first. */
export const FIELD_LABEL_SOURCE = LABELS.map(([label]) => label)
  .sort((a, b) => b.length - a.length)
  .map((label) => label.replace(/[-\s]/g, (c) => (c === '-' ? '-?' : '\\s+')))
  .join('|');

/** The field a label names ("company name" -> companyName), whitespace-insensitive. */
export function fieldOfLabel(label: string): FieldTarget | undefined {
  const key = label.toLowerCase().replace(/\s+/g, ' ').trim();
  return byLabel.get(key) ?? byLabel.get(key.replace('-', ''));
}

/** How a field is named back to the user. */
export function fieldWords(field: string): string {
  return field === 'address2'
    ? 'address line 2'
    : field.replace(/[A-Z]/g, (letter) => ` ${letter.toLowerCase()}`).replace('company name', 'company');
}

/** "city to Da Nang", "total sales 12,500", "clear website": one change in plain words. */
export function describeChange(field: string, value: unknown, joiner = ' to '): string {
  if (value === null) return `clear ${fieldWords(field)}`;
  const shown = typeof value === 'number' ? formatAmount(value) : String(value);
  return `${fieldWords(field)}${joiner}${shown}`;
}

const CLEARING_WORDS = /^(?:nothing|empty|blank|none|null|no value|n\/a)$/i;

/**
 * The changes one "label value" pair makes: the name split into first and last name, totals and
 * since dates named by kind, numbers read as numbers, "nothing"/"none" as a clear (null). Values
 * are not validated; the domain does that.
 */
export function fieldValues(options: {
  field: FieldTarget;
  raw: string | null;
  kind: PartnerKind | undefined;
}): Record<string, unknown> {
  const { field, kind } = options;
  const value = options.raw === null ? null : cleanValue(options.raw);
  if (value !== null && CLEARING_WORDS.test(value)) return fieldValues({ ...options, raw: null });
  if (field === 'name') {
    if (value === null) return { firstName: null, lastName: null };
    const [first = '', ...rest] = value.split(/\s+/);
    return rest.length ? { firstName: first, lastName: rest.join(' ') } : { firstName: first };
  }
  if (field === 'total' || field === 'totalSales' || field === 'totalPurchases') {
    const named = kind ? totalField(kind) : field;
    const key = named === 'total' ? 'totalSales' : named;
    return { [key]: value === null ? null : (parseAmount(value) ?? value) };
  }
  if (field === 'since' || field === 'customerSince' || field === 'supplierSince') {
    const named = kind ? sinceField(kind) : field;
    return { [named === 'since' ? 'customerSince' : named]: value };
  }
  if (field === 'employees' && value !== null) {
    const count = value.replace(/[,\s]/g, '');
    return { employees: /^\d+$/.test(count) ? Number(count) : value };
  }
  return { [field]: value };
}

/** The kind a generated code names: CUS-... customer, SUP-... supplier. */
export function kindOfCode(code: string): PartnerKind | undefined {
  if (/^CUS-/i.test(code)) return 'customer';
  if (/^SUP-/i.test(code)) return 'supplier';
  return undefined;
}

/** Generated codes, recognised anywhere. */
export const STANDARD_CODE = /\b(?:CUS|SUP)-\d{1,6}\b/i;

/**
 * A record code in a slot where a code is expected ("disable X", "phone of X"): CUS-/SUP- codes,
 * anything matching CODE_PATTERN with a digit, or an upper-case code ("ACME-VN").
 */
export function asCode(word: string): string | undefined {
  const bare = word.replace(/['’]s$/i, '').replace(/[.,;:!?]+$/, '');
  const code = bare.toUpperCase();
  if (!CODE_PATTERN.test(code)) return undefined;
  if (STANDARD_CODE.test(bare) || /\d/.test(code)) return code;
  return bare === code && /[A-Z]/.test(code) && code.length >= 3 ? code : undefined;
}
