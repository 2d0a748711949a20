import type { Token } from './question-reader-text.ts';

/**
 * Words that carry no filter. Anything else left over makes a reading incomplete. Never here: a
 * negation (not, no, never, without, except, but), a number or a field name, since skipping one
 * of those would change the meaning.
 */
export const STOP_WORDS = new Set(
  `a an the which what whats what's who whom whose where are is was were be been being am show me list
  all our my please pls plz kindly do does did we have has had with that those these this in from by of
  for to on at any some there here give get can could would will you i i'm see tell about and or only
  just currently now right them they their it its also too as than want need know display return fetch
  pull let let's hey hi hello thanks thank bot one ones every each still both either ever whole entire
  registered listed located based situated within directory database partnerbook exist exists existing
  results result records entries rows &`.split(/\s+/),
);

/** Words after which a lower-case "us" is the pronoun ("show us", "sell to us"). */
export const US_AFTER = new Set(
  'show give tell send let get to for with from sell sells supply supplies buy help email find'.split(' '),
);

/**
 * The closed list of politeness, greetings and chat habits, as phrases ("a|b c" = "a c" or "b c").
 * Slack mentions and emoji codes are removed before (cleanSlackText); emoji characters are
 * punctuation.
 */
const FILLER_PHRASES = [
  'u',
  'ya',
  'thx|thnx|thanx|ty|tia|cheers|ta',
  'yo|hiya|heya|howdy',
  'asap',
  'btw|fyi',
  'ok|okay|sorry',
  "hi|hey|hello|morning|yo all|team|guys|folks|everyone|there|y'all",
  'good morning|afternoon|evening|day',
  'thank you|u',
  'thank you|u so much',
  'thanks a lot|bunch',
  'thanks so much',
  'thanks in advance',
  'many|big thanks',
  'quick question',
  'real|super quick',
  'quick one',
  'just wondering|checking|curious',
  'i was|am wondering',
  'i wonder',
  'wondering',
  'pull|bring|dig up',
  'look into',
  'for me',
  'if you can|could',
  'if possible',
  'when you get|have a chance|moment|sec|second',
  'would|do you mind',
  "i'd|id like",
  'i would like',
  "i am|i'm looking for",
  'help me with',
];

const compiled = FILLER_PHRASES.map((spec) => spec.split(' ').map((part) => part.split('|'))).sort(
  (a, b) => b.length - a.length,
);

/** Marks the words of every filler phrase, longest phrase first, so isFiller skips them. */
export function markFillerPhrases(tokens: Token[]): void {
  for (let index = 0; index < tokens.length; index += 1) {
    const length = compiled.reduce((best, pattern) => {
      if (pattern.length <= best) return best;
      const fits = pattern.every((options, offset) => options.includes(tokens[index + offset]?.key ?? ''));
      return fits ? pattern.length : best;
    }, 0);
    for (const token of tokens.slice(index, index + length)) token.filler = true;
    if (length) index += length - 1;
  }
}
