import {
  type Activity,
  type Match,
  type Rule,
  ruleList,
  type SearchState,
  setSort,
  type TimeSpan,
} from './question-reader-rules.ts';

const { rules, add } = ruleList();

const setActivity = (activity: Activity) => (state: SearchState) => {
  state.activity = activity;
};
const setVerb = (activity: Activity) => (state: SearchState) => {
  state.activityVerb = activity;
};

// Inactive: last order older than the 30-day window, or none yet (the guide's Inactive).
for (const spec of [
  'inactive|dormant|lapsed|idle',
  'not active',
  'no longer active',
  'not ordered|ordering|bought|buying|purchased',
  'no order|orders|purchases',
  'no recent order|orders|purchases|activity',
  "haven't|havent|hasn't|hasnt ordered|bought|purchased",
  'have|has not ordered|bought|purchased',
  "didn't|didnt order|buy",
  'did not order|buy',
  'without order|orders',
  'without any order|orders',
  'without recent order|orders',
  'stopped ordering|buying',
  'not placed|made an|a|any order|orders|purchase|purchases',
  "haven't|havent|hasn't|hasnt|didn't|didnt placed|made|place|make an|a|any order|orders|purchase",
  'have|has|did not placed|made|place|make an|a|any order|orders|purchase',
]) {
  add(spec, setActivity('inactive'));
}

// Never ordered: no last order date at all.
for (const spec of [
  'never ordered|bought|purchased',
  'never ordered|bought|purchased anything',
  'never placed|made|had an|a|any order|orders|purchase',
  'no order|orders yet',
  'no orders ever',
  'zero|0 orders',
  'not ordered|bought|purchased yet',
  'not yet ordered|bought|purchased',
  "haven't|havent|hasn't|hasnt ordered|bought|purchased yet",
  "haven't|havent|hasn't|hasnt placed|made an|any order yet",
  'yet to order|buy',
]) {
  add(spec, (state) => (state.neverOrdered = true));
}

// Active: last order within the 30-day window (the guide's Active).
for (const spec of [
  'active|ordering|buying',
  'currently ordering|buying',
  'recent order|orders|purchase|purchases',
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
// Ordering said with a verb: Active only with a time ("bought something in the last 30 days").
for (const spec of [
  'ordered|bought|purchased',
  'ordered|bought|purchased something|anything',
  'placed|made|had an|a|any order|orders|purchase|purchases',
  'placed|made orders|purchases',
  'put in an|a|any order',
  'with an|a|any order|purchase',
  'with order|orders',
]) {
  add(spec, setVerb('active'), 'verb');
}

// New: since date within the 30-day window (the guide's New).
for (const spec of [
  'new',
  'newly|recently|just added|joined|onboarded|created',
  'added|joined|onboarded recently',
]) {
  add(spec, setActivity('new'));
}
for (const spec of [
  'added|joined|onboarded|created',
  'began|begun|started|start|begin working|trading with',
  'began|begun|started|start|begin doing business with',
  'began|begun|started|start|begin with us',
  'signed up|on',
  'came|come on board',
  'came|come onboard|aboard',
]) {
  add(spec, setVerb('new'), 'verb');
}
const becameKind = (kind: 'customer' | 'supplier') => (state: SearchState) => {
  state.kinds.add(kind);
  state.plural = true;
  state.activityVerb = 'new';
};
for (const opening of ['became|become a|an|our', 'added as a|an']) {
  add(`${opening} customer|client|buyer|account`, becameKind('customer'), 'kind');
  add(`${opening} supplier|vendor|seller`, becameKind('supplier'), 'kind');
}
// The guide's "Customer Since" / "Supplier Since" date: New with a time.
for (const tail of ['since', 'since date']) {
  add(`customer|client ${tail}`, becameKind('customer'), 'kind');
  add(`supplier|vendor ${tail}`, becameKind('supplier'), 'kind');
}
add('since|start date', setVerb('new'), 'verb');

// Times: the guide's 30-day window, calendar periods, or a number of days.
const setTime = (time: TimeSpan) => (state: SearchState) => {
  state.time = time;
};
const setDays = (per: number) => (state: SearchState, match: Match) => {
  const days = (match.numbers[0] ?? 0) * per;
  state.time = days === 30 ? { window: true } : { days };
};
for (const spec of [
  'past month',
  'this past month',
  'the last month',
  '30|thirty days',
  '30d',
  'recently|lately',
]) {
  add(spec, setTime({ window: true }), 'time');
}
add('last|past|previous # days|day', setDays(1), 'time');
add('last|past|previous # weeks|week', setDays(7), 'time');
add('past week', setTime({ days: 7 }), 'time');
for (const [calendar, word] of [
  ['month', 'month'],
  ['week', 'week'],
] as const) {
  for (const spec of [
    `this|current ${word}`,
    `so far this ${word}`,
    `this calendar ${word}`,
    `${word} to date`,
  ]) {
    add(spec, setTime({ calendar }), 'time');
  }
}
add('mtd', setTime({ calendar: 'month' }), 'time');
add('today', setTime({ calendar: 'day' }), 'time');

/** Activity (New, Active, Inactive, never ordered), activity verbs and times. */
export const ACTIVITY_RULES: readonly Rule[] = rules;
