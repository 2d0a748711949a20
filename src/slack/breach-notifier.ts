import { and, asc, eq, isNull, lt, or } from 'drizzle-orm';
import type { Logger } from '../app/logger.ts';
import { reply } from '../assistant/reply.ts';
import type { Db } from '../db/client.ts';
import { notifications } from '../db/schema/index.ts';
import type { Clock } from '../directory/activity/clock.ts';
import type { SlackPoster } from './slack-poster.ts';

const STALE_CLAIM_MS = 5 * 60 * 1000;

interface BreachPayload {
  kind?: string;
  name?: string;
  etd?: string;
  orderSharing?: string;
  failing?: { name: string; validTo: string; status: string }[];
  checkedBy?: string;
}

/**
 * Posts the compliance breaches recorded by check_compliance to COMPLIANCE_CHANNEL. Each
 * notification is claimed in the database first, so replicas never post one twice.
 */
export async function postBreaches(deps: {
  db: Db;
  clock: Clock;
  logger: Logger;
  poster: SlackPoster;
  channel: string;
}): Promise<number> {
  const now = deps.clock.now();
  const pending = await deps.db
    .select()
    .from(notifications)
    .where(
      and(
        isNull(notifications.postedAt),
        or(
          isNull(notifications.claimedAt),
          lt(notifications.claimedAt, new Date(now.getTime() - STALE_CLAIM_MS)),
        ),
      ),
    )
    .orderBy(asc(notifications.createdAt))
    .limit(20);
  let posted = 0;
  for (const notification of pending) {
    const claimed = await deps.db
      .update(notifications)
      .set({ claimedAt: now })
      .where(
        and(
          eq(notifications.id, notification.id),
          isNull(notifications.postedAt),
          notification.claimedAt
            ? eq(notifications.claimedAt, notification.claimedAt)
            : isNull(notifications.claimedAt),
        ),
      )
      .returning({ id: notifications.id });
    if (claimed.length !== 1) continue;
    const payload = notification.payload as BreachPayload;
    const items = (payload.failing ?? [])
      .map((item) => `${item.name} (${item.status}, valid to ${item.validTo})`)
      .join('; ');
    const headline = `Compliance breach: ${notification.partnerCode ?? ''} ${payload.name ?? ''}, order sharing ${payload.orderSharing ?? 'unknown'} for ETD ${payload.etd ?? '?'}`;
    const ts = await deps.poster.post({
      channel: deps.channel,
      content: reply([
        { type: 'heading', tone: 'warning', text: headline },
        { type: 'paragraph', text: items },
        { type: 'note', text: `Found by ${payload.checkedBy ?? 'a compliance check'}.` },
      ]),
    });
    if (ts) {
      await deps.db
        .update(notifications)
        .set({ postedAt: deps.clock.now() })
        .where(eq(notifications.id, notification.id));
      posted++;
    }
  }
  return posted;
}
