import type { NewPartnerRow, PartnerRow } from '../db/schema/index.ts';
import {
  cleanCode,
  cleanCurrency,
  cleanEmail,
  cleanGroups,
  cleanPhone,
  cleanWebsite,
} from './contact-fields.ts';
import { describeCountry, resolveCountry, suggestCountry } from './country.ts';
import type { FieldProblem } from './errors.ts';
import type { PartnerChanges, PartnerKind } from './partner-schema.ts';
import { type Picture, readBase64Picture } from './picture.ts';
import { cleanDate, cleanMoney, cleanText } from './text.ts';

/** Column values an edit or create writes (drizzle property names). */
export type PartnerValues = Partial<
  Omit<NewPartnerRow, 'id' | 'kind' | 'version' | 'createdAt' | 'updatedAt' | 'createdBy' | 'updatedBy'>
>;

export interface NormalizedFields {
  values: PartnerValues;
  /** undefined: unchanged; null: remove the picture. */
  picture?: Picture | null;
  problems: FieldProblem[];
}

export const sinceField = (kind: PartnerKind) => (kind === 'customer' ? 'customerSince' : 'supplierSince');
export const totalField = (kind: PartnerKind) => (kind === 'customer' ? 'totalSales' : 'totalPurchases');
const totalLabel = (kind: PartnerKind) => (kind === 'customer' ? 'Total sales' : 'Total purchases');

const textFields = [
  ['lastName', 'Last name', 100],
  ['companyName', 'Company name', 200],
  ['nickname', 'Nickname', 100],
  ['street', 'Street', 200],
  ['address2', 'Address line 2', 200],
  ['city', 'City', 100],
  ['state', 'State', 100],
  ['postalCode', 'Postal code', 20],
] as const;

const booleanFields = ['approved', 'blockNonCompliantOrders', 'notifyOnComplianceBreach'] as const;

/**
 * Validates and normalizes partner fields for a create (`current` undefined: required fields
 * must be present) or an edit (only the given keys; null or blank clears, except required fields).
 * Every problem is collected, so the caller hears about all bad fields at once.
 */
export function normalizePartnerFields(options: {
  kind: PartnerKind;
  input: PartnerChanges;
  current?: PartnerRow;
}): NormalizedFields {
  const { kind, input, current } = options;
  const creating = current === undefined;
  const problems: FieldProblem[] = [];
  const values: PartnerValues = {};
  const has = (key: keyof PartnerChanges) => Object.hasOwn(input, key) && input[key] !== undefined;

  const otherKind = kind === 'customer' ? 'supplier' : 'customer';
  for (const [wrong, right] of [
    [totalField(otherKind), totalField(kind)],
    [sinceField(otherKind), sinceField(kind)],
  ] as const) {
    if (has(wrong)) {
      problems.push({
        field: wrong,
        code: 'wrong_kind',
        message: `${wrong} is for ${otherKind}s; for a ${kind} use ${right}.`,
        allowed: [right],
      });
    }
  }

  const required = (field: 'firstName' | 'email', label: string, max: number) => {
    if (!creating && !has(field)) return undefined;
    const value = cleanText({ value: input[field], field, label, max, problems });
    if (value === undefined && !problems.some((p) => p.field === field)) {
      problems.push({
        field,
        code: 'required',
        message: creating ? `${label} is required.` : `${label} is required and cannot be cleared.`,
      });
    }
    return value;
  };
  const firstName = required('firstName', 'First name', 100);
  if (firstName !== undefined) values.firstName = firstName;
  const email = required('email', 'Email', 254);
  if (email !== undefined) {
    const cleaned = cleanEmail(email, 'email', problems);
    if (cleaned) values.email = cleaned;
  }

  const total = totalField(kind);
  if (creating || has(total)) {
    const amount = cleanMoney({ value: input[total], field: total, label: totalLabel(kind), problems });
    if (amount !== undefined) values.total = amount;
    else if (!problems.some((p) => p.field === total)) {
      problems.push({
        field: total,
        code: 'required',
        message: `${totalLabel(kind)} is required${creating ? '' : ' and cannot be cleared'}; enter 0 when there is no history.`,
      });
    }
  }

  for (const [field, label, max] of textFields) {
    if (has(field)) values[field] = cleanText({ value: input[field], field, label, max, problems }) ?? null;
  }
  if (has('notes')) {
    values.notes =
      cleanText({
        value: input.notes,
        field: 'notes',
        label: 'Notes',
        max: 5000,
        problems,
        multiline: true,
      }) ?? null;
  }

  const since = sinceField(kind);
  if (has(since))
    values.since = cleanDate({ value: input[since], field: since, label: 'Since date', problems }) ?? null;

  if (has('code')) {
    const code = cleanText({ value: input.code, field: 'code', label: 'Code', max: 64, problems });
    if (code !== undefined) {
      const cleaned = cleanCode(code, 'code', problems);
      if (cleaned) values.code = cleaned;
    } else if (!creating && !problems.some((p) => p.field === 'code')) {
      problems.push({
        field: 'code',
        code: 'required',
        message: 'Code cannot be cleared; give a new code or leave it out.',
      });
    }
  }

  if (has('currency')) {
    const currency = cleanText({
      value: input.currency,
      field: 'currency',
      label: 'Currency',
      max: 8,
      problems,
    });
    if (currency) {
      const cleaned = cleanCurrency(currency, 'currency', problems);
      if (cleaned) values.currency = cleaned;
    }
  }

  if (has('country')) {
    const text = cleanText({ value: input.country, field: 'country', label: 'Country', max: 80, problems });
    if (text === undefined) values.country = null;
    else {
      const country = resolveCountry(text);
      if (country) values.country = country.code;
      else {
        const suggestion = suggestCountry(text);
        problems.push({
          field: 'country',
          code: 'unknown_country',
          message: `"${text}" is not a country we know${suggestion ? `; did you mean ${describeCountry(suggestion)}?` : '; use an ISO code such as VN or DE, or the English name.'}`,
          ...(suggestion ? { didYouMean: describeCountry(suggestion) } : {}),
        });
      }
    }
  }

  const countryForPhone =
    values.country !== undefined ? (values.country ?? undefined) : (current?.country ?? undefined);
  if (has('phone')) {
    const phone = cleanText({ value: input.phone, field: 'phone', label: 'Phone', max: 40, problems });
    values.phone = phone
      ? (cleanPhone({ value: phone, country: countryForPhone, field: 'phone', problems }) ?? null)
      : null;
  }

  if (has('website')) {
    const website = cleanText({
      value: input.website,
      field: 'website',
      label: 'Website',
      max: 500,
      problems,
    });
    values.website = website ? (cleanWebsite(website, 'website', problems) ?? null) : null;
  }

  if (has('employees')) {
    const employees = input.employees;
    if (employees === null) values.employees = null;
    else if (
      typeof employees === 'number' &&
      Number.isInteger(employees) &&
      employees >= 0 &&
      employees <= 10_000_000
    ) {
      values.employees = employees;
    } else {
      problems.push({
        field: 'employees',
        code: 'invalid_number',
        message: 'Employees must be a whole number from 0 to 10,000,000.',
      });
    }
  }

  for (const field of booleanFields) {
    if (!has(field)) continue;
    if (input[field] !== null) values[field] = input[field] as boolean;
    else if (!creating) {
      problems.push({
        field,
        code: 'required',
        message: `${field} must be true or false; it cannot be cleared.`,
      });
    }
  }

  if (has('accessGroups')) {
    const groups = cleanGroups(input.accessGroups, 'accessGroups', problems);
    if (groups) values.accessGroups = groups;
  }

  let picture: Picture | null | undefined;
  if (has('picture')) {
    picture = input.picture === null ? null : readBase64Picture(input.picture!.base64, 'picture', problems);
  }

  return { values, picture, problems };
}
