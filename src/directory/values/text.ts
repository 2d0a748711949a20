import type { FieldProblem } from '../errors.ts';

// Zero-width characters other than the joiner, soft hyphen and BOM: never meaningful in our fields.
const invisible = /[\u200B\u200C\u2060\uFEFF\u00AD]/g;
// A zero-width joiner is kept only between two emoji ("👩‍💻"); anywhere else it hides text.
const strayJoiner = /(?<!\p{Extended_Pictographic}\uFE0F?)\u200D|\u200D(?!\p{Extended_Pictographic})/gu;
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
const controlChars = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
// Embeddings, overrides and isolates (U+202A-202E, U+2066-2069) reorder the text around them;
// the marks (U+200E, U+200F, U+061C) are invisible too. None belongs in a one-line field.
const bidiControls = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;
const bidiOverrides = /[\u202A-\u202E\u2066-\u2069]/;
const visible = /[\p{L}\p{N}\p{P}\p{S}]/u;

/**
 * The one input rule for text from any caller: true when the string holds NUL or another
 * control character (tab, line feed and carriage return excepted). PostgreSQL cannot store NUL,
 * and no field of ours means the others.
 */
export function hasControlCharacters(value: string): boolean {
  return controlChars.test(value);
}

/**
 * Every string inside a JSON value that breaks the input rule, as field problems named by
 * path ("changes.city", "countries[1]"). Tool input goes through this before anything else.
 */
export function controlCharacterProblems(value: unknown, path = ''): FieldProblem[] {
  if (typeof value === 'string') {
    return hasControlCharacters(value)
      ? [
          {
            field: path || 'input',
            code: 'invalid_characters',
            message: `${path || 'The input'} contains a NUL or another control character; remove it.`,
          },
        ]
      : [];
  }
  if (Array.isArray(value))
    return value.flatMap((item, index) => controlCharacterProblems(item, `${path}[${index}]`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => [
      ...controlCharacterProblems(key, path ? `${path}.${key}` : key).map((problem) => ({
        ...problem,
        message: `The field name ${JSON.stringify(key.replace(controlChars, '?'))} contains a control character.`,
      })),
      ...controlCharacterProblems(item, path ? `${path}.${key}` : key),
    ]);
  }
  return [];
}

/**
 * Cleans one free-text value: NFC, invisible characters removed (a zero-width joiner is kept
 * inside an emoji sequence), trimmed. Blank (including whitespace-only and zero-width-only)
 * becomes undefined. Control characters, text-direction controls in one-line fields (overrides
 * in notes), a name with no visible character, and values over `max` characters are problems.
 */
export function cleanText(options: {
  value: unknown;
  field: string;
  label: string;
  max: number;
  problems: FieldProblem[];
  multiline?: boolean;
  /** A name must show at least one letter, digit, punctuation mark or symbol. */
  name?: boolean;
}): string | undefined {
  const { value, field, label, max, problems, multiline } = options;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    problems.push({ field, code: 'invalid_type', message: `${label} must be text.` });
    return undefined;
  }
  const cleaned = value.normalize('NFC').replace(invisible, '').replace(strayJoiner, '').trim();
  if (!cleaned) return undefined;
  if (controlChars.test(cleaned) || (!multiline && /[\r\n]/.test(cleaned))) {
    problems.push({
      field,
      code: 'invalid_characters',
      message: `${label} contains control characters${multiline ? '' : ' or line breaks'}; remove them.`,
    });
    return undefined;
  }
  if ((multiline ? bidiOverrides : bidiControls).test(cleaned)) {
    problems.push({
      field,
      code: 'invalid_characters',
      message: `${label} contains invisible text-direction characters (such as U+202E) that change how it reads; type it again without them.`,
    });
    return undefined;
  }
  if (!visible.test(cleaned)) {
    problems.push({
      field,
      code: options.name ? 'no_visible_characters' : 'invalid_characters',
      message: `${label} has no visible character; type a ${options.name ? 'name' : 'value'} people can read.`,
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

/** Reads a date field; reports anything that is not a real YYYY-MM-DD date, saying which part is wrong. */
export function cleanDate(options: {
  value: unknown;
  field: string;
  label: string;
  problems: FieldProblem[];
}): string | undefined {
  const { value, field, label, problems } = options;
  if (value === undefined || value === null || value === '') return undefined;
  const text = typeof value === 'string' ? value.trim() : '';
  if (isIsoDate(text)) return text;
  const parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const year = Number(parts?.[1]);
  problems.push({
    field,
    code: 'invalid_date',
    message: !parts
      ? `${label} must be a date written YYYY-MM-DD, e.g. 2024-03-15.`
      : year < 1900 || year > 2199
        ? `${label} ${text} is out of range; use a year from 1900 to 2199.`
        : `${label} ${text} is not a day of the calendar; check the month and the day.`,
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
  const text =
    typeof value === 'number'
      ? Math.abs(value) >= 1e15 && Number.isFinite(value)
        ? value.toLocaleString('en-US', { useGrouping: false })
        : String(value)
      : typeof value === 'string'
        ? value.trim()
        : '';
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match || (match[2]?.length ?? 0) > 2) {
    const negative = /^-\s*\d/.test(text);
    problems.push({
      field,
      code: negative ? 'negative' : match ? 'too_many_decimals' : 'invalid_amount',
      message: negative
        ? `${label} cannot be negative; enter 0 when there is no history.`
        : match
          ? `${label} has more than 2 decimals; round it to cents, e.g. ${Number(text).toFixed(2)}.`
          : `${label} must be an amount such as 12500 or 12500.50 (digits, at most 2 decimals, no currency sign).`,
    });
    return undefined;
  }
  const whole = match[1]!.replace(/^0+(?=\d)/, '');
  const amount = `${whole}.${(match[2] ?? '').padEnd(2, '0')}`;
  if (whole.length > 12 || Number(amount) > MAX_MONEY) {
    problems.push({
      field,
      code: 'too_large',
      message: `${label} ${text} is larger than the limit of 999,999,999,999.99.`,
    });
    return undefined;
  }
  return amount;
}
