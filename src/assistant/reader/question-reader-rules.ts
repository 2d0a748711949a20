import type { PartnerKind, PartnerStatus } from '../../directory/partners/partner-schema.ts';
import type { SortKey } from '../../directory/search/search.ts';
import type { activities } from '../../directory/search/search-filters.ts';
import type { Amount } from './question-reader-amounts.ts';
import type { Token } from './question-reader-text.ts';

type Activity = (typeof activities)[number];

/** What the phrases of a search question have said so far. */
export interface SearchState {
  kinds: Set<PartnerKind | 'both'>;
  activity?: Activity;
  /** "ordered", "added": an activity only with a time ("this month", "recently"). */
  activityVerb?: Activity;
  status?: PartnerStatus;
  countries: string[];
  minTotal?: number;
  minWord?: string;
  maxTotal?: number;
  maxWord?: string;
  sortBy?: SortKey;
  sortDir?: 'asc' | 'desc';
  direction?: 'asc' | 'desc';
  limit?: number;
  top: boolean;
  count: boolean;
}

export interface Match {
  length: number;
  numbers: number[];
  amounts: Amount[];
}

/**
 * Roles that only count when something else is there: a time needs an activity, "total" a bound
 * or a total sort, a direction a sort, an activity verb a time. The reader gives them back otherwise.
 */
export type Role = 'filter' | 'kind' | 'time' | 'totalWord' | 'direction' | 'verb';

export interface Rule {
  pattern: string[][];
  role: Role;
  apply: (state: SearchState, match: Match) => void;
  accept?: (match: Match, next: Token | undefined) => boolean;
}

const rules: Rule[] = [];

function add(spec: string, apply: Rule['apply'], role: Role = 'filter', accept?: Rule['accept']) {
  const pattern = spec.split(' ').map((part) => part.split('|'));
  rules.push({ pattern, role, apply, ...(accept ? { accept } : {}) });
}

const setSort = (sortBy: SortKey, sortDir: 'asc' | 'desc') => (state: SearchState) => {
  state.sortBy = sortBy;
  state.sortDir = sortDir;
};
const setLimit = (state: SearchState, match: Match) => {
  if (match.numbers[0] !== undefined) state.limit = match.numbers[0];
};
const setActivity = (activity: Activity) => (state: SearchState) => {
  state.activity = activity;
};

// Kinds.
const customerWords = 'customer|customers|client|clients|buyer|buyers|account|accounts';
const supplierWords =
  'supplier|suppliers|vendor|vendors|seller|sellers|manufacturer|manufacturers|producer|producers';
const bothWords =
  'partner|partners|contact|contacts|company|companies|record|records|business|businesses|firm|firms|organisation|organisations|organization|organizations';
add(customerWords, (state) => state.kinds.add('customer'), 'kind');
add(supplierWords, (state) => state.kinds.add('supplier'), 'kind');
add(bothWords, (state) => state.kinds.add('both'), 'kind');
export const KIND_WORDS = new Set([customerWords, supplierWords, bothWords].join('|').split('|'));

// Activity: 30-day window as the domain defines it.
for (const spec of [
  'inactive|dormant|lapsed|idle',
  'not active',
  'no longer active',
  'not ordered|ordering|bought|buying|purchased',
  'no order|orders|purchases',
  'no recent order|orders',
  "haven't|havent|hasn't|hasnt ordered|bought|purchased",
  'have|has not ordered|bought|purchased',
  "didn't|didnt order|buy",
  'did not order|buy',
  'without order|orders',
  'without any order|orders',
  'without recent order|orders',
  'stopped ordering|buying',
]) {
  add(spec, setActivity('inactive'));
}
for (const spec of [
  'active|ordering|buying',
  'currently ordering|buying',
  'recent order|orders',
  'recently active',
]) {
  add(spec, setActivity('active'));
}
for (const spec of ['recently ordered', 'ordered recently']) {
  add(spec, (state) => {
    state.activity = 'active';
    setSort('lastOrderDate', 'desc')(state);
  });
}
for (const spec of [
  'new',
  'newly|recently|just added|joined|onboarded|created',
  'added|joined|onboarded recently',
]) {
  add(spec, setActivity('new'));
}
add('ordered|bought|purchased', (state) => (state.activityVerb = 'active'), 'verb');
add('added|joined|onboarded|created', (state) => (state.activityVerb = 'new'), 'verb');
for (const spec of [
  'this|past month',
  'this past month',
  'the last month',
  'last|past 30|thirty days',
  '30|thirty days',
  '30d',
  'recently|lately',
]) {
  add(spec, () => {}, 'time');
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

// Ordering and limits.
const top = (state: SearchState, match: Match) => {
  state.top = true;
  setLimit(state, match);
};
add('top|best #', top);
add('top|best', top);
for (const spec of [
  'largest|biggest|highest|leading',
  'most valuable',
  'highest|biggest|largest total|value|sales|purchases|revenue|turnover|spend|spending',
]) {
  add(spec, setSort('total', 'desc'));
}
for (const spec of ['smallest|lowest', 'least valuable', 'lowest|smallest total|value|sales|purchases']) {
  add(spec, setSort('total', 'asc'));
}
for (const spec of [
  'most order|orders',
  'most frequent',
  'highest order count',
  'highest number of orders',
]) {
  add(spec, setSort('orders', 'desc'));
}
add('fewest|least order|orders', setSort('orders', 'asc'));
for (const spec of [
  'latest|newest|last order|orders',
  'most recent order|orders',
  'most recently ordered',
  'last ordered',
]) {
  add(spec, setSort('lastOrderDate', 'desc'));
}
for (const spec of ['newest|latest', 'most recent', 'most recently added|joined', 'newest first']) {
  add(spec, setSort('since', 'desc'));
}
for (const spec of ['oldest|earliest', 'longest-standing', 'longest standing', 'oldest first']) {
  add(spec, setSort('since', 'asc'));
}
const sortVerbs = 'sorted|sort|ordered|order|sorting|ranked|rank|arranged|listed';
for (const spec of ['alphabetical|alphabetically|a-z', 'alphabetical order', 'a to z']) {
  add(spec, setSort('name', 'asc'));
  add(`${sortVerbs} ${spec}`, setSort('name', 'asc'));
}
for (const spec of ['z-a', 'z to a', 'reverse alphabetical', 'reverse alphabetical order']) {
  add(spec, setSort('name', 'desc'));
  add(`${sortVerbs} ${spec}`, setSort('name', 'desc'));
}
const bySorts: [string, SortKey, 'asc' | 'desc'][] = [
  ['total|sales|purchases|revenue|value|turnover|spend|spending|volume|size', 'total', 'desc'],
  ['total sales|purchases|value|spend|spending|revenue', 'total', 'desc'],
  ['highest|biggest|largest total|sales|purchases|value', 'total', 'desc'],
  ['order|orders', 'orders', 'desc'],
  ['order count', 'orders', 'desc'],
  ['number of orders', 'orders', 'desc'],
  ['most orders', 'orders', 'desc'],
  ['last|latest|recent order|orders', 'lastOrderDate', 'desc'],
  ['last|latest order date', 'lastOrderDate', 'desc'],
  ['order date', 'lastOrderDate', 'desc'],
  ['most recent order', 'lastOrderDate', 'desc'],
  ['since', 'since', 'desc'],
  ['start|join|since date', 'since', 'desc'],
  ['date added|joined', 'since', 'desc'],
  ['name|names', 'name', 'asc'],
  ['first|last|contact name', 'name', 'asc'],
  ['city|cities|town', 'city', 'asc'],
  ['country|countries', 'country', 'asc'],
  ['company|companies', 'company', 'asc'],
  ['company name', 'company', 'asc'],
  ['code|codes', 'code', 'asc'],
];
for (const [spec, sortBy, sortDir] of bySorts) {
  add(`by ${spec}`, setSort(sortBy, sortDir));
  add(`${sortVerbs} by ${spec}`, setSort(sortBy, sortDir));
}
const setDirection = (direction: 'asc' | 'desc') => (state: SearchState) => {
  state.direction = direction;
};
add('ascending|asc|increasing', setDirection('asc'), 'direction');
add('ascending order', setDirection('asc'), 'direction');
add('descending|desc|decreasing', setDirection('desc'), 'direction');
add('descending order', setDirection('desc'), 'direction');
add('first|limit #', setLimit);
add('limit to #', setLimit);
add('# results|records|rows|entries|items|ones', setLimit);
const LIMIT_NEXT = new Set(
  `${[customerWords, supplierWords, bothWords].join('|')}|new|active|inactive|dormant|disabled|enabled|largest|biggest|newest|oldest|latest|top|best|most|smallest|highest|lowest`.split(
    '|',
  ),
);
add('#', setLimit, 'filter', (_, next) => LIMIT_NEXT.has(next?.key ?? ''));

// Value bounds on the total.
const NOT_MONEY = new Set(
  `order orders day days week weeks month months year years employee employees people staff percent % times
  ${[customerWords, supplierWords, bothWords].join(' ').replace(/\|/g, ' ')}`.split(/\s+/),
);
const moneyNext = (_match: Match, next: Token | undefined) => !NOT_MONEY.has(next?.key ?? '');
const setMin = (word: string) => (state: SearchState, match: Match) => {
  state.minTotal = match.amounts[0]?.value;
  state.minWord = word;
};
const setMax = (word: string) => (state: SearchState, match: Match) => {
  state.maxTotal = match.amounts[0]?.value;
  state.maxWord = word;
};
const setRange = (state: SearchState, match: Match) => {
  const [low, high] = [match.amounts[0]?.value ?? 0, match.amounts[1]?.value ?? 0].sort((a, b) => a - b);
  state.minTotal = low;
  state.maxTotal = high;
};
const plainAmounts = (match: Match, next: Token | undefined) =>
  moneyNext(match, next) && match.amounts.every((amount) => !amount.op && !amount.range);
for (const spec of [
  'over|above|exceeding|exceeds|beyond|>|≥',
  'more|greater|higher|bigger|larger than',
  'upwards of',
  'in excess of',
]) {
  add(`${spec} $`, setMin('over'), 'filter', plainAmounts);
}
for (const spec of ['at least', '>=', 'min|minimum', 'min|minimum of', 'no|not less than']) {
  add(`${spec} $`, setMin('at least'), 'filter', plainAmounts);
}
for (const spec of ['under|below|<|≤', 'less|lower|smaller|fewer than', 'not over|above|exceeding']) {
  add(`${spec} $`, setMax('under'), 'filter', plainAmounts);
}
for (const spec of ['at most', '<=', 'max|maximum', 'max|maximum of', 'up to', 'no|not more than']) {
  add(`${spec} $`, setMax('at most'), 'filter', plainAmounts);
}
add('between $ and|-|– $', setRange, 'filter', plainAmounts);
add('from $ to|-|– $', setRange, 'filter', plainAmounts);
add('$ to|-|– $', setRange, 'filter', plainAmounts);
add(
  '$',
  (state, match) => {
    const amount = match.amounts[0];
    if (amount?.range) setRange(state, { ...match, amounts: amount.range.map((value) => ({ value })) });
    else if (amount?.op === 'max') setMax('under')(state, match);
    else setMin('over')(state, match);
  },
  'filter',
  (match, next) => moneyNext(match, next) && Boolean(match.amounts[0]?.op || match.amounts[0]?.range),
);
for (const spec of [
  'total|totals|sales|purchases|purchase|revenue|turnover|spend|spending|spent|value|worth|volume|lifetime|amount',
  'total sales|purchases|value|spend|spending|revenue|amount',
  'in sales|purchases|revenue',
]) {
  add(spec, () => {}, 'totalWord');
}

/** Every phrase the search reader knows, tried longest first at each word. */
export const SEARCH_RULES: readonly Rule[] = rules;
