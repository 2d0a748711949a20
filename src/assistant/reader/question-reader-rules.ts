import type { PartnerKind, PartnerStatus } from '../../directory/partners/partner-schema.ts';
import type { SortKey } from '../../directory/search/search.ts';
import type { activities } from '../../directory/search/search-filters.ts';
import type { Amount } from './question-reader-amounts.ts';
import type { Token } from './question-reader-text.ts';

export type Activity = (typeof activities)[number];

/** A time said in the question: the guide's 30-day window, a calendar period, or N days. */
export type TimeSpan = { window: true } | { calendar: 'day' | 'week' | 'month' } | { days: number };

/** What the phrases of a search question have said so far. */
export interface SearchState {
  kinds: Set<PartnerKind | 'both'>;
  /** A kind said in the singular ("our top customer") and none in the plural. */
  singular: boolean;
  plural: boolean;
  activity?: Activity;
  /** "ordered", "added": an activity only with a time ("this month", "recently"). */
  activityVerb?: Activity;
  time?: TimeSpan;
  /** No last order date at all ("never ordered", "no orders yet"). */
  neverOrdered: boolean;
  status?: PartnerStatus;
  countries: string[];
  minTotal?: number;
  minWord?: string;
  maxTotal?: number;
  maxWord?: string;
  /** The currency an amount was written in ("€75k"). */
  currency?: string;
  sortBy?: SortKey;
  sortDir?: 'asc' | 'desc';
  direction?: 'asc' | 'desc';
  /** A superlative ("largest", "top", "newest"): with a singular kind it means one. */
  superlative: boolean;
  limit?: number;
  top: boolean;
  count: boolean;
}

export interface Match {
  length: number;
  /** The keys of the words matched, in order. */
  words: string[];
  numbers: number[];
  amounts: Amount[];
}

/**
 * Roles that only count when something else is there: a time needs an activity, "total" a bound
 * or a total sort, a direction a sort, an activity verb a time, "in total" a count. The reader
 * gives them back otherwise. An amount right after an order verb ("ordered over 50k") is about
 * orders, not the record's total: given back too.
 */
export type Role = 'filter' | 'kind' | 'time' | 'totalWord' | 'direction' | 'verb' | 'countWord' | 'amount';

export interface Rule {
  pattern: string[][];
  role: Role;
  apply: (state: SearchState, match: Match) => void;
  accept?: (match: Match, next: Token | undefined) => boolean;
}

/** A list of rules and the function that adds one from a spec ("a|b c" = "a c" or "b c"; # a number, $ an amount). */
export function ruleList() {
  const rules: Rule[] = [];
  const add = (spec: string, apply: Rule['apply'], role: Role = 'filter', accept?: Rule['accept']) => {
    const pattern = spec.split(' ').map((part) => part.split('|'));
    rules.push({ pattern, role, apply, ...(accept ? { accept } : {}) });
  };
  return { rules, add };
}

export const setSort = (sortBy: SortKey, sortDir: 'asc' | 'desc') => (state: SearchState) => {
  state.sortBy = sortBy;
  state.sortDir = sortDir;
};

const { rules, add } = ruleList();

// Kinds.
const customerWords = 'customer|customers|client|clients|buyer|buyers|account|accounts';
const supplierWords =
  'supplier|suppliers|vendor|vendors|seller|sellers|manufacturer|manufacturers|producer|producers';
const bothWords =
  'partner|partners|contact|contacts|company|companies|record|records|business|businesses|firm|firms|organisation|organisations|organization|organizations';
export const KIND_WORDS = new Set([customerWords, supplierWords, bothWords].join('|').split('|'));
const PLURAL_KIND = new Set([...KIND_WORDS].filter((word) => word.endsWith('s') && word !== 'business'));

const addKind = (kind: PartnerKind | 'both') => (state: SearchState, match: Match) => {
  state.kinds.add(kind);
  const word = match.words.find((key) => KIND_WORDS.has(key));
  if (word && PLURAL_KIND.has(word)) state.plural = true;
  else if (word) state.singular = true;
};
add(customerWords, addKind('customer'), 'kind');
add(supplierWords, addKind('supplier'), 'kind');
add(bothWords, addKind('both'), 'kind');

// Kinds said with a verb: who we buy from are suppliers, who we sell to are customers.
const withVerb = (kind: PartnerKind) => (state: SearchState, match: Match) => {
  state.kinds.add(kind);
  state.plural = true;
  if (match.words.some((word) => PAST_VERBS.has(word))) state.activityVerb = 'active';
};
const PAST_VERBS = new Set(
  'bought purchased sourced ordered got sold shipped delivered supplied invoiced'.split(' '),
);
for (const spec of [
  'we buy|purchase|source|order|get from',
  'we bought|purchased|sourced|ordered|got from',
  "we've bought|purchased|sourced|ordered from",
  'we have|had bought|purchased|sourced|ordered from',
  'supply|supplies|supplying us',
  'sell|sells|selling to us',
]) {
  add(spec, withVerb('supplier'), 'kind');
}
for (const spec of [
  'we sell|ship|deliver|supply|invoice to',
  'we sold|shipped|delivered|supplied|invoiced to',
  'buy|buys|buying|order|orders from us',
  'bought|purchased|ordered from us',
]) {
  add(spec, withVerb('customer'), 'kind');
}

// Status.
add('disabled|deactivated|suspended|blocked', (state) => (state.status = 'disabled'));
add('not enabled', (state) => (state.status = 'disabled'));
add('enabled|reactivated', (state) => (state.status = 'enabled'));
add('not disabled|deactivated', (state) => (state.status = 'enabled'));

// Counting.
for (const spec of ['how many', 'how many of', 'number of', 'total number of', 'count', 'count of']) {
  add(spec, (state) => (state.count = true));
}
for (const spec of ['in total', 'altogether', 'all together', 'combined', 'overall', 'all in all']) {
  add(spec, () => {}, 'countWord');
}

/** Kinds, status and counting phrases. */
export const BASE_RULES: readonly Rule[] = rules;
