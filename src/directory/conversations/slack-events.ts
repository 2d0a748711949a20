import type { Db } from '../../db/client.ts';
import { slackEvents } from '../../db/schema/index.ts';

/**
 * Takes a Slack event id for this replica: true the first time the id is seen (answer it),
 * false for every retry or duplicate delivery, even concurrent ones on other replicas (the
 * primary key decides). The idempotency record of the Slack bot; this module owns slack_events.
 */
export async function claimSlackEvent(db: Db, eventId: string): Promise<boolean> {
  const claimed = await db
    .insert(slackEvents)
    .values({ eventId })
    .onConflictDoNothing()
    .returning({ id: slackEvents.eventId });
  return claimed.length === 1;
}
