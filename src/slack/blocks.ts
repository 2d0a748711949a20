import type { ActionsBlockElement, KnownBlock } from '@slack/types';
import { type BotReply, plainWords, type ReplyPart, type Words } from '../assistant/reply.ts';
import { capMrkdwn, escapeMrkdwn, isMrkdwn, type Mrkdwn, mention, mrkdwnText } from './mrkdwn.ts';

const SECTION_LIMIT = 3000;
const BLOCK_LIMIT = 50;
const TEXT_LIMIT = 3900;

/** The action id of link buttons ("Download the full list"); Slack reports their clicks too. */
export const OPEN_LINK_ACTION = 'partnerbook_open_link';

/** What can go to Slack: a reply, mrkdwn we wrote, or plain words (escaped on the way). */
export type SlackContent = BotReply | Mrkdwn | string;

/** Words as mrkdwn: every string escaped here, once; stress as *bold* or _italic_; a person as a mention. */
function wordsMrkdwn(words: Words): string {
  if (typeof words === 'string') return escapeMrkdwn(words);
  return words
    .map((span) => {
      if (typeof span === 'string') return escapeMrkdwn(span);
      if ('strong' in span) return `*${escapeMrkdwn(span.strong)}*`;
      if ('emphasis' in span) return `_${escapeMrkdwn(span.emphasis)}_`;
      return mrkdwnText(mention(span.mention));
    })
    .join('');
}

const section = (text: string): KnownBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text: capMrkdwn(text, SECTION_LIMIT) },
});

const contextLine = (text: string): KnownBlock => ({
  type: 'context',
  elements: [{ type: 'mrkdwn', text: capMrkdwn(text, SECTION_LIMIT) }],
});

const actionsBlock = (elements: ActionsBlockElement[], blockId?: string): KnownBlock => ({
  type: 'actions',
  ...(blockId ? { block_id: blockId } : {}),
  elements,
});

const isEmpty = (words: Words) => plainWords(words).trim() === '';

function partBlocks(part: ReplyPart): KnownBlock[] {
  // Slack refuses a section or context without text.
  if ('text' in part && isEmpty(part.text)) return [];
  switch (part.type) {
    case 'heading':
      return [section(`${part.tone === 'warning' ? ':warning: ' : ''}*${wordsMrkdwn(part.text)}*`)];
    case 'paragraph':
      return [section(wordsMrkdwn(part.text))];
    case 'rows':
      return part.rows.length ? [section(part.rows.map((row) => `• ${wordsMrkdwn(row)}`).join('\n'))] : [];
    case 'note':
      return [contextLine(wordsMrkdwn(part.text))];
    case 'link':
      // A button, not a link in the text: Slack never unfurls (opens) a button's URL, so a lazy
      // export behind it runs only when a person clicks.
      return [
        contextLine(escapeMrkdwn(part.note ? `${part.lead} · ${part.note}` : part.lead)),
        actionsBlock([
          {
            type: 'button',
            action_id: OPEN_LINK_ACTION,
            text: { type: 'plain_text', text: part.label },
            url: part.url,
          },
        ]),
      ];
    case 'actions':
      return [
        actionsBlock(
          part.actions.map((action) => ({
            type: 'button',
            action_id: action.id,
            value: action.value,
            text: { type: 'plain_text', text: action.label },
            ...(action.style ? { style: action.style } : {}),
          })),
          part.id,
        ),
      ];
  }
}

/**
 * A reply's parts as Block Kit: every piece of record text escaped once, sections within
 * 3,000 characters, the message within 50 blocks.
 */
export function replyBlocks(parts: readonly ReplyPart[]): KnownBlock[] {
  const blocks = parts.flatMap(partBlocks);
  return blocks.length <= BLOCK_LIMIT
    ? blocks
    : [...blocks.slice(0, BLOCK_LIMIT - 1), contextLine('(shortened)')];
}

/**
 * The one step from what the bot says to what Slack receives (posts, response_url answers,
 * digest and breach posts): plain text is escaped here, so record text can never ping a
 * channel or form a link; mrkdwn`` text goes as written; a reply's text is escaped and its
 * parts rendered to blocks.
 */
export function slackMessage(content: SlackContent): { text: string; blocks?: KnownBlock[] } {
  if (typeof content === 'string') return { text: capMrkdwn(escapeMrkdwn(content), TEXT_LIMIT) };
  if (isMrkdwn(content)) return { text: capMrkdwn(mrkdwnText(content), TEXT_LIMIT) };
  return { text: capMrkdwn(escapeMrkdwn(content.text), TEXT_LIMIT), blocks: replyBlocks(content.parts) };
}
