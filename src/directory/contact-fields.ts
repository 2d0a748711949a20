import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { z } from 'zod';
import type { FieldProblem } from './errors.ts';

// Unicode local parts and domains are real (EAI); zod's default pattern is ASCII-only.
const emailSchema = z.email({ pattern: z.regexes.unicodeEmail });

/** Lower-cased, NFC email, or a problem naming the field. */
export function cleanEmail(value: string, field: string, problems: FieldProblem[]): string | undefined {
  const email = value.normalize('NFC').toLowerCase();
  if (email.length <= 254 && emailSchema.safeParse(email).success) return email;
  problems.push({
    field,
    code: 'invalid_email',
    message: `"${value}" is not a valid email address; use the form name@company.com.`,
  });
  return undefined;
}

/** E.164 phone ("+84912345678"). A number without + is read in the record's country. */
export function cleanPhone(options: {
  value: string;
  country: string | undefined;
  field: string;
  problems: FieldProblem[];
}): string | undefined {
  const { value, country, field, problems } = options;
  const international = value.startsWith('+') || value.startsWith('00');
  const text = value.startsWith('00') ? `+${value.slice(2)}` : value;
  if (!international && !country) {
    problems.push({
      field,
      code: 'phone_needs_country',
      message: `Phone "${value}" has no country code; write it as +<country code> <number> (e.g. +84 912 345 678) or set the record's country.`,
    });
    return undefined;
  }
  const parsed = parsePhoneNumberFromString(
    text,
    international ? undefined : (country as Parameters<typeof parsePhoneNumberFromString>[1]),
  );
  if (parsed?.isValid()) return parsed.number;
  problems.push({
    field,
    code: 'invalid_phone',
    message: `"${value}" is not a valid phone number${country && !international ? ` in ${country}` : ''}; check the digits and the country code (e.g. +49 30 1234567).`,
  });
  return undefined;
}

/** Normalized http(s) URL: scheme added when missing, host lower-cased, no trailing slash on the root. */
export function cleanWebsite(value: string, field: string, problems: FieldProblem[]): string | undefined {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`;
  try {
    const url = new URL(withScheme);
    if (
      (url.protocol === 'http:' || url.protocol === 'https:') &&
      /\.[a-z]{2,}$/i.test(url.hostname) &&
      !url.username
    ) {
      url.hash = '';
      const text = url.toString();
      return url.pathname === '/' && !url.search ? text.replace(/\/$/, '') : text;
    }
  } catch {
    // reported below
  }
  problems.push({
    field,
    code: 'invalid_website',
    message: `"${value}" is not a website address; use the form www.company.com or https://company.com.`,
  });
  return undefined;
}

const currencies = new Set(Intl.supportedValuesOf('currency'));

/** ISO 4217 code, upper-cased. */
export function cleanCurrency(value: string, field: string, problems: FieldProblem[]): string | undefined {
  const code = value.toUpperCase();
  if (/^[A-Z]{3}$/.test(code) && currencies.has(code)) return code;
  problems.push({
    field,
    code: 'invalid_currency',
    message: `"${value}" is not an ISO 4217 currency code; use a code such as USD, EUR or VND.`,
  });
  return undefined;
}

export const CODE_PATTERN = /^[A-Z0-9][A-Z0-9._-]{0,31}$/;

/** Trimmed, upper-cased record code matching CODE_PATTERN. */
export function cleanCode(value: string, field: string, problems: FieldProblem[]): string | undefined {
  const code = value.trim().toUpperCase();
  if (CODE_PATTERN.test(code)) return code;
  problems.push({
    field,
    code: 'invalid_code',
    message: `Code "${value}" must start with a letter or digit and use only letters, digits, ".", "_" or "-" (at most 32 characters), e.g. ACME-VN.`,
  });
  return undefined;
}

const GROUP_PATTERN = /^[a-z0-9][a-z0-9_-]{0,31}$/;

/** Access group names: lower-case letters, digits, "_" and "-"; duplicates dropped. */
export function cleanGroups(value: unknown, field: string, problems: FieldProblem[]): string[] | undefined {
  if (value === undefined) return undefined;
  if (value === null) return [];
  if (!Array.isArray(value) || value.length > 20) {
    problems.push({
      field,
      code: 'invalid_groups',
      message: 'Access groups must be a list of at most 20 group names.',
    });
    return undefined;
  }
  const groups = new Set<string>();
  for (const item of value) {
    const name = typeof item === 'string' ? item.trim().toLowerCase() : '';
    if (!GROUP_PATTERN.test(name)) {
      problems.push({
        field,
        code: 'invalid_group',
        message: `Access group "${String(item)}" must use lower-case letters, digits, "_" or "-" (at most 32 characters), e.g. eu-sales.`,
      });
      continue;
    }
    groups.add(name);
  }
  return [...groups].sort();
}
