import { countryName } from '../../directory/values/country.ts';
import { type Reading, readQuestion } from './question-reader.ts';
import type { Period } from './question-reader-search.ts';
import { formatAmount } from './question-reader-text.ts';

type SearchLike = Extract<Reading, { intent: 'search' | 'count' }>;

const SORT_WORDS: Record<string, string> = {
  'total desc': 'by total',
  'total asc': 'smallest first',
  'orders desc': 'with the most orders',
  'orders asc': 'with the fewest orders',
  'lastOrderDate desc': 'by latest order',
  'since desc': 'newest first',
  'since asc': 'oldest first',
  'name asc': 'by name',
  'name desc': 'z to a',
  'city asc': 'by city',
  'country asc': 'by country',
  'company asc': 'by company',
  'code asc': 'by code',
};

/** One record by a superlative: "top supplier", "newest customer". */
const ONE: Record<string, string> = {
  'total desc': 'top',
  'total asc': 'smallest',
  'since desc': 'newest',
  'since asc': 'oldest',
};

function periodWords(period: Period): string {
  const verb = period.date === 'since' ? 'added' : 'that ordered';
  if (period.calendar === 'day') return `${verb} today`;
  if (period.calendar) return `${verb} this ${period.calendar}`;
  return `${verb} in the last ${period.days} days`;
}

/** A search as a question the reader reads back to the same search: "inactive suppliers in Thailand over 50,000". */
function questionOf(reading: SearchLike): string {
  const { args } = reading;
  const words: string[] = [];
  if (reading.intent === 'count') words.push('how many');
  const topTotal = args.sortBy === 'total' && args.sortDir === 'desc';
  const one =
    args.limit === 1 && args.sortBy !== undefined ? ONE[`${args.sortBy} ${args.sortDir}`] : undefined;
  if (one) words.push(one);
  else if (args.limit && topTotal) words.push(`top ${args.limit}`);
  else if (args.limit) words.push(`first ${args.limit}`);
  if (args.activity) words.push(args.activity);
  if (args.status) words.push(args.status);
  if (one) words.push(args.kind ?? 'partner');
  else words.push(args.kind ? `${args.kind}s` : 'customers and suppliers');
  if (reading.period) words.push(periodWords(reading.period));
  if (reading.neverOrdered) words.push('that never ordered');
  if (args.countries?.length) words.push(`in ${args.countries.map(countryName).join(' and ')}`);
  if (args.city) words.push(`in the city of ${args.city}`);
  if (args.minTotal !== undefined && args.maxTotal !== undefined)
    words.push(`between ${formatAmount(args.minTotal)} and ${formatAmount(args.maxTotal)}`);
  else if (args.minTotal !== undefined) words.push(`over ${formatAmount(args.minTotal)}`);
  else if (args.maxTotal !== undefined) words.push(`under ${formatAmount(args.maxTotal)}`);
  if (args.sortBy && !one && !(args.limit && topTotal))
    words.push(SORT_WORDS[`${args.sortBy} ${args.sortDir}`] ?? '');
  if (args.query) words.push(`named ${args.query}`);
  if (args.notes) words.push(`whose notes mention ${args.notes}`);
  return words.filter(Boolean).join(' ');
}

const sameSearch = (a: SearchLike, b: Reading): boolean =>
  b.intent === a.intent &&
  b.complete &&
  JSON.stringify({ args: b.args, period: b.period, never: b.neverOrdered }) ===
    JSON.stringify({ args: a.args, period: a.period, never: a.neverOrdered });

/**
 * The closest complete question to a search the reader did not read whole: what it understood,
 * as a question it reads back to exactly the same search. Undefined when nothing was
 * understood or the words would not read back the same.
 */
export function closestQuestion(reading: Reading): string | undefined {
  if (reading.intent === 'get') return `show ${reading.code}`;
  if (reading.intent === 'summary') return 'summary';
  if (reading.intent !== 'search' && reading.intent !== 'count') return undefined;
  const question = questionOf(reading);
  const back = readQuestion(question);
  return sameSearch(reading, back) ? question : undefined;
}

/**
 * For words left unread right after "in"/"from" ("customers in hanoi"), the question with them
 * read as a city ("customers in the city of hanoi"), when the reader then reads it whole.
 */
export function questionWithCity(question: string, unread: readonly string[]): string | undefined {
  for (const words of unread) {
    const at = question.search(new RegExp(String.raw`\b(?:in|from)\s+${escapeRegExp(words)}\b`, 'i'));
    if (at < 0) continue;
    const asCity = `${question.slice(0, at)}in the city of ${words}${question.slice(at + question.slice(at).indexOf(words) + words.length)}`;
    if (readQuestion(asCity).complete) return asCity;
  }
  return undefined;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * For a word close to two vocabulary words ("Nigera": Niger, Nigeria), the question with each
 * of them in its place, when the reader then reads it whole.
 */
export function questionsWithEach(question: string, word: string, candidates: readonly string[]): string[] {
  return candidates
    .map((candidate) => question.replace(word, candidate))
    .filter((candidate) => readQuestion(candidate).complete);
}
