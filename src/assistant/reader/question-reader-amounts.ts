import { parseAmount, SCALE_WORDS, type Token } from './question-reader-text.ts';

/** A bound written next to an amount: ">50k", "50k+", "1k-5k". */
export interface Amount {
  value: number;
  op?: 'min' | 'max';
  range?: [number, number];
}

const CURRENCY_BEFORE = new Set(['$', '€', '£', '¥', '₫', 'usd', 'eur', 'vnd', 'gbp']);
const CURRENCY_AFTER = new Set([
  ...CURRENCY_BEFORE,
  'dollars',
  'dollar',
  'euros',
  'euro',
  'bucks',
  'dong',
  'đ',
]);
const BOUND_TOKEN = /^(>=|<=|>|<|≥|≤)?(.*?)(\+)?$/;

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

/** An amount at tokens[index], with a currency or scale word around it: "$ 10k", "5 million USD". */
export function matchAmount(
  tokens: readonly Token[],
  index: number,
): { amount: Amount; length: number } | undefined {
  let at = index;
  if (CURRENCY_BEFORE.has(tokens[at]?.key ?? '') && tokens[at + 1]) at += 1;
  const token = tokens[at];
  if (!token || token.used) return undefined;
  const amount = amountOfToken(token.text);
  if (!amount) return undefined;
  at += 1;
  const scaleWord = tokens[at]?.key ?? '';
  if (SCALE_WORDS.has(scaleWord) && /\d$/.test(token.text)) {
    const scaled = parseAmount(`${token.text.replace(/^[<>=≥≤]+/, '')}${scaleWord}`);
    if (scaled !== undefined) amount.value = scaled;
    at += 1;
  }
  if (CURRENCY_AFTER.has(tokens[at]?.key ?? '')) at += 1;
  return { amount, length: at - index };
}
