import { describe, expect, it } from 'vitest';
import { reply } from '../assistant/reply.ts';
import { OPEN_LINK_ACTION, replyBlocks, slackMessage } from './blocks.ts';
import { escapeMrkdwn, mention, mrkdwn } from './mrkdwn.ts';

describe('escapeMrkdwn', () => {
  it('turns & < > into entities', () => {
    expect(escapeMrkdwn('a & <!channel> <https://x|y>')).toBe('a &amp; &lt;!channel&gt; &lt;https://x|y&gt;');
  });
});

describe('mrkdwn', () => {
  it('escapes every interpolated value and keeps our own mention', () => {
    const text = slackMessage(
      mrkdwn`Only ${mention('UEDITOR')} can confirm ${'<!everyone> & co'} (${3}).`,
    ).text;
    expect(text).toBe('Only <@UEDITOR> can confirm &lt;!everyone&gt; &amp; co (3).');
  });

  it('makes a mention only of a Slack user id', () => {
    expect(slackMessage(mention('!channel')).text).toBe('!channel');
    expect(slackMessage(mention('U1>|<!here')).text).toBe('U1&gt;|&lt;!here');
  });
});

describe('slackMessage', () => {
  it('escapes plain words, and the text and parts of a reply, each once', () => {
    expect(slackMessage('Done: <@U123> & <!channel>').text).toBe(
      'Done: &lt;@U123&gt; &amp; &lt;!channel&gt;',
    );
    const message = reply([{ type: 'paragraph', text: [{ strong: 'stressed' }, ' escaped <'] }], {
      text: '<!everyone>',
    });
    expect(slackMessage(message)).toEqual({
      text: '&lt;!everyone&gt;',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*stressed* escaped &lt;' } }],
    });
  });

  it('leaves the reply itself plain for the terminal and the HTTP API', () => {
    const answer = reply([{ type: 'paragraph', text: '<!everyone> & co' }]);
    slackMessage(answer);
    expect(answer.text).toBe('<!everyone> & co');
  });

  it('shortens long text without leaving half an entity', () => {
    const { text } = slackMessage('<'.repeat(5000));
    expect(text.length).toBeLessThanOrEqual(3900);
    expect(text).toMatch(/^(&lt;)+…$/);
  });
});

describe('replyBlocks', () => {
  const evil = '<!channel> & <https://evil.example|click>';
  const escaped = '&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;';

  it('renders each part as Block Kit, escaping every string of record text once', () => {
    const blocks = replyBlocks([
      { type: 'heading', text: evil, tone: 'warning' },
      { type: 'paragraph', text: [{ strong: evil }, ' and ', { emphasis: evil }] },
      { type: 'rows', rows: [evil, [{ strong: 'CUS-1' }, ` ${evil}`]] },
      { type: 'note', text: evil },
      { type: 'paragraph', text: ['Only ', { mention: 'UEDITOR' }, ' or ', { mention: '<!here>' }] },
    ]);
    expect(blocks).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: `:warning: *${escaped}*` } },
      { type: 'section', text: { type: 'mrkdwn', text: `*${escaped}* and _${escaped}_` } },
      { type: 'section', text: { type: 'mrkdwn', text: `• ${escaped}\n• *CUS-1* ${escaped}` } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: escaped }] },
      { type: 'section', text: { type: 'mrkdwn', text: 'Only <@UEDITOR> or &lt;!here&gt;' } },
    ]);
  });

  it('renders a link as a button (never unfurled) and actions as buttons with their values', () => {
    const blocks = replyBlocks([
      {
        type: 'link',
        lead: 'and 12 more',
        label: 'Download the full list',
        url: 'http://localhost/exports/abc',
        note: 'link valid 1 hour',
      },
      {
        type: 'actions',
        id: 'partnerbook_change',
        actions: [
          { id: 'partnerbook_confirm', label: 'Confirm', value: 'id-1', style: 'primary' },
          { id: 'partnerbook_cancel', label: 'Cancel', value: 'id-1' },
        ],
      },
    ]);
    expect(blocks).toEqual([
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'and 12 more · link valid 1 hour' }] },
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: OPEN_LINK_ACTION,
            text: { type: 'plain_text', text: 'Download the full list' },
            url: 'http://localhost/exports/abc',
          },
        ],
      },
      {
        type: 'actions',
        block_id: 'partnerbook_change',
        elements: [
          {
            type: 'button',
            action_id: 'partnerbook_confirm',
            value: 'id-1',
            text: { type: 'plain_text', text: 'Confirm' },
            style: 'primary',
          },
          {
            type: 'button',
            action_id: 'partnerbook_cancel',
            value: 'id-1',
            text: { type: 'plain_text', text: 'Cancel' },
          },
        ],
      },
    ]);
  });

  it('keeps sections within 3,000 characters and the message within 50 blocks', () => {
    const [long] = replyBlocks([{ type: 'paragraph', text: '&'.repeat(4000) }]) as {
      text: { text: string };
    }[];
    expect(long!.text.text.length).toBeLessThanOrEqual(3000);
    expect(long!.text.text).toMatch(/^(&amp;)+…$/);
    const many = replyBlocks(Array.from({ length: 60 }, () => ({ type: 'paragraph' as const, text: 'x' })));
    expect(many).toHaveLength(50);
    expect(many[49]).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: '(shortened)' }] });
  });

  it('leaves out parts without words, which Slack would refuse', () => {
    expect(
      replyBlocks([
        { type: 'paragraph', text: ' ' },
        { type: 'rows', rows: [] },
      ]),
    ).toEqual([]);
  });
});
