import type { WebClient } from '@slack/web-api';
import { reply } from '../assistant/reply.ts';
import type { BreachNotice } from '../directory/compliance/breach-notices.ts';
import { findPostedMessage } from './slack-history.ts';
import type { SlackPoster } from './slack-poster.ts';

/** The metadata event type our breach messages carry, so a retried job can recognise one in the channel. */
export const BREACH_EVENT = 'partnerbook_breach';

/**
 * Posts one compliance breach notice, as its job hands it over, to COMPLIANCE_CHANNEL. A retried
 * job (its replica died, or Slack failed) first looks for the notice in the channel, since the
 * earlier attempt may have posted it. Resolves with the message ts, or undefined when Slack did
 * not take it.
 */
export async function postBreachNotice(
  deps: { client: WebClient; poster: SlackPoster; channel: string },
  options: { notice: BreachNotice; attempt: number },
): Promise<string | undefined> {
  const { notice } = options;
  if (options.attempt > 0) {
    const ts = await findPostedMessage(deps.client, {
      channel: deps.channel,
      since: notice.createdAt,
      eventType: BREACH_EVENT,
      payload: { key: 'notice', value: notice.id },
    });
    if (ts) return ts;
  }
  const items = notice.failing
    .map((item) => `${item.name} (${item.status}, valid to ${item.validTo})`)
    .join('; ');
  const headline = `Compliance breach: ${notice.partnerCode} ${notice.name}, order sharing ${notice.orderSharing} for ETD ${notice.etd}`;
  return await deps.poster.post({
    channel: deps.channel,
    content: reply([
      { type: 'heading', tone: 'warning', text: headline },
      { type: 'paragraph', text: items },
      { type: 'note', text: `Found by ${notice.checkedBy}.` },
    ]),
    metadata: { event_type: BREACH_EVENT, event_payload: { notice: notice.id } },
  });
}
