// A blind set of 70 questions for the deterministic question reader (issue 12), written from the
// issue's kinds of phrasing, the product guide (customer-supplier-management.txt) and the README's
// "From Slack" section only, by a tester who had not read the reader's code or its own phrasing
// tables. Each question carries the reading a person would expect; the test that runs it
// (src/assistant/blind-set.test.ts) computes the expected rows from the database itself.
//
// Meanings used for the expected readings (from the guide):
// - customer = a company that buys from us (clients, buyers, accounts, "who we sell to");
//   supplier = a company we buy from (vendors, "who we buy/purchase from").
// - new = the Customer/Supplier Since date is on or after the day 30 days ago (up to today);
//   active = last order on or after the day 30 days ago; inactive = last order older than that,
//   or no last order at all.
// - totals: Total Sales for customers, Total Purchases for suppliers. "over / above / more than"
//   is a lower bound, "under / below / less than" an upper bound, "between a and b" both
//   (the seed is checked to have no record exactly on a bound, so strict vs inclusive does not
//   decide a result).
// - "this month" / "this week" are calendar periods (week from Monday), through today; "last 7 days"
//   is on or after the day 7 days ago, like the guide's 30-day window.
// - a status left unsaid means the directory's default listing (whatever the tools list when no
//   status is given); "disabled" asks for the disabled records.
// - a currency sign ($, €) filters on currency only if the directory records a currency per record;
//   otherwise it is just the amount.

export type Kind = 'customer' | 'supplier';

export interface Reading {
  kind: Kind | 'both';
  /** list = the matching records; count = how many */
  mode: 'list' | 'count';
  activity?: 'new' | 'active' | 'inactive';
  /** ISO 3166-1 alpha-2 codes, any of */
  countries?: string[];
  /** ISO codes the records must not be in */
  notCountries?: string[];
  /** lower bound on total sales / total purchases */
  min?: number;
  /** upper bound on total sales / total purchases */
  max?: number;
  /** currency named by a sign in the question; a filter only when the directory records currency */
  currency?: string;
  /** ordering by total sales / total purchases */
  sort?: 'total-desc' | 'total-asc';
  limit?: number;
  /** free text searched in that field (case-insensitive substring) */
  name?: string;
  notes?: string;
  city?: string;
  status?: 'disabled';
  /** no last order date at all */
  neverOrdered?: true;
  /** a calendar or day-count period on one date field */
  period?: { field: 'since' | 'lastOrder'; span: 'this-week' | 'this-month' | 'last-7-days' };
}

export interface BlindQuestion {
  id: number;
  /** the kind of phrasing, for grouping the results */
  group: string;
  question: string;
  /** the expected reading, or "ask" when the bot should ask back (ambiguous or out of scope) */
  expected: Reading | 'ask';
  /** why "ask", or a note on the reading */
  note?: string;
}

export const blindSet: BlindQuestion[] = [
  // --- filler words, Slack mentions, emoji ---
  {
    id: 1,
    group: 'filler',
    question: 'hey @partnerbook can u pull up the inactive suppliers in germany pls :pray:',
    expected: { kind: 'supplier', mode: 'list', activity: 'inactive', countries: ['DE'] },
  },
  {
    id: 2,
    group: 'filler',
    question: 'morning! could you show me active customers in Japan? thx',
    expected: { kind: 'customer', mode: 'list', activity: 'active', countries: ['JP'] },
  },
  {
    id: 3,
    group: 'filler',
    question: '@partnerbook how many vendors do we have in vietnam 🙏',
    expected: { kind: 'supplier', mode: 'count', countries: ['VN'] },
  },
  {
    id: 4,
    group: 'filler',
    question: 'pls list new clients in france, thanks!!',
    expected: { kind: 'customer', mode: 'list', activity: 'new', countries: ['FR'] },
  },
  {
    id: 5,
    group: 'filler',
    question: '<@U07PARTNER> quick one - active customers in spain?',
    expected: { kind: 'customer', mode: 'list', activity: 'active', countries: ['ES'] },
    note: "raw Slack mention syntax as it arrives in an event's text",
  },

  // --- one misspelt word (or two) ---
  {
    id: 6,
    group: 'typo',
    question: 'inactve supplers in germany',
    expected: { kind: 'supplier', mode: 'list', activity: 'inactive', countries: ['DE'] },
  },
  {
    id: 7,
    group: 'typo',
    question: 'custmers in japan',
    expected: { kind: 'customer', mode: 'list', countries: ['JP'] },
  },
  {
    id: 8,
    group: 'typo',
    question: 'actve vendors in vietnma',
    expected: { kind: 'supplier', mode: 'list', activity: 'active', countries: ['VN'] },
  },
  {
    id: 9,
    group: 'typo',
    question: 'new cusotmers in spain',
    expected: { kind: 'customer', mode: 'list', activity: 'new', countries: ['ES'] },
  },
  {
    id: 10,
    group: 'typo',
    question: 'how many suppleirs in thailand',
    expected: { kind: 'supplier', mode: 'count', countries: ['TH'] },
  },
  {
    id: 11,
    group: 'typo',
    question: 'venders in Frence',
    expected: { kind: 'supplier', mode: 'list', countries: ['FR'] },
  },

  // --- the guide's Active in other words ---
  {
    id: 12,
    group: 'active-words',
    question: 'which clients in france placed an order in the past 30 days',
    expected: { kind: 'customer', mode: 'list', activity: 'active', countries: ['FR'] },
  },
  {
    id: 13,
    group: 'active-words',
    question: 'suppliers in japan we ordered from recently',
    expected: { kind: 'supplier', mode: 'list', activity: 'active', countries: ['JP'] },
  },
  {
    id: 14,
    group: 'active-words',
    question: 'which vendors have we bought from in the last 30 days in vietnam',
    expected: { kind: 'supplier', mode: 'list', activity: 'active', countries: ['VN'] },
  },

  // --- the guide's Inactive in other words ---
  {
    id: 15,
    group: 'inactive-words',
    question: "customers in spain who haven't ordered in 30 days",
    expected: { kind: 'customer', mode: 'list', activity: 'inactive', countries: ['ES'] },
  },
  {
    id: 16,
    group: 'inactive-words',
    question: 'suppliers with no recent orders',
    expected: { kind: 'supplier', mode: 'list', activity: 'inactive' },
  },
  {
    id: 17,
    group: 'inactive-words',
    question: 'vendors in germany we havent bought from in the last 30 days',
    expected: { kind: 'supplier', mode: 'list', activity: 'inactive', countries: ['DE'] },
  },

  // --- the guide's New in other words ---
  {
    id: 18,
    group: 'new-words',
    question: 'vendors in Japan we started working with in the past 30 days',
    expected: { kind: 'supplier', mode: 'list', activity: 'new', countries: ['JP'] },
  },
  {
    id: 19,
    group: 'new-words',
    question: 'which accounts became customers in the last 30 days',
    expected: { kind: 'customer', mode: 'list', activity: 'new' },
  },
  {
    id: 20,
    group: 'new-words',
    question: 'suppliers added in the last 30 days',
    expected: { kind: 'supplier', mode: 'list', activity: 'new' },
    note: 'added = the Supplier Since date (the README: periods on the since date)',
  },

  // --- the kind said with a verb or another noun ---
  {
    id: 21,
    group: 'kind-words',
    question: 'who do we purchase from in Thailand',
    expected: { kind: 'supplier', mode: 'list', countries: ['TH'] },
  },
  {
    id: 22,
    group: 'kind-words',
    question: 'who do we sell to in germany',
    expected: { kind: 'customer', mode: 'list', countries: ['DE'] },
  },
  {
    id: 23,
    group: 'kind-words',
    question: "who do we buy from in japan that's inactive",
    expected: { kind: 'supplier', mode: 'list', activity: 'inactive', countries: ['JP'] },
  },
  {
    id: 24,
    group: 'kind-words',
    question: 'how many companies do we sell to in france',
    expected: { kind: 'customer', mode: 'count', countries: ['FR'] },
  },
  {
    id: 25,
    group: 'kind-words',
    question: 'our accounts in spain',
    expected: { kind: 'customer', mode: 'list', countries: ['ES'] },
    note: 'the guide: a wholesale account is a customer',
  },

  // --- countries: demonyms, local names, -based, lists ---
  {
    id: 26,
    group: 'country-words',
    question: 'French suppliers',
    expected: { kind: 'supplier', mode: 'list', countries: ['FR'] },
  },
  {
    id: 27,
    group: 'country-words',
    question: 'japanese customers that are active',
    expected: { kind: 'customer', mode: 'list', activity: 'active', countries: ['JP'] },
  },
  {
    id: 28,
    group: 'country-words',
    question: 'customers from España',
    expected: { kind: 'customer', mode: 'list', countries: ['ES'] },
  },
  {
    id: 29,
    group: 'country-words',
    question: 'suppliers in Österreich',
    expected: { kind: 'supplier', mode: 'list', countries: ['AT'] },
  },
  {
    id: 30,
    group: 'country-words',
    question: 'Germany-based vendors',
    expected: { kind: 'supplier', mode: 'list', countries: ['DE'] },
  },
  {
    id: 31,
    group: 'country-words',
    question: 'active vendors in FR/JP',
    expected: { kind: 'supplier', mode: 'list', activity: 'active', countries: ['FR', 'JP'] },
  },
  {
    id: 32,
    group: 'country-words',
    question: 'customers in france and germany',
    expected: { kind: 'customer', mode: 'list', countries: ['FR', 'DE'] },
  },
  {
    id: 33,
    group: 'country-words',
    question: 'suppliers in Nihon',
    expected: { kind: 'supplier', mode: 'list', countries: ['JP'] },
  },
  {
    id: 34,
    group: 'country-words',
    question: 'vietnamese and thai suppliers',
    expected: { kind: 'supplier', mode: 'list', countries: ['VN', 'TH'] },
  },
  {
    id: 35,
    group: 'country-words',
    question: 'UK customers',
    expected: { kind: 'customer', mode: 'list', countries: ['GB'] },
  },
  {
    id: 36,
    group: 'country-words',
    question: 'inactive suppliers in Deutschland',
    expected: { kind: 'supplier', mode: 'list', activity: 'inactive', countries: ['DE'] },
  },

  // --- rankings ---
  {
    id: 37,
    group: 'ranking',
    question: 'our largest customer in France',
    expected: { kind: 'customer', mode: 'list', countries: ['FR'], sort: 'total-desc', limit: 1 },
  },
  {
    id: 38,
    group: 'ranking',
    question: "who's the biggest supplier in japan",
    expected: { kind: 'supplier', mode: 'list', countries: ['JP'], sort: 'total-desc', limit: 1 },
  },
  {
    id: 39,
    group: 'ranking',
    question: 'which 3 German customers have the smallest sales',
    expected: { kind: 'customer', mode: 'list', countries: ['DE'], sort: 'total-asc', limit: 3 },
  },
  {
    id: 40,
    group: 'ranking',
    question: 'top two vendors by purchases',
    expected: { kind: 'supplier', mode: 'list', sort: 'total-desc', limit: 2 },
  },
  {
    id: 41,
    group: 'ranking',
    question: 'top 5 customers by total sales in spain',
    expected: { kind: 'customer', mode: 'list', countries: ['ES'], sort: 'total-desc', limit: 5 },
  },
  {
    id: 42,
    group: 'ranking',
    question: 'lowest 3 suppliers by total purchases',
    expected: { kind: 'supplier', mode: 'list', sort: 'total-asc', limit: 3 },
  },
  {
    id: 43,
    group: 'ranking',
    question: 'our top customer',
    expected: { kind: 'customer', mode: 'list', sort: 'total-desc', limit: 1 },
  },

  // --- amounts in various notations ---
  {
    id: 44,
    group: 'amount',
    question: 'customers with sales over 75 000',
    expected: { kind: 'customer', mode: 'list', min: 75000 },
  },
  {
    id: 45,
    group: 'amount',
    question: 'suppliers with purchases above 75,000',
    expected: { kind: 'supplier', mode: 'list', min: 75000 },
  },
  {
    id: 46,
    group: 'amount',
    question: 'clients over 75k in france',
    expected: { kind: 'customer', mode: 'list', countries: ['FR'], min: 75000 },
  },
  {
    id: 47,
    group: 'amount',
    question: 'vendors under $10k',
    expected: { kind: 'supplier', mode: 'list', max: 10000, currency: 'USD' },
  },
  {
    id: 48,
    group: 'amount',
    question: 'customers between 20k and 50k',
    expected: { kind: 'customer', mode: 'list', min: 20000, max: 50000 },
  },
  {
    id: 49,
    group: 'amount',
    question: 'how many suppliers have total purchases over €75K',
    expected: { kind: 'supplier', mode: 'count', min: 75000, currency: 'EUR' },
  },
  {
    id: 50,
    group: 'amount',
    question: 'customers with more than 1.2m in sales',
    expected: { kind: 'customer', mode: 'list', min: 1200000 },
  },

  // --- counts ---
  {
    id: 51,
    group: 'count',
    question: 'number of inactive suppliers in vietnam',
    expected: { kind: 'supplier', mode: 'count', activity: 'inactive', countries: ['VN'] },
  },
  {
    id: 52,
    group: 'count',
    question: 'how many customers and suppliers do we have in total',
    expected: { kind: 'both', mode: 'count' },
    note: 'both counts, or their sum',
  },

  // --- field-targeted text ---
  {
    id: 53,
    group: 'field',
    question: 'Could you find me the supplier whose notes mention palm oil',
    expected: { kind: 'supplier', mode: 'list', notes: 'palm oil' },
  },
  {
    id: 54,
    group: 'field',
    question: 'customers in Hanoi',
    expected: { kind: 'customer', mode: 'list', city: 'Hanoi' },
  },
  {
    id: 55,
    group: 'field',
    question: 'vendors with organic in the notes',
    expected: { kind: 'supplier', mode: 'list', notes: 'organic' },
  },
  {
    id: 56,
    group: 'field',
    question: 'any clients based in osaka?',
    expected: { kind: 'customer', mode: 'list', city: 'Osaka' },
  },
  {
    id: 57,
    group: 'field',
    question: 'customers not in germany',
    expected: { kind: 'customer', mode: 'list', notCountries: ['DE'] },
    note: "a negation: every customer outside Germany (asking back is acceptable, ignoring 'not' is wrong)",
  },

  // --- periods, never ordered, status ---
  {
    id: 58,
    group: 'period',
    question: 'how many new customers this month',
    expected: { kind: 'customer', mode: 'count', period: { field: 'since', span: 'this-month' } },
  },
  {
    id: 59,
    group: 'period',
    question: 'suppliers we ordered from this week',
    expected: { kind: 'supplier', mode: 'list', period: { field: 'lastOrder', span: 'this-week' } },
  },
  {
    id: 60,
    group: 'period',
    question: 'customers added in the last 7 days',
    expected: { kind: 'customer', mode: 'list', period: { field: 'since', span: 'last-7-days' } },
  },
  {
    id: 61,
    group: 'period',
    question: 'customers that have never ordered',
    expected: { kind: 'customer', mode: 'list', neverOrdered: true },
  },
  {
    id: 62,
    group: 'status',
    question: 'disabled suppliers',
    expected: { kind: 'supplier', mode: 'list', status: 'disabled' },
  },

  // --- should ask back: ambiguous or out of scope ---
  {
    id: 63,
    group: 'ask',
    question: "what's the weather like in Tokyo today",
    expected: 'ask',
    note: 'out of scope',
  },
  {
    id: 64,
    group: 'ask',
    question: 'which suppliers are late on deliveries',
    expected: 'ask',
    note: 'the directory records no deliveries',
  },
  {
    id: 65,
    group: 'ask',
    question: 'suppliers from last month',
    expected: 'ask',
    note: 'which date (since or last order), and the calendar month or 30 days',
  },
  {
    id: 66,
    group: 'ask',
    question: 'who are our best vendors',
    expected: 'ask',
    note: "'best' names no measure",
  },
  {
    id: 67,
    group: 'ask',
    question: 'big customers in germany',
    expected: 'ask',
    note: "'big' gives no threshold and no number (not 'the biggest')",
  },
  {
    id: 68,
    group: 'ask',
    question: 'any news from the vietnamese suppliers?',
    expected: 'ask',
    note: 'out of scope',
  },
  {
    id: 69,
    group: 'ask',
    question: 'which customers pay late',
    expected: 'ask',
    note: 'the directory records no payments',
  },
  {
    id: 70,
    group: 'ask',
    question: 'send the supplier list to maria in finance',
    expected: 'ask',
    note: 'the bot cannot send to a person; a plain supplier list would ignore half the request',
  },
];
