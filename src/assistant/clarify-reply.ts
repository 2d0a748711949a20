import type { Reading } from './reader/question-reader.ts';
import { closestQuestion, questionsWithEach, questionWithCity } from './reader/question-reader-suggest.ts';
import { type BotReply, type ReplyAction, type ReplyPart, reply } from './reply.ts';

/**
 * Buttons that ask a question again ("suppliers in China"): action ids start with this, one per
 * button (`partnerbook_ask_0`, ...); the value is the question to answer.
 */
export const ASK_ACTION = 'partnerbook_ask';
const LABEL_LIMIT = 75;

const quoted = (words: readonly string[]) => words.map((word) => `"${word}"`).join(' and ');

function askButtons(questions: readonly string[]): ReplyPart[] {
  if (!questions.length) return [];
  const actions: ReplyAction[] = questions.slice(0, 5).map((question, index) => ({
    id: `${ASK_ACTION}_${index}`,
    label: question.length > LABEL_LIMIT ? `${question.slice(0, LABEL_LIMIT - 1)}…` : question,
    value: question,
  }));
  return [{ type: 'actions', id: ASK_ACTION, actions }];
}

/**
 * The answer to a question the reader could not read whole, without a model: what it understood,
 * one short question about the rest, and the closest complete question (or each reading of an
 * ambiguous word) as a button. It never answers as if it had understood.
 */
export function clarifyReply(options: {
  question: string;
  reading: Reading;
  examples: readonly string[];
}): BotReply {
  const { question, reading } = options;
  const understood = reading.understood.length ? `I understood: ${reading.understood.join(', ')}.` : '';
  const unread = 'unread' in reading ? (reading.unread ?? []) : [];
  const ambiguous = 'ambiguous' in reading ? (reading.ambiguous ?? []) : [];
  const first = ambiguous[0];
  if (first) {
    const choices = first.candidates.join(' or ');
    const options = questionsWithEach(question, first.word, first.candidates);
    const parts: ReplyPart[] = [
      { type: 'paragraph', text: `${understood} By "${first.word}", did you mean ${choices}?`.trim() },
    ];
    if (options.length)
      parts.push({ type: 'note', text: `Or ask: ${options.map((q) => `"${q}"`).join(' or ')}` });
    return reply([...parts, ...askButtons(options)]);
  }
  if (!understood) {
    return reply([
      {
        type: 'paragraph',
        text: 'I did not understand that question. Which customers or suppliers are you asking about? For example:',
      },
      { type: 'rows', rows: [...options.examples] },
    ]);
  }
  const negation = unread.find((words) => NEGATION.test(words));
  if (negation) {
    // The closest question would be the opposite of what was asked: no button.
    return reply([
      {
        type: 'paragraph',
        text: `${understood} I cannot answer "${negation}" yet, as the search cannot leave records out: which records should I list?`,
      },
    ]);
  }
  const asCity = questionWithCity(question, unread);
  const closest = asCity ?? closestQuestion(reading);
  const rest = asCity
    ? `Is ${quoted(unread)} a city?`
    : unread.length
      ? `What did you mean by ${quoted(unread)}?`
      : 'What else did you mean? I could not read all of it.';
  const parts: ReplyPart[] = [{ type: 'paragraph', text: `${understood} ${rest}` }];
  if (closest) parts.push({ type: 'note', text: `The closest question I can answer: "${closest}"` });
  return reply([...parts, ...askButtons(closest ? [closest] : [])]);
}

/** Words that leave records out; the search cannot, so no "closest question" is offered. */
const NEGATION = /\b(?:not|no|never|without|except|excluding|exclude|besides|other than|apart from|but)\b/i;
