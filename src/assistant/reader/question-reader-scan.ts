import { matchAmount } from './question-reader-amounts.ts';
import { type CountryContext, matchCountry } from './question-reader-countries.ts';
import { BASE_RULES, type Match, type Rule, type SearchState } from './question-reader-rules.ts';
import { ACTIVITY_RULES } from './question-reader-rules-activity.ts';
import { RANKING_RULES } from './question-reader-rules-ranking.ts';
import type { Period } from './question-reader-search.ts';
import { isFiller, type Token } from './question-reader-text.ts';

/** Every phrase the search reader knows, tried longest first at each word. */
export const SEARCH_RULES: readonly Rule[] = [...BASE_RULES, ...ACTIVITY_RULES, ...RANKING_RULES];

/** Numbers in words, for limits and days ("top two", "past two weeks"). */

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
export function scan(tokens: Token[], context: CountryContext): { state: SearchState; period?: Period } {
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
