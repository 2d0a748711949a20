import { parseAmount, SCALE_WORDS, type Token } from './question-reader-text.ts';

/** A bound written next to an amount: ">50k", "50k+", "1k-5k", and the currency it was written in. */
export interface Amount {
  value: number;
  op?: 'min' | 'max';
  range?: [number, number];
  /** ISO code of a currency sign or word written with the amount ("€75k", "75k USD"). */
  currency?: string;
}

/** Currency signs and words, as ISO codes. "¥" is read as JPY ("RMB"/"CNY"/"yuan" for China). */
const CURRENCIES: Record<string, string> = {
  $: 'USD',
  '€': 'EUR',
  '£': 'GBP',
  '¥': 'JPY',
  '₫': 'VND',
  đ: 'VND',
  usd: 'USD',
  eur: 'EUR',
  vnd: 'VND',
  gbp: 'GBP',
  jpy: 'JPY',
  cny: 'CNY',
  rmb: 'CNY',
  yuan: 'CNY',
  yen: 'JPY',
  dollars: 'USD',
  dollar: 'USD',
  bucks: 'USD',
  euros: 'EUR',
  euro: 'EUR',
  dong: 'VND',
  pounds: 'GBP',
};
const CURRENCY_BEFORE = new Set(['$', '€', '£', '¥', '₫', 'usd', 'eur', 'vnd', 'gbp', 'jpy', 'cny', 'rmb']);
const CURRENCY_AFTER = new Set(Object.keys(CURRENCIES));
const BOUND_TOKEN = /^(>=|<=|>|<|≥|≤)?(.*?)(\+)?$/;
const SIGN = /^(?:>=|<=|>|<|≥|≤)?([$€£¥₫])|([$€£¥₫đ])\+?$/;

function amountOfToken(text: string): Amount | undefined {
  const range = /^([$€£]?\d[\d.,]*(?:k|m|bn)?)[-–]([$€£]?\d[\d.,]*(?:k|m|bn)?)$/i.exec(text);
  if (range?.[1] && range[2]) {
    const low = parseAmount(range[1]);
    const high = parseAmount(range[2]);
    if (low !== undefined && high !== undefined) return { value: low, range: [low, high] };
  }
  const [, op, body = '', plus] = BOUND_TOKEN.exec(text) ?? [];
  if (!/\d/.test(body)) return undefined;
  const value = parseAmount(body);
  if (value === undefined) return undefined;
  if (op) return { value, op: op.startsWith('<') || op === '≤' ? 'max' : 'min' };
  return plus ? { value, op: 'min' } : { value };
}

/** "75 000", "1 500 000": digit groups written with spaces, joined back into one number. */
function groupedDigits(tokens: readonly Token[], at: number): { text: string; length: number } {
  let text = tokens[at]?.text ?? '';
  let length = 1;
  if (!/^[$€£¥₫]?\d{1,3}$/.test(text)) return { text, length };
  while (/^\d{3}$/.test(tokens[at + length]?.text ?? '') && !tokens[at + length]?.used) {
    text += tokens[at + length]?.text;
    length += 1;
  }
  return { text, length };
}

/**
 * An amount at tokens[index], with a currency or scale word around it: "$ 10k", "5 million USD",
 * "75 000", "€75k". The currency is kept for the answer to check against the records'.
 */
export function matchAmount(
  tokens: readonly Token[],
  index: number,
): { amount: Amount; length: number } | undefined {
  let at = index;
  let currency: string | undefined;
  if (CURRENCY_BEFORE.has(tokens[at]?.key ?? '') && tokens[at + 1]) {
    currency = CURRENCIES[tokens[at]?.key ?? ''];
    at += 1;
  }
  const token = tokens[at];
  if (!token || token.used) return undefined;
  const grouped = groupedDigits(tokens, at);
  const amount = amountOfToken(grouped.text);
  if (!amount) return undefined;
  const sign = SIGN.exec(grouped.text);
  currency ??= CURRENCIES[sign?.[1] ?? sign?.[2] ?? ''];
  at += grouped.length;
  const scaleWord = tokens[at]?.key ?? '';
  if (SCALE_WORDS.has(scaleWord) && /\d$/.test(grouped.text)) {
    const scaled = parseAmount(`${grouped.text.replace(/^[<>=≥≤]+/, '')}${scaleWord}`);
    if (scaled !== undefined) amount.value = scaled;
    at += 1;
  }
  const after = tokens[at]?.key ?? '';
  if (CURRENCY_AFTER.has(after)) {
    currency ??= CURRENCIES[after];
    at += 1;
  }
  if (currency) amount.currency = currency;
  return { amount, length: at - index };
}
