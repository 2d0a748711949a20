import type { KnownBlock } from '@slack/types';
import { and, eq, gt } from 'drizzle-orm';
import type { Proposal } from '../assistant/change-request.ts';
import { type BotReply, escapeMrkdwn, mention, mrkdwn, reply, section } from '../assistant/reply.ts';
import type { Db } from '../db/client.ts';
import { slackPendingChanges } from '../db/schema/index.ts';

/** A proposal can be confirmed for this long. */
export const PENDING_TTL_MS = 60 * 60 * 1000;

export const CONFIRM_ACTION = 'partnerbook_confirm';
export const CANCEL_ACTION = 'partnerbook_cancel';

/** Stores a proposed change for the asking user and returns the message with Confirm / Cancel. */
export async function storeProposal(
  db: Db,
  options: { proposal: Proposal; slackUserId: string; channel: string; lead: BotReply },
): Promise<BotReply> {
  const [row] = await db
    .insert(slackPendingChanges)
    .values({
      slackUserId: options.slackUserId,
      channel: options.channel,
      tool: options.proposal.tool.name,
      args: options.proposal.args,
      summary: options.proposal.summary,
    })
    .returning({ id: slackPendingChanges.id });
  const actions: KnownBlock = {
    type: 'actions',
    block_id: 'partnerbook_change',
    elements: [
      {
        type: 'button',
        action_id: CONFIRM_ACTION,
        style: 'primary',
        value: row!.id,
        text: { type: 'plain_text', text: 'Confirm' },
      },
      {
        type: 'button',
        action_id: CANCEL_ACTION,
        value: row!.id,
        text: { type: 'plain_text', text: 'Cancel' },
      },
    ],
  };
  return reply(`${options.lead.text}\nConfirm or cancel in Slack.`, [
    section(`*Please confirm this change:*\n${escapeMrkdwn(options.proposal.summary)}`),
    section(mrkdwn`Only ${mention(options.slackUserId)} can confirm it, within the hour.`),
    actions,
  ]);
}

export type PendingChange = typeof slackPendingChanges.$inferSelect;

export async function findPending(db: Db, id: string): Promise<PendingChange | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const [row] = await db.select().from(slackPendingChanges).where(eq(slackPendingChanges.id, id));
  return row;
}

/**
 * Takes the decision on a pending change exactly once (a double click or two replicas cannot
 * both run it): true when this call moved it from pending to `status`.
 */
export async function decidePending(
  db: Db,
  options: { id: string; status: 'confirmed' | 'cancelled'; now: Date },
): Promise<boolean> {
  const rows = await db
    .update(slackPendingChanges)
    .set({ status: options.status, decidedAt: options.now })
    .where(
      and(
        eq(slackPendingChanges.id, options.id),
        eq(slackPendingChanges.status, 'pending'),
        gt(slackPendingChanges.createdAt, new Date(options.now.getTime() - PENDING_TTL_MS)),
      ),
    )
    .returning({ id: slackPendingChanges.id });
  return rows.length === 1;
}

export async function markFailed(db: Db, id: string): Promise<void> {
  await db.update(slackPendingChanges).set({ status: 'failed' }).where(eq(slackPendingChanges.id, id));
}
