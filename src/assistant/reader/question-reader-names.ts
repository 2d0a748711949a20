import { isFiller, type Token } from './question-reader-text.ts';

const compile = (specs: string[]) => specs.map((spec) => spec.split(' ').map((part) => part.split('|')));

/**
 * Openings of a question about one partner by name: "who is Acme", "find Nguyen". After these a
 * country needs "in"/"from" ("find Vietnam Airlines" is a name).
 */
const NAME_OPENINGS = compile([
  'who is|was',
  "who's|whos",
  'find',
  'find me',
  'look up',
  'lookup',
  'search for',
  'tell me about',
  'what do we know about',
  'info|information|details on|about|for|of',
]);
/** Openings that are as often a plain search ("show me inactive suppliers"): a name only if words are left. */
const LOOSE_OPENINGS = compile([
  'show',
  'show me',
  'search',
  'searching for',
  'look for',
  'looking for',
  'what about',
  'do we have',
  'is there',
  'are there',
]);
/** Words that introduce a name anywhere: "suppliers named Acme", "contact at Acme". */
const NAME_INTRODUCERS = compile([
  'named|called|matching|containing',
  'contact|contacts at|for|of',
  'contact person at|for',
  'contact details of|for',
  'email|phone|address|website of|for',
  'phone number of|for',
  'email address of|for',
  'with the name',
  'whose name is|contains',
  'name contains',
]);

function matchWords(tokens: readonly Token[], index: number, pattern: string[][]): number {
  for (const [offset, options] of pattern.entries()) {
    const token = tokens[index + offset];
    if (!token || token.used || !options.includes(token.key)) return 0;
  }
  return pattern.length;
}

const longest = (tokens: readonly Token[], index: number, patterns: string[][][]) =>
  Math.max(0, ...patterns.map((pattern) => matchWords(tokens, index, pattern)));

/**
 * Marks the words that open a name question and says where the name may start and whether the
 * opening is a strict one (a name question from the start) or a loose one.
 */
export function markNameOpening(tokens: Token[]): { start: number; strict: boolean } | undefined {
  let opening: { start: number; strict: boolean } | undefined;
  const take = (index: number, length: number, strict: boolean, role = 'opening') => {
    for (const token of tokens.slice(index, index + length)) {
      token.used = true;
      token.role = role;
    }
    if (!opening || index + length < opening.start) opening = { start: index + length, strict };
    else opening.strict ||= strict;
  };
  for (let index = 0; index < tokens.length; index += 1) {
    const strict = longest(tokens, index, NAME_OPENINGS);
    const loose = longest(tokens, index, LOOSE_OPENINGS);
    if (strict || loose) {
      take(index, Math.max(strict, loose), strict >= loose);
      break;
    }
    if (!isFiller(tokens, index)) break;
  }
  for (let index = 0; index < tokens.length; index += 1) {
    const length = longest(tokens, index, NAME_INTRODUCERS);
    if (length === 0 || tokens[index]?.used) continue;
    take(index, length, true, 'introducer');
    index += length - 1;
  }
  return opening;
}

/** Every word capitalised ("Who Is Active Sports"): capitals then say nothing about names. */
export function isTitleCase(tokens: readonly Token[]): boolean {
  const words = tokens.filter((token) => /^\p{L}/u.test(token.text));
  return words.length >= 3 && words.every((token) => /^\p{Lu}/u.test(token.text));
}

/** A stretch of words no phrase took: its text as written and where it lies among the tokens. */
export interface Leftover {
  text: string;
  first: number;
  last: number;
}

/**
 * The stretches of words no phrase took, in their original text (case, accents, inner
 * punctuation kept), without filler or punctuation at their ends or a final "'s".
 */
export function leftoverRuns(text: string, tokens: readonly Token[]): Leftover[] {
  const runs: Leftover[] = [];
  let index = 0;
  while (index < tokens.length) {
    if (tokens[index]?.used) {
      index += 1;
      continue;
    }
    let end = index;
    while (end + 1 < tokens.length && !tokens[end + 1]?.used) end += 1;
    let first = index;
    let last = end;
    const empty = (at: number) => {
      const token = tokens[at];
      return !token || token.punct || (isFiller(tokens, at) && !token.guarded);
    };
    while (first <= last && empty(first)) first += 1;
    while (last >= first && empty(last)) last -= 1;
    const start = tokens[first];
    const stop = tokens[last];
    if (start && stop && first <= last)
      runs.push({ text: text.slice(start.start, stop.end).replace(/['’]s$/, ''), first, last });
    index = end + 1;
  }
  return runs;
}

/** Words that turn a phrase around: never part of a name, never skipped. */
const NEGATIONS = new Set(
  'not no never without except excluding exclude but besides unless other than nor neither w/o'.split(' '),
);

/**
 * Whether leftover words are a name to search for: right after the opening ("find Acme",
 * "who is the Acme"), right after "named"/"contact at", or all capitalised in a question that is
 * not title case ("suppliers of Acme Textiles"), and never with a negation in them. Other
 * leftover words are not silently searched as a name.
 */
export function isNameRun(tokens: readonly Token[], run: Leftover, openingStart: number): boolean {
  const words = tokens.slice(run.first, run.last + 1);
  if (words.some((token) => NEGATIONS.has(token.key))) return false;
  let before = run.first - 1;
  while (before >= 0 && !tokens[before]?.used && (tokens[before]?.punct || isFiller(tokens, before)))
    before -= 1;
  const previous = tokens[before];
  if (previous?.role === 'introducer') return true;
  if (before < openingStart && (before < 0 || previous?.role === 'opening')) return true;
  return words.every((token) => token.guarded || token.punct);
}
