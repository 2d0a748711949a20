import type { Proposal } from '../assistant/change-request.ts';
import { type BotReply, reply } from '../assistant/reply.ts';
import type { Db } from '../db/client.ts';
import type { Clock } from '../directory/activity/clock.ts';
import { savePendingChange } from '../directory/conversations/pending-changes.ts';

export const CONFIRM_ACTION = 'partnerbook_confirm';
export const CANCEL_ACTION = 'partnerbook_cancel';

/**
 * Stores a proposed change for the asking user (nothing runs yet) and returns the message with
 * Confirm / Cancel; only that user's click decides it (listeners/change-decision.ts).
 */
export async function offerChange(options: {
  db: Db;
  clock: Clock;
  proposal: Proposal;
  slackUserId: string;
  channel: string;
  /** The answer that proposed it: its words become the message's notification text. */
  lead: BotReply;
}): Promise<BotReply> {
  const id = await savePendingChange(options.db, {
    slackUserId: options.slackUserId,
    channel: options.channel,
    tool: options.proposal.tool.name,
    args: options.proposal.args,
    summary: options.proposal.summary,
    now: options.clock.now(),
  });
  return reply(
    [
      { type: 'heading', text: 'Please confirm this change:' },
      { type: 'paragraph', text: options.proposal.summary },
      {
        type: 'paragraph',
        text: ['Only ', { mention: options.slackUserId }, ' can confirm it, within the hour.'],
      },
      {
        type: 'actions',
        id: 'partnerbook_change',
        actions: [
          { id: CONFIRM_ACTION, label: 'Confirm', value: id, style: 'primary' },
          { id: CANCEL_ACTION, label: 'Cancel', value: id },
        ],
      },
    ],
    { text: `${options.lead.text}\nConfirm or cancel in Slack.` },
  );
}
