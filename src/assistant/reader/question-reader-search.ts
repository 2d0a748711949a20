import { MAX_PAGE_SIZE, type SearchInput } from '../../directory/search/search.ts';
import type { CountryContext } from './question-reader-countries.ts';
import { describeReading } from './question-reader-describe.ts';
import { type FieldFilters, readCity, readFieldPhrases } from './question-reader-field-filters.ts';
import { isNameRun, isTitleCase, leftoverRuns, markNameOpening } from './question-reader-names.ts';
import { KIND_WORDS, type SearchState } from './question-reader-rules.ts';
import { SEARCH_RULES, scan } from './question-reader-scan.ts';
import { isFiller, isShouted, type Token, tokenize } from './question-reader-text.ts';
import { buildVocabulary, correctTypos, undoTypo } from './question-reader-typos.ts';

/** The search tool's input, as the reader fills it. */
export type SearchArgs = SearchInput;

/** A period on a date of the record: a calendar week or month (or today), or the last N days. */
export interface Period {
  date: 'since' | 'lastOrderDate';
  calendar?: 'day' | 'week' | 'month';
  days?: number;
}

/** A word read as another: "venders" as vendors. */
export interface Correction {
  word: string;
  as: string;
}

/** What a search question asks beyond the tool's arguments, and what the reader made of it. */
export interface SearchExtras {
  /** Records with a since or last order date in this period (the answer pages through by date). */
  period?: Period;
  /** Records with no last order date at all. */
  neverOrdered?: true;
  /** The currency an amount was written in: the answer compares only when the records use it. */
  currency?: string;
  corrections: Correction[];
  /** Words not understood, as written, for the clarifying answer. */
  unread: string[];
  /** Words close to two vocabulary words, with both, for the clarifying answer. */
  ambiguous: { word: string; candidates: string[] }[];
}

export { SEARCH_RULES } from './question-reader-scan.ts';

const vocabulary = buildVocabulary(SEARCH_RULES);

export interface SearchReading extends SearchExtras {
  intent: 'search' | 'count' | 'unknown';
  args: SearchArgs;
  understood: string[];
  complete: boolean;
}

function toArgs(state: SearchState, fields: FieldFilters, query: string | undefined) {
  const args: SearchArgs = {};
  const customer = state.kinds.has('customer');
  const supplier = state.kinds.has('supplier');
  if (customer !== supplier) args.kind = customer ? 'customer' : 'supplier';
  const text = [fields.query, query].filter(Boolean).join(' ');
  if (text) args.query = text;
  if (state.countries.length) args.countries = state.countries;
  if (fields.city) args.city = fields.city;
  if (fields.notes) args.notes = fields.notes;
  if (state.activity) args.activity = state.activity;
  if (state.status) args.status = state.status;
  if (state.minTotal !== undefined) args.minTotal = state.minTotal;
  if (state.maxTotal !== undefined) args.maxTotal = state.maxTotal;
  if (state.sortBy) {
    args.sortBy = state.sortBy;
    args.sortDir = state.sortDir ?? 'asc';
  }
  const capped = (state.limit ?? 0) > MAX_PAGE_SIZE;
  if (state.limit) args.limit = Math.min(state.limit, MAX_PAGE_SIZE);
  return { args, capped };
}

function recognisedAnything(state: SearchState, fields: FieldFilters, period: unknown): boolean {
  return (
    state.count ||
    state.kinds.size > 0 ||
    Boolean(state.activity || state.status || state.sortBy || state.limit || period) ||
    state.neverOrdered ||
    state.countries.length > 0 ||
    state.minTotal !== undefined ||
    state.maxTotal !== undefined ||
    Object.keys(fields).length > 0
  );
}

/** Runs of words neither a phrase took nor filler, as written. */
function unreadWords(text: string, tokens: readonly Token[]): string[] {
  return leftoverRuns(text, tokens).map((run) => run.text);
}

interface Pass {
  tokens: Token[];
  state: SearchState;
  fields: FieldFilters;
  period?: Period;
  ambiguous: SearchExtras['ambiguous'];
}

/** One reading of the tokens: field phrases, typos, the phrases, then the city. */
function readPass(text: string, tokens: Token[], context: CountryContext): Pass {
  const fields = readFieldPhrases(text, tokens);
  const ambiguous = correctTypos(tokens, vocabulary);
  const { state, period } = scan(tokens, context);
  const city = readCity(text, tokens, { shouted: context.shouted });
  if (city) fields.city = city;
  for (const token of tokens) if (!token.used) undoTypo(token);
  return { tokens, state, fields, ambiguous, ...(period ? { period } : {}) };
}

/**
 * Reads a question as a search (or a count): kind, activity, period, status, countries, city,
 * notes, bounds on the total, sort and limit. A question opened as a name question ("who is",
 * "find", "show me", "named") may leave words over as a text query, only where they read as a
 * name (isNameRun); other leftover words make the reading incomplete and are listed as unread.
 */
export function readSearch(text: string): SearchReading {
  const shouted = isShouted(text);
  const plain = tokenize(text);
  const opening = markNameOpening(plain);
  let pass: Pass | undefined;
  let complete = false;
  let query: string | undefined;
  if (!opening?.strict) {
    pass = readPass(text, plain, { nameMode: false, shouted });
    complete = plain.every((token, index) => token.used || isFiller(plain, index));
  }
  if (!complete && opening) {
    const tokens = tokenize(text);
    markNameOpening(tokens);
    const guardNames = !shouted && !isTitleCase(tokens);
    tokens.forEach((token, index) => {
      token.guarded =
        guardNames && index >= opening.start && /^\p{Lu}/u.test(token.text) && !KIND_WORDS.has(token.key);
    });
    pass = readPass(text, tokens, { nameMode: true, shouted });
    const runs = leftoverRuns(text, tokens);
    const names = runs.filter((run) => isNameRun(tokens, run, opening.start));
    if (names.length === 1 && runs.length === 1) query = names[0]?.text;
    complete = runs.length === 0 || query !== undefined;
    if (query)
      for (const token of tokens.slice(names[0]?.first, (names[0]?.last ?? 0) + 1)) token.used = true;
  }
  const { tokens, state, fields, period, ambiguous } = pass!;
  const { args, capped } = toArgs(state, fields, query);
  const corrections = tokens
    .filter((token) => token.used && token.typed !== undefined)
    .map((token) => ({ word: token.typed!, as: vocabulary.words.get(token.key) ?? token.key }));
  const extras: SearchExtras = {
    ...(period ? { period } : {}),
    ...(state.neverOrdered ? { neverOrdered: true as const } : {}),
    ...(state.currency ? { currency: state.currency } : {}),
    corrections,
    unread: unreadWords(text, tokens),
    ambiguous,
  };
  if (ambiguous.length) complete = false;
  const understood = describeReading({ state, args, capped, extras });
  if (!recognisedAnything(state, fields, period) && !query)
    return { intent: 'unknown', args, understood, complete: false, ...extras };
  return { intent: state.count ? 'count' : 'search', args, understood, complete, ...extras };
}
