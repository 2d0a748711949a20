import type { RespondFn } from '@slack/bolt';
import { type SlackContent, slackMessage } from './blocks.ts';

/** Answers through a response_url; slackMessage makes the content Slack-safe (escapes plain text). */
export function respondWith(
  respond: RespondFn,
  content: SlackContent,
  options: { response_type?: 'ephemeral' | 'in_channel'; replace_original?: boolean },
): Promise<unknown> {
  return respond({ ...options, ...slackMessage(content) });
}
