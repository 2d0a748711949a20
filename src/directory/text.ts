import type { FieldProblem } from './errors.ts';

const invisible = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
const controlChars = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/**
 * Cleans one free-text value: NFC, zero-width characters removed, trimmed. Blank (including
 * whitespace-only and zero-width-only) becomes undefined. NUL and other control characters,
 * and values over `max` characters, are reported as problems.
 */
export function cleanText(options: {
  value: unknown;
  field: string;
  label: string;
  max: number;
  problems: FieldProblem[];
  multiline?: boolean;
}): string | undefined {
  const { value, field, label, max, problems, multiline } = options;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    problems.push({ field, code: 'invalid_type', message: `${label} must be text.` });
    return undefined;
  }
  const cleaned = value.normalize('NFC').replace(invisible, '').trim();
  if (!cleaned) return undefined;
  if (controlChars.test(cleaned) || (!multiline && /[\r\n]/.test(cleaned))) {
    problems.push({
      field,
      code: 'invalid_characters',
      message: `${label} contains control characters${multiline ? '' : ' or line breaks'}; remove them.`,
    });
    return undefined;
  }
  if (cleaned.length > max) {
    problems.push({
      field,
      code: 'too_long',
      message: `${label} is ${cleaned.length} characters long; the limit is ${max}.`,
    });
    return undefined;
  }
  return cleaned;
}

/** Strict YYYY-MM-DD calendar date (no 2026-02-30), years 1900 to 2199. */
export function isIsoDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1900 || year > 2199) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Reads a date field; reports anything that is not a real YYYY-MM-DD date. */
export function cleanDate(options: {
  value: unknown;
  field: string;
  label: string;
  problems: FieldProblem[];
}): string | undefined {
  const { value, field, label, problems } = options;
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string' && isIsoDate(value.trim())) return value.trim();
  problems.push({
    field,
    code: 'invalid_date',
    message: `${label} must be a date written YYYY-MM-DD, e.g. 2024-03-15.`,
  });
  return undefined;
}

const MAX_MONEY = 999_999_999_999.99;

/** Reads an amount of money (number or numeric text, >= 0, at most 2 decimals) as a "1234.50" string. */
export function cleanMoney(options: {
  value: unknown;
  field: string;
  label: string;
  problems: FieldProblem[];
}): string | undefined {
  const { value, field, label, problems } = options;
  if (value === undefined || value === null || value === '') return undefined;
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  const match = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) {
    const negative = /^-/.test(text);
    problems.push({
      field,
      code: negative ? 'negative' : 'invalid_amount',
      message: negative
        ? `${label} cannot be negative; enter 0 when there is no history.`
        : `${label} must be an amount such as 12500 or 12500.50 (digits, at most 2 decimals, no currency sign).`,
    });
    return undefined;
  }
  const amount = `${match[1]}.${(match[2] ?? '').padEnd(2, '0')}`;
  if (Number(amount) > MAX_MONEY) {
    problems.push({
      field,
      code: 'too_large',
      message: `${label} is larger than the limit of 999,999,999,999.99.`,
    });
    return undefined;
  }
  return amount;
}
