import { MAX_PAGE_SIZE, type SearchInput } from '../../directory/search/search.ts';
import { matchAmount } from './question-reader-amounts.ts';
import { type CountryContext, matchCountry } from './question-reader-countries.ts';
import { describeReading } from './question-reader-describe.ts';
import { type FieldFilters, readCity, readFieldPhrases } from './question-reader-field-filters.ts';
import { isNameRun, isTitleCase, leftoverRuns, markNameOpening } from './question-reader-names.ts';
import { BASE_RULES, KIND_WORDS, type Match, type Rule, type SearchState } from './question-reader-rules.ts';
import { ACTIVITY_RULES } from './question-reader-rules-activity.ts';
import { RANKING_RULES } from './question-reader-rules-ranking.ts';
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

export interface SearchReading extends SearchExtras {
  intent: 'search' | 'count' | 'unknown';
  args: SearchArgs;
  understood: string[];
  complete: boolean;
}

export const SEARCH_RULES: readonly Rule[] = [...BASE_RULES, ...ACTIVITY_RULES, ...RANKING_RULES];
const vocabulary = buildVocabulary(SEARCH_RULES);

const NUMBER_WORDS: Record<string, number> = {
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  fifteen: 15,
  twenty: 20,
  thirty: 30,
  fifty: 50,
  hundred: 100,
  dozen: 12,
};

function matchRule(tokens: readonly Token[], index: number, rule: Rule): Match | undefined {
  const match: Match = { length: 0, words: [], numbers: [], amounts: [] };
  for (const options of rule.pattern) {
    const at = index + match.length;
    const token = tokens[at];
    if (!token || token.used) return undefined;
    if (token.guarded && rule.role !== 'kind') return undefined;
    if (options[0] === '$') {
      const found = matchAmount(tokens, at);
      if (!found) return undefined;
      match.amounts.push(found.amount);
      match.length += found.length;
    } else if (options[0] === '#') {
      const number = /^\d{1,4}$/.test(token.key) ? Number(token.key) : NUMBER_WORDS[token.key];
      if (number === undefined || number < 1) return undefined;
      match.numbers.push(number);
      match.length += 1;
    } else {
      if (!options.includes(token.key)) return undefined;
      match.words.push(token.key);
      match.length += 1;
    }
  }
  return match;
}

function newState(): SearchState {
  return {
    kinds: new Set(),
    singular: false,
    plural: false,
    countries: [],
    neverOrdered: false,
    superlative: false,
    top: false,
    count: false,
  };
}

/** Reads every phrase it knows, longest first at each word, marking the words it took. */
function scan(tokens: Token[], context: CountryContext): { state: SearchState; period?: Period } {
  const state = newState();
  let index = 0;
  while (index < tokens.length) {
    if (tokens[index]?.used) {
      index += 1;
      continue;
    }
    let best: { length: number; rule?: Rule; match?: Match; country?: string } | undefined;
    for (const rule of SEARCH_RULES) {
      const match = matchRule(tokens, index, rule);
      if (!match || (best && match.length <= best.length)) continue;
      if (rule.accept && !rule.accept(match, tokens[index + match.length])) continue;
      best = { length: match.length, rule, match };
    }
    const country = matchCountry(tokens, index, context);
    if (country && (!best || country.length > best.length))
      best = { length: country.length, country: country.code };
    if (!best) {
      index += 1;
      continue;
    }
    for (const token of tokens.slice(index, index + best.length)) {
      token.used = true;
      token.role = best.rule?.role ?? 'country';
    }
    if (best.country) {
      if (!state.countries.includes(best.country)) state.countries.push(best.country);
    } else if (best.rule && best.match) best.rule.apply(state, best.match);
    index += best.length;
  }
  const period = settle(tokens, state);
  return { state, ...(period ? { period } : {}) };
}

function release(tokens: Token[], role: string): void {
  for (const token of tokens) {
    if (token.role === role) {
      token.used = false;
      token.role = undefined;
    }
  }
}

/**
 * Gives back words that only mean something with another (a time without an activity, and so
 * on), turns a calendar period or N days into a period on the since or last order date, and
 * reads a superlative with a singular kind as one ("our top customer").
 */
function settle(tokens: Token[], state: SearchState): Period | undefined {
  const time = state.time;
  if (!state.activity && state.activityVerb && time) state.activity = state.activityVerb;
  else release(tokens, 'verb');
  let period: Period | undefined;
  if (time && !('window' in time)) {
    const date =
      state.activity === 'new' ? 'since' : state.activity === 'active' ? 'lastOrderDate' : undefined;
    if (date && !state.neverOrdered) {
      period = { date, ...time };
      state.activity = undefined;
    } else release(tokens, 'time');
  } else if (!state.activity) release(tokens, 'time');
  const verbAt = tokens.findLastIndex((token) => token.used && token.role === 'verb');
  let next = verbAt + 1;
  while (verbAt >= 0 && next < tokens.length && !tokens[next]?.used && isFiller(tokens, next)) next += 1;
  if (verbAt >= 0 && tokens[next]?.role === 'amount') {
    release(tokens, 'amount');
    state.minTotal = undefined;
    state.maxTotal = undefined;
  }
  if (state.top && !state.sortBy) {
    state.sortBy = 'total';
    state.sortDir = 'desc';
  }
  if (state.superlative && state.singular && !state.plural && !state.limit && !state.count) state.limit = 1;
  if (state.minTotal === undefined && state.maxTotal === undefined && state.sortBy !== 'total') {
    release(tokens, 'totalWord');
  }
  if (state.sortBy && state.direction) state.sortDir = state.direction;
  else release(tokens, 'direction');
  if (!state.count) release(tokens, 'countWord');
  return period;
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
