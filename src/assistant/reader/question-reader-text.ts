import { resolveCountry } from '../../directory/values/country.ts';
import { markFillerPhrases, STOP_WORDS, US_AFTER } from './question-reader-filler.ts';

/** One word or punctuation mark of a question, with its place in the cleaned text. */
export interface Token {
  /** As written, surrounding punctuation peeled off. */
  text: string;
  /** Lower case, accents stripped, curly apostrophes straightened: what rules compare. */
  key: string;
  start: number;
  end: number;
  /** No letter or digit in it ("," "?" "&" "$" ">"). */
  punct: boolean;
  /** Taken by a recognised phrase. */
  used: boolean;
  /** A capitalised word in a name question ("find New Age Textiles"): never read as a filter. */
  guarded: boolean;
  /** Written in capitals in a message that is not all capitals ("IT suppliers"): never filler. */
  emphasised: boolean;
  /** Part of a politeness phrase from the closed filler list ("could you", "good morning"). */
  filler?: boolean;
  /** Written before "-based" ("France-based"): a place, like a word after "in". */
  based?: boolean;
  /** The word as typed when the reader read it as a vocabulary word (a typo). */
  typed?: string;
  /** Close to two vocabulary words at once ("Nigera": Niger or Nigeria): never read as anything. */
  ambiguous?: boolean;
  role?: string;
}

/** Lower-cased, accent-free, straight-apostrophe form of a word. */
export function wordKey(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[’‘`]/g, "'");
}

/** Slack's flag shortcodes (":flag-vn:", ":de:") as the flag emoji; other emoji codes dropped. */
const emojiCode = (_: string, name: string): string => {
  const code = /^(?:flag-)?([a-z]{2})$/i.exec(name)?.[1]?.toUpperCase();
  const country = code ? resolveCountry(code) : undefined;
  if (!country) return ' ';
  return String.fromCodePoint(...[...country.code].map((letter) => 0x1f1e6 + letter.charCodeAt(0) - 65));
};

const unwrapSlack = (inner: string): string => {
  if (/^[@#!]/.test(inner)) return ' ';
  const [target = '', label] = inner.split('|');
  return label ?? target.replace(/^(mailto|tel):/i, '');
};

/**
 * Undoes what Slack does to a message: mentions (`<@U123>`, or typed as `@partnerbook`), channel
 * and special mentions dropped; links and mailto links unwrapped to their label; `&amp; &lt; &gt;` decoded; the
 * `/partners` command word, emoji codes (flags become flag emoji), markdown markers and curly
 * quotes removed; commas spaced.
 */
export function cleanSlackText(text: string): string {
  return text
    .replace(/[\u00a0\u2000-\u200b]/g, ' ')
    .replace(/<([^<>]*)>/g, (_, inner: string) => unwrapSlack(inner))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/(?<![\w:]):([a-z][a-z0-9_+-]*):(?!\w)/gi, emojiCode)
    .replace(/(?<![^\s(,])@[a-z][\w-]*(?![\w.@-])/gi, ' ')
    .replace(/[“”]/g, '"')
    .replace(/[’‘]/g, "'")
    .replace(/```/g, ' ')
    .replace(/(^|[\s(])[*_~`]+(?=\S)/g, '$1')
    .replace(/(?<=\S)[*_~`]+(?=$|[\s),.?!:;])/g, '')
    .replace(/^\s*\/partners\b/i, ' ')
    .replace(/,(?=[^\s\d])/g, ', ')
    .replace(/\s+/g, ' ')
    .trim();
}

const LEADING = /["'([{¿¡]/;
const TRAILING = /["')\]},;:!?.]/;

function makeToken(text: string, start: number, shouted = false): Token {
  return {
    text,
    key: wordKey(text),
    start,
    end: start + text.length,
    punct: !/[\p{L}\p{N}]/u.test(text),
    used: false,
    guarded: false,
    emphasised: !shouted && /^\p{Lu}{2,}$/u.test(text),
  };
}

/** The whole message is in capitals (at least one word of 4+ letters and no lower case). */
export function isShouted(text: string): boolean {
  return !/\p{Ll}/u.test(text) && /\p{L}{4,}/u.test(text);
}

/** "FR/JP", "and/or": words joined by slashes (not "w/o", "n/a", "c/o", where a side is one letter). */
const SLASHED = /^\p{L}{2,}(?:\/\p{L}{2,})+$/u;
/** "France-based", "UK-based": a place and "based". */
const BASED = /^(.+)-based$/i;

/** The word itself, split at slashes ("FR/JP") or before "-based", as tokens. */
function coreTokens(text: string, start: number, shouted: boolean): Token[] {
  if (SLASHED.test(text)) {
    const tokens: Token[] = [];
    let at = start;
    text.split('/').forEach((part, index) => {
      if (index > 0) tokens.push(makeToken('/', at++));
      tokens.push(makeToken(part, at, shouted));
      at += part.length;
    });
    return tokens;
  }
  const based = BASED.exec(text);
  if (based?.[1]) {
    const place = makeToken(based[1], start, shouted);
    place.based = true;
    return [place, makeToken('based', start + based[1].length + 1, shouted)];
  }
  return [makeToken(text, start, shouted)];
}

/**
 * Splits cleaned text into words and the punctuation around them ("U.S." keeps its dots), and
 * marks the politeness phrases of the closed filler list.
 */
export function tokenize(text: string): Token[] {
  const shouted = isShouted(text);
  const tokens: Token[] = [];
  for (const match of text.matchAll(/\S+/g)) {
    let start = match.index;
    let end = start + match[0].length;
    const before: Token[] = [];
    const after: Token[] = [];
    while (start < end - 1 && LEADING.test(text[start] ?? '')) {
      before.push(makeToken(text[start] ?? '', start));
      start += 1;
    }
    while (end > start + 1 && TRAILING.test(text[end - 1] ?? '')) {
      if (text[end - 1] === '.' && /^(?:[a-z]\.)+$/i.test(text.slice(start, end))) break;
      after.unshift(makeToken(text[end - 1] ?? '', end - 1));
      end -= 1;
    }
    tokens.push(...before, ...coreTokens(text.slice(start, end), start, shouted), ...after);
  }
  markFillerPhrases(tokens);
  return tokens;
}

/** Whether a token says nothing: punctuation, a stop word or filler, or the pronoun "us". */
export function isFiller(tokens: readonly Token[], index: number): boolean {
  const token = tokens[index];
  if (!token) return true;
  if (token.punct || token.filler) return true;
  if (token.emphasised) return false;
  if (token.key === 'us') return US_AFTER.has(tokens[index - 1]?.key ?? '');
  return STOP_WORDS.has(token.key);
}

const SCALES: Record<string, number> = {
  k: 1e3,
  thousand: 1e3,
  grand: 1e3,
  m: 1e6,
  mn: 1e6,
  mm: 1e6,
  million: 1e6,
  b: 1e9,
  bn: 1e9,
  billion: 1e9,
};
export const SCALE_WORDS = new Set(Object.keys(SCALES));

function parsePlainNumber(raw: string): number | undefined {
  const text = raw.replace(/[.,]$/, '');
  const lastDot = text.lastIndexOf('.');
  const lastComma = text.lastIndexOf(',');
  let plain = text;
  if (lastDot >= 0 && lastComma >= 0) {
    plain = lastDot > lastComma ? text.replace(/,/g, '') : text.replace(/\./g, '').replace(',', '.');
  } else if (lastComma >= 0) {
    if (/^\d{1,3}(?:,\d{3})+$/.test(text)) plain = text.replace(/,/g, '');
    else if (/^\d+,\d+$/.test(text)) plain = text.replace(',', '.');
    else return undefined;
  } else if (lastDot >= 0 && /^\d{1,3}(?:\.\d{3}){2,}$/.test(text)) {
    plain = text.replace(/\./g, '');
  }
  if (!/^\d+(?:\.\d+)?$/.test(plain)) return undefined;
  return Number(plain);
}

/**
 * An amount as people write it: "50k", "$10,000", "€2k", "1.5m", "1.000.000", "12 500 USD".
 * Undefined when the text is not one amount.
 */
export function parseAmount(raw: string): number | undefined {
  const text = raw
    .toLowerCase()
    .replace(/\s+/g, '')
    .replace(/^(?:[$€£¥₫]|usd|eur|vnd|gbp)/, '')
    .replace(/(?:[$€£¥₫đ]|usd|eur|vnd|gbp|dollars?|euros?|dong)$/, '');
  const match = /^(\d[\d.,]*?)(k|thousand|grand|mn|mm|m|million|bn|b|billion)?$/.exec(text);
  if (!match?.[1]) return undefined;
  const value = parsePlainNumber(match[1]);
  if (value === undefined) return undefined;
  const scaled = value * (match[2] ? (SCALES[match[2]] ?? 1) : 1);
  return Math.round(scaled * 100) / 100;
}

/** "50,000": an amount as the reader repeats it back. */
export function formatAmount(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

const ABBREVIATIONS = /^(?:ltd|inc|co|corp|jsc|st|bros|pte|pty|plc|llc|gmbh|ag)\.$/i;

/** Trims a value taken from a sentence: quotes around it, a closing "?" "!" or sentence dot. */
export function cleanValue(raw: string): string {
  let value = raw
    .trim()
    .replace(/[?!]+$/, '')
    .trim();
  const lastWord = value.split(/\s+/).at(-1) ?? '';
  if (value.endsWith('.') && !/\..*\.$/.test(lastWord) && !ABBREVIATIONS.test(lastWord)) {
    value = value.slice(0, -1).trim();
  }
  const quoted = /^(["'])(.*)\1$/.exec(value);
  return quoted ? (quoted[2] ?? '').trim() : value;
}
