import { domainToASCII, domainToUnicode } from 'node:url';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { FieldProblem } from '../errors.ts';
import { partnerTextRules } from '../partners/partner-field-rules.ts';

// The mailbox part: RFC 5322 dot-atom, with letters and digits of any script (RFC 6531, so
// "zoë@example.com" is accepted deliberately); no quoted strings, spaces or brackets.
const localPart = /^[\p{L}\p{M}\p{N}!#$%&'*+/=?^_`{|}~-]+(?:\.[\p{L}\p{M}\p{N}!#$%&'*+/=?^_`{|}~-]+)*$/u;
const domainLabel = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const topLevel = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

/**
 * A deliverable mailbox address, or a problem naming the field: compatibility forms folded
 * (NFKC, so a fullwidth "ｄｕｐｅ@example.test" is "dupe@example.test"), lower-cased, a
 * local part without leading, trailing or doubled dots, and a domain name with a dot (an
 * internationalized domain is kept in its Unicode form). IP literals are refused.
 */
export function cleanEmail(value: string, field: string, problems: FieldProblem[]): string | undefined {
  const email = value.normalize('NFKC').toLowerCase();
  const at = email.lastIndexOf('@');
  const local = email.slice(0, at);
  const ascii = at > 0 ? domainToASCII(email.slice(at + 1)) : '';
  const labels = ascii.split('.');
  const reason =
    at <= 0
      ? 'it has no name before the @'
      : !localPart.test(local) || local.length > 64
        ? local.includes('..') || local.startsWith('.') || local.endsWith('.')
          ? 'the part before the @ has a misplaced dot'
          : 'the part before the @ may use only letters, digits and . _ + - (no spaces or brackets)'
        : !ascii || labels.length < 2 || !labels.every((label) => domainLabel.test(label))
          ? 'the part after the @ is not a domain name such as company.com'
          : !topLevel.test(labels.at(-1)!)
            ? 'the domain must end in a name such as .com or .vn (IP addresses are not accepted)'
            : undefined;
  const cleaned = reason ? undefined : `${local}@${domainToUnicode(ascii)}`;
  if (cleaned && cleaned.length <= 254) return cleaned;
  problems.push({
    field,
    code: 'invalid_email',
    message: `"${value}" is not a valid email address (${reason ?? 'it is longer than 254 characters'}); use the form name@company.com.`,
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
  if (parsed?.isValid() && parsed.ext) {
    problems.push({
      field,
      code: 'phone_extension',
      message: `Phone "${value}" has an extension (${parsed.ext}), which the phone field cannot hold; save the number without it and put the extension in notes.`,
    });
    return undefined;
  }
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

export const CODE_PATTERN = new RegExp(`^[A-Z0-9][A-Z0-9._-]{0,${partnerTextRules.code.max - 1}}$`);

/** Trimmed, upper-cased record code matching CODE_PATTERN. */
export function cleanCode(value: string, field: string, problems: FieldProblem[]): string | undefined {
  const code = value.trim().toUpperCase();
  if (CODE_PATTERN.test(code)) return code;
  problems.push({
    field,
    code: 'invalid_code',
    message: `Code "${value}" must start with a letter or digit and use only letters, digits, ".", "_" or "-" (at most ${partnerTextRules.code.max} characters), e.g. ACME-VN.`,
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
