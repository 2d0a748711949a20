import { describe, expect, it } from 'vitest';
import { escapeMrkdwn, mention, mrkdwn, reply, section, slackMessage } from './reply.ts';

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
  it('escapes plain words, and the text of a reply while keeping its blocks', () => {
    expect(slackMessage('Done: <@U123> & <!channel>').text).toBe(
      'Done: &lt;@U123&gt; &amp; &lt;!channel&gt;',
    );
    const blocks = [section('*already* escaped &lt;')];
    expect(slackMessage(reply('<!everyone>', blocks))).toEqual({ text: '&lt;!everyone&gt;', blocks });
  });

  it('leaves the reply itself plain for the terminal and the HTTP API', () => {
    const answer = reply('<!everyone> & co', []);
    slackMessage(answer);
    expect(answer.text).toBe('<!everyone> & co');
  });

  it('shortens long text without leaving half an entity', () => {
    const { text } = slackMessage('<'.repeat(5000));
    expect(text.length).toBeLessThanOrEqual(3900);
    expect(text).toMatch(/^(&lt;)+…$/);
  });
});
