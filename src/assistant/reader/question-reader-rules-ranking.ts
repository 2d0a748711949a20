import type { SortKey } from '../../directory/search/search.ts';
import { isDemonym } from './question-reader-countries.ts';
import {
  KIND_WORDS,
  type Match,
  type Rule,
  ruleList,
  type SearchState,
  setSort,
} from './question-reader-rules.ts';
import type { Token } from './question-reader-text.ts';

const { rules, add } = ruleList();

const setLimit = (state: SearchState, match: Match) => {
  if (match.numbers[0] !== undefined) state.limit = match.numbers[0];
};
/** A sort said as a superlative ("largest", "newest"): with a singular kind it means one. */
const superlative = (sortBy: SortKey, sortDir: 'asc' | 'desc') => (state: SearchState, match: Match) => {
  setSort(sortBy, sortDir)(state);
  state.superlative = true;
  setLimit(state, match);
};

// Ordering and limits.
const top = (state: SearchState, match: Match) => {
  state.top = true;
  state.superlative = true;
  setLimit(state, match);
};
// "best" and "worst" name no measure (total? orders? reliability?): they are left unread, so the
// reader asks instead of ranking by total on its own.
add('top #', top);
add('top', top);
add('bottom #', superlative('total', 'asc'));
add('bottom', superlative('total', 'asc'));
const totalWords = 'total|value|sales|purchases|revenue|turnover|spend|spending';
for (const spec of [
  'largest|biggest|highest|leading',
  'most valuable',
  `highest|biggest|largest ${totalWords}`,
]) {
  add(spec, superlative('total', 'desc'));
}
for (const spec of ['smallest|lowest', 'least valuable', `lowest|smallest|least ${totalWords}`]) {
  add(spec, superlative('total', 'asc'));
}
for (const spec of [
  'most order|orders',
  'most frequent',
  'most|more often|frequently',
  'used|ordered most|more often|frequently',
  'most used',
  'most frequently used',
  'highest order count',
  'highest number of orders',
]) {
  add(spec, superlative('orders', 'desc'));
}
add('fewest|least order|orders', superlative('orders', 'asc'));
for (const spec of [
  'latest|newest|last order|orders',
  'most recent order|orders',
  'most recently ordered',
  'last ordered',
]) {
  add(spec, superlative('lastOrderDate', 'desc'));
}
for (const spec of ['newest|latest', 'most recent', 'most recently added|joined', 'newest first']) {
  add(spec, superlative('since', 'desc'));
}
for (const spec of ['oldest|earliest', 'longest-standing', 'longest standing', 'oldest first']) {
  add(spec, superlative('since', 'asc'));
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
/** "by sales" after "smallest" or "bottom 5" keeps their direction. */
const sortBy = (key: SortKey, dir: 'asc' | 'desc') => (state: SearchState) => {
  if (state.sortBy !== key) setSort(key, dir)(state);
};
for (const [spec, key, dir] of bySorts) {
  add(`by ${spec}`, sortBy(key, dir));
  add(`${sortVerbs} by ${spec}`, sortBy(key, dir));
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
const LIMIT_NEXT = new Set([
  ...KIND_WORDS,
  ...'new active inactive dormant disabled enabled largest biggest newest oldest latest top best most smallest highest lowest least'.split(
    ' ',
  ),
]);
/** "3 customers", "5 inactive suppliers", "3 French customers": a number before a kind or an adjective. */
const limitNext = (_: Match, next: Token | undefined) =>
  LIMIT_NEXT.has(next?.key ?? '') || isDemonym(next?.key ?? '');
add('#', setLimit, 'filter', limitNext);

// Value bounds on the total.
const NOT_MONEY = new Set([
  ...'order orders day days week weeks month months year years employee employees people staff percent % times'.split(
    ' ',
  ),
  ...KIND_WORDS,
]);
const moneyNext = (_match: Match, next: Token | undefined) => !NOT_MONEY.has(next?.key ?? '');
const noteCurrency = (state: SearchState, match: Match) => {
  const currency = match.amounts.find((amount) => amount.currency)?.currency;
  if (currency) state.currency = currency;
};
const setMin = (word: string) => (state: SearchState, match: Match) => {
  state.minTotal = match.amounts[0]?.value;
  state.minWord = word;
  noteCurrency(state, match);
};
const setMax = (word: string) => (state: SearchState, match: Match) => {
  state.maxTotal = match.amounts[0]?.value;
  state.maxWord = word;
  noteCurrency(state, match);
};
const setRange = (state: SearchState, match: Match) => {
  const [low, high] = [match.amounts[0]?.value ?? 0, match.amounts[1]?.value ?? 0].sort((a, b) => a - b);
  state.minTotal = low;
  state.maxTotal = high;
  noteCurrency(state, match);
};
const plainAmounts = (match: Match, next: Token | undefined) =>
  moneyNext(match, next) && match.amounts.every((amount) => !amount.op && !amount.range);
for (const spec of [
  'over|above|exceeding|exceeds|beyond|>|≥',
  'more|greater|higher|bigger|larger than',
  'upwards of',
  'in excess of',
]) {
  add(`${spec} $`, setMin('over'), 'amount', plainAmounts);
}
for (const spec of ['at least', '>=', 'min|minimum', 'min|minimum of', 'no|not less than']) {
  add(`${spec} $`, setMin('at least'), 'amount', plainAmounts);
}
for (const spec of ['under|below|<|≤', 'less|lower|smaller|fewer than', 'not over|above|exceeding']) {
  add(`${spec} $`, setMax('under'), 'amount', plainAmounts);
}
for (const spec of ['at most', '<=', 'max|maximum', 'max|maximum of', 'up to', 'no|not more than']) {
  add(`${spec} $`, setMax('at most'), 'amount', plainAmounts);
}
add('between $ and|-|– $', setRange, 'amount', plainAmounts);
add('from $ to|-|– $', setRange, 'amount', plainAmounts);
add('$ to|-|– $', setRange, 'amount', plainAmounts);
add(
  '$',
  (state, match) => {
    const amount = match.amounts[0];
    if (amount?.range) setRange(state, { ...match, amounts: amount.range.map((value) => ({ value })) });
    else if (amount?.op === 'max') setMax('under')(state, match);
    else setMin('over')(state, match);
    noteCurrency(state, match);
  },
  'amount',
  (match, next) => moneyNext(match, next) && Boolean(match.amounts[0]?.op || match.amounts[0]?.range),
);
for (const spec of [
  'total|totals|sales|purchases|purchase|revenue|turnover|spend|spending|spent|value|worth|volume|lifetime|amount',
  'total sales|purchases|value|spend|spending|revenue|amount',
  'in sales|purchases|revenue',
]) {
  add(spec, () => {}, 'totalWord');
}

/** Sorts, limits and bounds on the total. */
export const RANKING_RULES: readonly Rule[] = rules;
