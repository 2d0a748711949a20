import { describe, expect, it } from 'vitest';
import { ASK_ACTION, clarifyReply } from './clarify-reply.ts';
import { readQuestion } from './reader/question-reader.ts';

const clarify = (question: string) =>
  clarifyReply({ question, reading: readQuestion(question), examples: ['summary'] });
const buttons = (question: string) =>
  clarify(question).parts.flatMap((part) =>
    part.type === 'actions' ? part.actions.map((a) => [a.id, a.value]) : [],
  );

describe('clarifyReply', () => {
  it('says what it understood, asks about the rest and offers the closest complete question', () => {
    const reply = clarify('which suppliers in Vietnam smell nice');
    expect(reply.text).toContain('I understood: suppliers, in Viet Nam. What did you mean by "smell nice"?');
    expect(buttons('which suppliers in Vietnam smell nice')).toEqual([
      [`${ASK_ACTION}_0`, 'suppliers in Viet Nam'],
    ]);
  });

  it('offers each reading of a word close to two words', () => {
    expect(clarify('suppliers in Nigera').text).toContain('By "Nigera", did you mean Niger or Nigeria?');
    expect(buttons('suppliers in Nigera').map(([, value]) => value)).toEqual([
      'suppliers in Niger',
      'suppliers in Nigeria',
    ]);
  });

  it('asks whether unread words after "in" are a city', () => {
    expect(clarify('customers in hanoi').text).toContain('Is "hanoi" a city?');
    expect(buttons('customers in hanoi').map(([, value]) => value)).toEqual([
      'customers in the city of hanoi',
    ]);
  });

  it('offers no button when a negation was not understood (it would ask the opposite)', () => {
    expect(clarify('customers not in Germany').text).toContain('I cannot answer "not" yet');
    expect(buttons('customers not in Germany')).toEqual([]);
  });

  it('asks which records are meant when it understood nothing', () => {
    const reply = clarify('what is the weather like');
    expect(reply.text).toContain('Which customers or suppliers are you asking about?');
    expect(reply.text).toContain('summary');
  });

  it('offers the record for a question about a code it could not read whole', () => {
    expect(buttons('is SUP-000123 disabled?').map(([, value]) => value)).toEqual(['show SUP-000123']);
  });
});
