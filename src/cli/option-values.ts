import { InvalidArgumentError } from 'commander';
import { closest, distance } from 'fastest-levenshtein';
import { partnerKinds } from '../directory/partners/partner-schema.ts';

/**
 * Option parsers that refuse a bad value at once, naming what is allowed (commander prints
 * "error: option '--limit <n>' argument 'abc' is invalid. <our message>" and exits 1).
 */

/** A whole number from min to max: "--limit 50". */
export function wholeNumber(options: { min: number; max: number; example: number }) {
  return (value: string): number => {
    const n = Number(value.replaceAll(',', '').replaceAll('_', ''));
    if (!/^\s*[\d,_]+\s*$/.test(value) || !Number.isInteger(n) || n < options.min || n > options.max)
      throw new InvalidArgumentError(
        `Use a whole number from ${options.min} to ${options.max.toLocaleString('en-US')}, e.g. ${options.example}.`,
      );
    return n;
  };
}

/** An amount of money of zero or more, in the record's currency: "--min-total 10000" or "10,000.50". */
export function amount(value: string): number {
  const n = Number(value.replaceAll(',', '').replaceAll('_', ''));
  if (!/^\s*[\d,_]*\.?\d*\s*$/.test(value) || value.trim() === '' || !Number.isFinite(n) || n < 0)
    throw new InvalidArgumentError(
      'Use an amount of zero or more without a currency, e.g. 10000 or 2500.50.',
    );
  return n;
}

/** The closest allowed value to a misspelt one, when one is close enough to be a typo ("defaultCurency"). */
export function didYouMean(value: string, allowed: readonly string[]): string | undefined {
  if (!allowed.length || value.length < 2) return undefined;
  const best = closest(
    value.toLowerCase(),
    allowed.map((a) => a.toLowerCase()),
  );
  const index = allowed.findIndex((a) => a.toLowerCase() === best);
  return distance(value.toLowerCase(), best) <= Math.max(2, Math.floor(value.length / 3))
    ? allowed[index]
    : undefined;
}

/** One of a closed list, case-insensitive, with words people use for it (aliases). */
export function oneOf(allowed: readonly string[], aliases: Record<string, string> = {}) {
  return (value: string): string => {
    const given = value.trim().toLowerCase();
    if (allowed.includes(given)) return given;
    if (aliases[given]) return aliases[given];
    const suggestion = didYouMean(given, allowed);
    throw new InvalidArgumentError(
      `Use one of: ${allowed.join(', ')}.${suggestion ? ` Did you mean ${suggestion}?` : ''}`,
    );
  };
}

/** Words people use for the two kinds ("vendors", "clients"), read as the kind. */
export const kindAliases: Record<string, string> = {
  customers: 'customer',
  client: 'customer',
  clients: 'customer',
  buyer: 'customer',
  buyers: 'customer',
  suppliers: 'supplier',
  vendor: 'supplier',
  vendors: 'supplier',
  seller: 'supplier',
  sellers: 'supplier',
};

/** --kind customer|supplier (also "vendors", "customers", ...). */
export const kindOption = oneOf(partnerKinds, kindAliases);

/** A repeatable, comma-separated list: "--country VN --country DE" or "--country VN,DE". */
export function list(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean),
  ];
}
