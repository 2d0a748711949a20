import { describe, expect, it } from 'vitest';
import { readQuestion } from './question-reader.ts';
import { SEARCH_RULES } from './question-reader-search.ts';
import { buildVocabulary, closestWords } from './question-reader-typos.ts';

const vocabulary = buildVocabulary(SEARCH_RULES);

describe('closestWords', () => {
  it.each<[string, string[]]>([
    ['venders', ['vendors']],
    ['frnace', ['france']],
    ['custoemrs', ['customers']],
    ['suplliers', ['suppliers']],
    ['inactiv', ['inactive']],
    ['nigera', ['niger', 'nigeria']],
    // One edit below 8 letters, two from 8: "cstmrs" is too far from "customers".
    ['cstmrs', []],
    // Short words and words the reader knows are never typos.
    ['thia', []],
    ['vendors', []],
    // Common English words are written on purpose.
    ['older', []],
    ['border', []],
    ['contract', []],
    ['while', []],
    ['decent', []],
  ])('%s', (word, expected) => {
    expect(closestWords(word, vocabulary).sort()).toEqual(expected);
  });
});

describe('readQuestion: typos in context', () => {
  it('reads a misspelt country only where a place is expected', () => {
    expect(readQuestion('customers in Frnace')).toMatchObject({
      args: { kind: 'customer', countries: ['FR'] },
      corrections: [{ word: 'Frnace', as: 'France' }],
      complete: true,
    });
    // "frnace" far from "in" and from a kind word stays unread.
    expect(readQuestion('customers who like frnace')).toMatchObject({ complete: false, corrections: [] });
  });

  it('leaves a common word unread instead of reading it as a vocabulary word', () => {
    expect(readQuestion('contract manufacturers in Vietnam')).toMatchObject({
      args: { kind: 'supplier', countries: ['VN'] },
      complete: false,
      unread: ['contract'],
    });
  });

  it('asks about a word close to two vocabulary words', () => {
    expect(readQuestion('suppliers in Nigera')).toMatchObject({
      complete: false,
      ambiguous: [{ word: 'Nigera', candidates: ['Niger', 'Nigeria'] }],
    });
  });

  it('never reads a capitalised word of a name question as a typo', () => {
    expect(readQuestion('find Vendros Trading')).toMatchObject({
      args: { query: 'Vendros Trading' },
      corrections: [],
    });
  });
});
