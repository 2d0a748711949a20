import { isFiller, type Token } from './question-reader-text.ts';

/** Filters on one field that a question names: notes text, city, an email domain or a phone prefix. */
export interface FieldFilters {
  notes?: string;
  city?: string;
  /** "@acme.com" or "+84": a text query that only an email or a phone can match. */
  query?: string;
}

const NOTE_WORDS = new Set(['notes', 'note']);
const NOTE_VERBS = new Set(
  `mention mentions mentioning mentioned say says saying said contain contains containing include includes
  including about with read reads state states refer refers talk talks :`.split(/\s+/),
);
const AFTER_VERB = new Set(['about', 'to', 'of', 'that']);
/** Words that open the value before "in the notes": "with late deliveries in the notes". */
const VALUE_OPENERS = new Set([
  'with',
  'mentioning',
  'mention',
  'mentions',
  'about',
  'saying',
  'says',
  'containing',
]);
const CLAUSE_END = new Set([',', ';', '?', '!', '.']);

const take = (tokens: readonly Token[], from: number, to: number) => {
  for (const token of tokens.slice(from, to + 1)) {
    token.used = true;
    token.role = 'field';
  }
};

/** The text from tokens[first] to tokens[last] as written, quotes around it removed. */
function valueText(text: string, tokens: readonly Token[], first: number, last: number): string | undefined {
  while (first <= last && (tokens[first]?.punct || tokens[first]?.filler)) first += 1;
  while (last >= first && (tokens[last]?.punct || isFiller(tokens, last))) last -= 1;
  const start = tokens[first];
  const stop = tokens[last];
  if (!start || !stop || first > last) return undefined;
  const raw = text.slice(start.start, stop.end).trim();
  const quoted = /^["'](.*)["']$/.exec(raw);
  return (quoted ? quoted[1] : raw)?.trim() || undefined;
}

/** "whose notes mention palm oil", "notes: call first", "with late deliveries in the notes". */
function readNotes(text: string, tokens: Token[]): string | undefined {
  const at = tokens.findIndex((token) => !token.used && NOTE_WORDS.has(token.key));
  if (at < 0) return undefined;
  let verb = at + 1;
  if (['that', 'which'].includes(tokens[verb]?.key ?? '')) verb += 1;
  if (NOTE_VERBS.has(tokens[verb]?.key ?? '')) {
    let first = verb + 1;
    if (AFTER_VERB.has(tokens[first]?.key ?? '')) first += 1;
    let last = first;
    while (last + 1 < tokens.length && !CLAUSE_END.has(tokens[last + 1]?.key ?? '')) last += 1;
    const value = valueText(text, tokens, first, last);
    if (value) take(tokens, at, last);
    return value;
  }
  let inAt = at - 1;
  if (['the', 'their', 'its', 'his', 'her'].includes(tokens[inAt]?.key ?? '')) inAt -= 1;
  if (tokens[inAt]?.key !== 'in') return undefined;
  let opener = inAt - 1;
  while (opener >= 0 && !VALUE_OPENERS.has(tokens[opener]?.key ?? '') && !tokens[opener]?.used) opener -= 1;
  if (opener < 0 || !VALUE_OPENERS.has(tokens[opener]?.key ?? '')) return undefined;
  const value = valueText(text, tokens, opener + 1, inAt - 1);
  if (value) take(tokens, opener, at);
  return value;
}

const DOMAIN = /^@?[\p{L}\d-]+(?:\.[\p{L}\d-]+)*\.\p{L}{2,}$/u;
const EMAIL_WORDS = new Set([
  'email',
  'emails',
  'e-mail',
  'e-mails',
  'mail',
  'address',
  'addresses',
  'domain',
]);
const EMAIL_LINKS = new Set([
  'at',
  'on',
  'from',
  '@',
  'ending',
  'ends',
  'end',
  'in',
  'with',
  'is',
  'domain',
  'of',
]);
const PHONE_WORDS = new Set(['phone', 'phones', 'number', 'numbers', 'tel', 'telephone', 'mobile']);
const PHONE_LINKS = new Set([
  'starting',
  'starts',
  'start',
  'beginning',
  'begins',
  'begin',
  'with',
  'in',
  'prefix',
  'code',
  'country',
  'dialing',
  'dialling',
  'that',
  'is',
]);

/** A word of `words` before tokens[index], with only `links` between (up to three). */
function introducedBy(
  tokens: readonly Token[],
  index: number,
  words: Set<string>,
  links: Set<string>,
): number {
  for (let at = index - 1; at >= Math.max(0, index - 4); at -= 1) {
    const key = tokens[at]?.key ?? '';
    if (words.has(key)) return at;
    if (!links.has(key)) return -1;
  }
  return -1;
}

/** "email at acme.com", "an acme.com email", "@acme.com": a query only an email matches. */
function readEmailDomain(tokens: Token[]): string | undefined {
  for (const [index, token] of tokens.entries()) {
    if (token.used || !DOMAIN.test(token.text) || token.text.includes('@', 1)) continue;
    const domain = token.text.replace(/^@/, '').toLowerCase();
    const before = introducedBy(tokens, index, EMAIL_WORDS, EMAIL_LINKS);
    const after = EMAIL_WORDS.has(tokens[index + 1]?.key ?? '') ? index + 1 : -1;
    if (before >= 0) take(tokens, before, index);
    else if (after >= 0) take(tokens, index, after);
    else if (token.text.startsWith('@')) take(tokens, index, index);
    else continue;
    return `@${domain}`;
  }
  return undefined;
}

/** "phone starting +84", "+84 numbers": a country calling code (a longer prefix is not read). */
function readPhonePrefix(tokens: Token[]): string | undefined {
  for (const [index, token] of tokens.entries()) {
    if (token.used || !/^\+\d{1,3}$/.test(token.text) || /^\d/.test(tokens[index + 1]?.text ?? '')) continue;
    const before = introducedBy(tokens, index, PHONE_WORDS, PHONE_LINKS);
    const after = PHONE_WORDS.has(tokens[index + 1]?.key ?? '') ? index + 1 : -1;
    if (before >= 0) take(tokens, before, index);
    else if (after >= 0) take(tokens, index, after);
    else continue;
    return token.text;
  }
  return undefined;
}

/** Reads the notes, email and phone phrases, marking their words; before the other phrases are read. */
export function readFieldPhrases(text: string, tokens: Token[]): FieldFilters {
  const found: FieldFilters = {};
  const notes = readNotes(text, tokens);
  if (notes) found.notes = notes;
  const query = readEmailDomain(tokens) ?? readPhonePrefix(tokens);
  if (query) found.query = query;
  return found;
}

/** Places that are not cities: regions, continents, trade blocs. */
const REGIONS = new Set(
  `europe asia africa americas oceania eu emea apac latam mena dach benelux scandinavia nordics balkans
  caribbean middle east north south central southeast western eastern northern southern global worldwide
  overseas abroad domestic local`.split(/\s+/),
);
const MONTHS = new Set(
  `january february march april may june july august september october november december monday tuesday
  wednesday thursday friday saturday sunday q1 q2 q3 q4`.split(/\s+/),
);
const NAME_PARTICLES = new Set([
  'de',
  'da',
  'do',
  'du',
  'la',
  'le',
  'del',
  'di',
  'van',
  'von',
  'am',
  'upon',
  'on',
  'sur',
]);

const capitalised = (token: Token | undefined) =>
  !!token &&
  !token.used &&
  !token.punct &&
  !token.ambiguous &&
  token.typed === undefined &&
  /^\p{Lu}\p{Ll}/u.test(token.text) &&
  !/\d/.test(token.text);

/**
 * A city, after the other phrases took the countries: "city of Lyon" (any case), or capitalised
 * words right after "in"/"from" that are no country ("in Hanoi", "from Ho Chi Minh City").
 * Regions ("in Europe") and months are never cities; they stay unread.
 */
export function readCity(text: string, tokens: Token[], options: { shouted: boolean }): string | undefined {
  for (const [index, token] of tokens.entries()) {
    if (token.used) continue;
    let first = -1;
    if (['city', 'town'].includes(token.key)) {
      first = tokens[index + 1]?.key === 'of' ? index + 2 : index + 1;
      if (!tokens[first] || tokens[first]?.used || tokens[first]?.punct) continue;
    } else if (['in', 'from'].includes(token.key) && !options.shouted) {
      let at = index + 1;
      if (tokens[at]?.key === 'the' && ['city', 'town'].includes(tokens[at + 1]?.key ?? '')) continue;
      if (!capitalised(tokens[at])) continue;
      first = at;
      at += 1;
      while (
        capitalised(tokens[at]) ||
        (NAME_PARTICLES.has(tokens[at]?.key ?? '') && capitalised(tokens[at + 1]))
      )
        at += 1;
      const words = tokens.slice(first, at);
      if (words.length > 4 || words.some((word) => REGIONS.has(word.key) || MONTHS.has(word.key))) continue;
      // "Latin America": the capitalised words go on into a place read as a country.
      if (tokens[at]?.used && /^\p{Lu}/u.test(tokens[at]?.text ?? '')) continue;
      const value = valueText(text, tokens, first, at - 1);
      if (!value) continue;
      take(tokens, first, at - 1);
      return value;
    } else continue;
    let last = first;
    while (
      last + 1 < tokens.length &&
      last - first < 3 &&
      !tokens[last + 1]?.used &&
      !tokens[last + 1]?.punct &&
      !isFiller(tokens, last + 1)
    ) {
      last += 1;
    }
    const words = tokens.slice(first, last + 1);
    const notCity = (word: Token) =>
      REGIONS.has(word.key) ||
      MONTHS.has(word.key) ||
      /\d/.test(word.text) ||
      isFiller(tokens, tokens.indexOf(word));
    if (words.some(notCity)) continue;
    const value = valueText(text, tokens, first, last);
    if (!value) continue;
    take(tokens, index, last);
    return value;
  }
  return undefined;
}
