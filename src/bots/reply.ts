import type { KnownBlock } from '@slack/types';

/** What the bot says: Block Kit for Slack, and the same content as plain text (terminal, notifications). */
export interface BotReply {
  text: string;
  blocks: KnownBlock[];
}

const SECTION_LIMIT = 3000;
const BLOCK_LIMIT = 50;

/**
 * Escapes record text for mrkdwn: & < > become entities, so a company named "<!channel>"
 * never pings anyone and no text can form a disguised link.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function cap(text: string, limit = SECTION_LIMIT): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

export function section(mrkdwn: string): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: cap(mrkdwn) } };
}

export function context(mrkdwn: string): KnownBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: cap(mrkdwn) }] };
}

/** Keeps a message within Slack's 50 blocks. */
export function reply(text: string, blocks: KnownBlock[]): BotReply {
  const kept =
    blocks.length <= BLOCK_LIMIT ? blocks : [...blocks.slice(0, BLOCK_LIMIT - 1), context('(shortened)')];
  return { text: cap(text, 3900), blocks: kept };
}

/** A reply that is one paragraph. */
export function plainReply(text: string): BotReply {
  return reply(text, [section(escapeMrkdwn(text))]);
}
