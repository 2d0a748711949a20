import { describe, expect, it } from 'vitest';
import { isReply, plainReply, plainWords, reply, replyText } from './reply.ts';

describe('replyText', () => {
  it('renders every part as plain words, one per line, with no markup and nothing escaped', () => {
    const text = replyText([
      { type: 'heading', text: '3 customers matching "<!channel> & co"', tone: 'warning' },
      { type: 'paragraph', text: [{ strong: 'CUS-1' }, ' Anna · ', { emphasis: 'disabled' }] },
      { type: 'rows', rows: ['first <@U123>', [{ strong: 'CUS-2' }, ' Binh']] },
      { type: 'note', text: 'As of 2026-06-15.' },
      {
        type: 'link',
        lead: 'and 12 more',
        label: 'Download the full list',
        url: 'http://localhost/exports/1',
        note: 'link valid 1 hour',
      },
      { type: 'actions', id: 'x', actions: [{ id: 'confirm', label: 'Confirm', value: '1' }] },
    ]);
    expect(text).toBe(
      [
        '3 customers matching "<!channel> & co"',
        'CUS-1 Anna · disabled',
        '• first <@U123>',
        '• CUS-2 Binh',
        'As of 2026-06-15.',
        'and 12 more: http://localhost/exports/1 (link valid 1 hour)',
      ].join('\n'),
    );
  });

  it('names a person by their id and leaves out empty parts', () => {
    expect(plainWords(['Only ', { mention: 'UEDITOR' }, ' can confirm it.'])).toBe(
      'Only @UEDITOR can confirm it.',
    );
    expect(
      replyText([
        { type: 'paragraph', text: '' },
        { type: 'rows', rows: [] },
        { type: 'note', text: 'x' },
      ]),
    ).toBe('x');
  });
});

describe('reply', () => {
  it('takes its text from the parts unless given its own', () => {
    expect(plainReply('Done.')).toEqual({ text: 'Done.', parts: [{ type: 'paragraph', text: 'Done.' }] });
    expect(reply([{ type: 'paragraph', text: 'shown' }], { text: 'notified' }).text).toBe('notified');
  });

  it('tells a reply from a tool result', () => {
    expect(isReply(plainReply('x'))).toBe(true);
    expect(isReply({ items: [], total: 0 })).toBe(false);
  });
});
