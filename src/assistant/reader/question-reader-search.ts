import { MAX_PAGE_SIZE, type SearchInput } from '../../directory/search/search.ts';
import { countryName } from '../../directory/values/country.ts';
import { matchAmount } from './question-reader-amounts.ts';
import { type CountryContext, matchCountry } from './question-reader-countries.ts';
import { isTitleCase, leftoverRuns, markNameOpening } from './question-reader-names.ts';
import {
  KIND_WORDS,
  type Match,
  type Rule,
  SEARCH_RULES,
  type SearchState,
} from './question-reader-rules.ts';
import { formatAmount, isFiller, isShouted, type Token, tokenize } from './question-reader-text.ts';

/** The search tool's input, as the reader fills it. */
export type SearchArgs = SearchInput;

export interface SearchReading {
  intent: 'search' | 'count' | 'unknown';
  args: SearchArgs;
  understood: string[];
  complete: boolean;
}

function matchRule(tokens: readonly Token[], index: number, rule: Rule): Match | undefined {
  const match: Match = { length: 0, numbers: [], amounts: [] };
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
      if (!/^\d{1,4}$/.test(token.key) || Number(token.key) < 1) return undefined;
      match.numbers.push(Number(token.key));
      match.length += 1;
    } else {
      if (!options.includes(token.key)) return undefined;
      match.length += 1;
    }
  }
  return match;
}

function newState(): SearchState {
  return { kinds: new Set(), countries: [], top: false, count: false };
}

/** Reads every phrase it knows, longest first at each word, marking the words it took. */
function scan(tokens: Token[], context: CountryContext): SearchState {
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
  settle(tokens, state);
  return state;
}

/** Gives back words that only mean something with another: a time without an activity, and so on. */
function settle(tokens: Token[], state: SearchState): void {
  const release = (role: string) => {
    for (const token of tokens) {
      if (token.role === role) {
        token.used = false;
        token.role = undefined;
      }
    }
  };
  const hasTime = tokens.some((token) => token.role === 'time');
  if (!state.activity && state.activityVerb && hasTime) state.activity = state.activityVerb;
  else release('verb');
  if (!state.activity) release('time');
  if (state.top && !state.sortBy) {
    state.sortBy = 'total';
    state.sortDir = 'desc';
  }
  if (state.minTotal === undefined && state.maxTotal === undefined && state.sortBy !== 'total') {
    release('totalWord');
  }
  if (state.sortBy && state.direction) state.sortDir = state.direction;
  else release('direction');
}

const kindNames = { customer: 'customers', supplier: 'suppliers' } as const;

function listCountries(codes: string[]): string {
  const names = codes.map(countryName);
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : (names[0] ?? '');
}

const sortWords: Record<string, string> = {
  'total desc': 'largest total first',
  'total asc': 'smallest total first',
  'orders desc': 'most orders first',
  'orders asc': 'fewest orders first',
  'lastOrderDate desc': 'latest order first',
  'lastOrderDate asc': 'earliest last order first',
  'since desc': 'newest first',
  'since asc': 'oldest first',
  'name asc': 'by name',
  'name desc': 'by name, Z to A',
};

function describe(state: SearchState, args: SearchArgs, limitCapped: boolean): string[] {
  const understood: string[] = [];
  if (state.count) understood.push('how many');
  if (args.activity) understood.push(args.activity);
  if (args.status) understood.push(args.status);
  if (args.kind) understood.push(kindNames[args.kind]);
  else if (state.kinds.size > 0 && !args.query) understood.push('customers and suppliers');
  if (args.countries) understood.push(`in ${listCountries(args.countries)}`);
  const min = args.minTotal === undefined ? undefined : formatAmount(args.minTotal);
  const max = args.maxTotal === undefined ? undefined : formatAmount(args.maxTotal);
  if (min && max) understood.push(`total between ${min} and ${max}`);
  else if (min) understood.push(`total ${state.minWord ?? 'over'} ${min}`);
  else if (max) understood.push(`total ${state.maxWord ?? 'under'} ${max}`);
  const cap = limitCapped ? ` (${MAX_PAGE_SIZE} at most)` : '';
  if (args.sortBy) {
    const sortText =
      sortWords[`${args.sortBy} ${args.sortDir}`] ??
      `by ${args.sortBy}${args.sortDir === 'desc' ? ', Z to A' : ''}`;
    if (args.limit && args.sortBy === 'total' && args.sortDir === 'desc') {
      understood.push(`top ${args.limit} by total${cap}`);
    } else {
      understood.push(args.limit ? `top ${args.limit}${cap}, ${sortText}` : sortText);
    }
  } else if (args.limit) understood.push(`first ${args.limit}${cap}`);
  if (args.query) understood.push(`matching "${args.query}"`);
  return understood;
}

function toArgs(state: SearchState, query: string | undefined): { args: SearchArgs; capped: boolean } {
  const args: SearchArgs = {};
  const customer = state.kinds.has('customer');
  const supplier = state.kinds.has('supplier');
  if (customer !== supplier) args.kind = customer ? 'customer' : 'supplier';
  if (query) args.query = query;
  if (state.countries.length) args.countries = state.countries;
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

function recognisedAnything(state: SearchState): boolean {
  return (
    state.count ||
    state.kinds.size > 0 ||
    Boolean(state.activity || state.status || state.sortBy || state.limit) ||
    state.countries.length > 0 ||
    state.minTotal !== undefined ||
    state.maxTotal !== undefined
  );
}

/**
 * Reads a question as a search (or a count): kind, activity, status, countries, bounds on the
 * total, sort and limit. A question opened as a name question ("who is", "find", "show me",
 * "named") whose words are not all filters becomes a text query with the words left over, in
 * their original case; capitalised words there are kept in the name ("find New Age Textiles").
 */
export function readSearch(text: string): SearchReading {
  const shouted = isShouted(text);
  const plain = tokenize(text);
  const opening = markNameOpening(plain);
  let state = newState();
  let complete = false;
  if (!opening?.strict) {
    state = scan(plain, { nameMode: false, shouted });
    complete = plain.every((token, index) => token.used || isFiller(plain, index));
  }
  let query: string | undefined;
  if (!complete && opening) {
    const tokens = tokenize(text);
    markNameOpening(tokens);
    const guardNames = !shouted && !isTitleCase(tokens);
    tokens.forEach((token, index) => {
      token.guarded =
        guardNames && index >= opening.start && /^\p{Lu}/u.test(token.text) && !KIND_WORDS.has(token.key);
    });
    state = scan(tokens, { nameMode: true, shouted });
    const runs = leftoverRuns(text, tokens);
    query = runs.join(' ') || undefined;
    complete = runs.length <= 1;
  }
  const { args, capped } = toArgs(state, query);
  const understood = describe(state, args, capped);
  if (!recognisedAnything(state) && !query) return { intent: 'unknown', args, understood, complete: false };
  return { intent: state.count ? 'count' : 'search', args, understood, complete };
}
