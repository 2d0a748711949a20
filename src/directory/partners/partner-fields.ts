import type { NewPartnerRow, PartnerRow } from '../../db/schema/index.ts';
import type { FieldProblem } from '../errors.ts';
import {
  cleanCode,
  cleanCurrency,
  cleanEmail,
  cleanGroups,
  cleanPhone,
  cleanWebsite,
} from '../values/contact-fields.ts';
import { readCountry } from '../values/country.ts';
import { cleanDate, cleanMoney, cleanText } from '../values/text.ts';
import {
  type PartnerTextField,
  partnerTextRules,
  sinceField,
  totalField,
  totalLabel,
} from './partner-field-rules.ts';
import type { PartnerChanges, PartnerKind } from './partner-schema.ts';
import { type Picture, readBase64Picture } from './picture.ts';

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

/** Reads one text field by its rule in the field table. */
const readText = (field: PartnerTextField, value: unknown, problems: FieldProblem[]) =>
  cleanText({ value, field, problems, ...partnerTextRules[field] });

const plainTextFields = [
  'lastName',
  'companyName',
  'nickname',
  'notes',
  'street',
  'address2',
  'city',
  'state',
  'postalCode',
] as const satisfies PartnerTextField[];

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

  const required = (field: 'firstName' | 'email') => {
    if (!creating && !has(field)) return undefined;
    const value = readText(field, input[field], problems);
    const { label } = partnerTextRules[field];
    if (value === undefined && !problems.some((p) => p.field === field)) {
      problems.push({
        field,
        code: 'required',
        message: creating ? `${label} is required.` : `${label} is required and cannot be cleared.`,
      });
    }
    return value;
  };
  const firstName = required('firstName');
  if (firstName !== undefined) values.firstName = firstName;
  const email = required('email');
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

  for (const field of plainTextFields) {
    if (has(field)) values[field] = readText(field, input[field], problems) ?? null;
  }

  const since = sinceField(kind);
  if (has(since))
    values.since = cleanDate({ value: input[since], field: since, label: 'Since date', problems }) ?? null;

  if (has('code')) {
    const code = readText('code', input.code, problems);
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
    const currency = readText('currency', input.currency, problems);
    if (currency) {
      const cleaned = cleanCurrency(currency, 'currency', problems);
      if (cleaned) values.currency = cleaned;
    }
  }

  if (has('country')) {
    const text = readText('country', input.country, problems);
    if (text === undefined) values.country = null;
    else {
      const code = readCountry({ text, field: 'country', problems });
      if (code) values.country = code;
    }
  }

  const countryForPhone =
    values.country !== undefined ? (values.country ?? undefined) : (current?.country ?? undefined);
  if (has('phone')) {
    const phone = readText('phone', input.phone, problems);
    values.phone = phone
      ? (cleanPhone({ value: phone, country: countryForPhone, field: 'phone', problems }) ?? null)
      : null;
  }

  if (has('website')) {
    const website = readText('website', input.website, problems);
    const url = website ? cleanWebsite(website, 'website', problems) : undefined;
    if (url && url.length > partnerTextRules.website.max) {
      problems.push({
        field: 'website',
        code: 'too_long',
        message: `Website is ${url.length} characters long written in full (${url.slice(0, 40)}...); the limit is ${partnerTextRules.website.max}.`,
      });
    }
    values.website = url ?? null;
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
