import type { KnownBlock } from '@slack/types';

/**
 * What the bot says. `text` is plain words, never escaped: `partnerbook ask` prints it and
 * POST /api/ask returns it; slackMessage escapes it on the way to Slack. `blocks` is Block Kit
 * whose mrkdwn was built with escapeMrkdwn or mrkdwn``.
 */
export interface BotReply {
  text: string;
  blocks: KnownBlock[];
}

const SECTION_LIMIT = 3000;
const BLOCK_LIMIT = 50;
const TEXT_LIMIT = 3900;
const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;
const trusted = Symbol('mrkdwn');

/**
 * Slack mrkdwn the bot wrote itself (a mention of the asking user, our own link). Only mrkdwn``
 * and mention() make one, so every value inside it went through escapeMrkdwn.
 */
export interface Mrkdwn {
  readonly [trusted]: string;
}

/** What can go to Slack: a reply, mrkdwn we wrote, or plain words (escaped on the way). */
export type SlackContent = BotReply | Mrkdwn | string;

/**
 * Escapes text for mrkdwn: & < > become entities, so a company named "<!channel>" never pings
 * anyone and no text can form a disguised link. The one escaping function for everything the
 * bot sends to Slack.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const isMrkdwn = (value: unknown): value is Mrkdwn =>
  !!value && typeof value === 'object' && trusted in value;

const asMrkdwn = (value: string): Mrkdwn => ({ [trusted]: value });

function mrkdwnText(value: string | Mrkdwn): string {
  return typeof value === 'string' ? value : value[trusted];
}

/**
 * Mrkdwn from a template: the literal parts are ours and kept, every interpolated string or
 * number is escaped, and a Mrkdwn value (mention()) is kept as written.
 * mrkdwn`Only ${mention(id)} can confirm ${summary}.`
 */
export function mrkdwn(parts: TemplateStringsArray, ...values: (string | number | Mrkdwn)[]): Mrkdwn {
  let out = parts[0] ?? '';
  values.forEach((value, i) => {
    out += isMrkdwn(value) ? value[trusted] : escapeMrkdwn(String(value));
    out += parts[i + 1] ?? '';
  });
  return asMrkdwn(out);
}

/** A mention that notifies the user (`<@U123>`), for a Slack user id only; anything else is escaped text. */
export function mention(slackUserId: string): Mrkdwn {
  return asMrkdwn(SLACK_USER_ID.test(slackUserId) ? `<@${slackUserId}>` : escapeMrkdwn(slackUserId));
}

/** Cuts at `limit` without leaving half an entity (&am) or an unclosed <...> behind. */
function capMrkdwn(text: string, limit: number): string {
  if (text.length <= limit) return text;
  return `${text
    .slice(0, limit - 1)
    .replace(/&[a-z]*$/, '')
    .replace(/<[^>]*$/, '')}…`;
}

/**
 * The one step from what the bot says to what Slack receives (posts, response_url answers,
 * digest and breach posts): plain text is escaped here, so record text can never ping a
 * channel or form a link; mrkdwn`` text goes as written; blocks go as built.
 */
export function slackMessage(content: SlackContent): { text: string; blocks?: KnownBlock[] } {
  if (typeof content === 'string') return { text: capMrkdwn(escapeMrkdwn(content), TEXT_LIMIT) };
  if (isMrkdwn(content)) return { text: capMrkdwn(content[trusted], TEXT_LIMIT) };
  return { text: capMrkdwn(escapeMrkdwn(content.text), TEXT_LIMIT), blocks: content.blocks };
}

/** A section of mrkdwn (record text in it escaped with escapeMrkdwn, or built with mrkdwn``). */
export function section(text: string | Mrkdwn): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: capMrkdwn(mrkdwnText(text), SECTION_LIMIT) } };
}

/** A context line of mrkdwn (record text in it escaped with escapeMrkdwn, or built with mrkdwn``). */
export function context(text: string | Mrkdwn): KnownBlock {
  return {
    type: 'context',
    elements: [{ type: 'mrkdwn', text: capMrkdwn(mrkdwnText(text), SECTION_LIMIT) }],
  };
}

/** Keeps a message within Slack's 50 blocks. */
export function reply(text: string, blocks: KnownBlock[]): BotReply {
  const kept =
    blocks.length <= BLOCK_LIMIT ? blocks : [...blocks.slice(0, BLOCK_LIMIT - 1), context('(shortened)')];
  const words = text.length <= TEXT_LIMIT ? text : `${text.slice(0, TEXT_LIMIT - 1)}…`;
  return { text: words, blocks: kept };
}

/** A reply that is one paragraph. */
export function plainReply(text: string): BotReply {
  return reply(text, [section(escapeMrkdwn(text))]);
}
