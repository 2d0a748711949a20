import type { WebClient } from '@slack/web-api';

interface MessageWithMetadata {
  ts?: string;
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
}

/**
 * The ts of a message of ours in the channel since `since` whose metadata has this event type
 * and payload value, or undefined. A job retried after its replica died may have posted before
 * dying: it looks here first, since chat.postMessage has no idempotency key. A failed look
 * counts as not found (posting twice beats never posting).
 */
export async function findPostedMessage(
  client: WebClient,
  options: { channel: string; since: Date; eventType: string; payload: { key: string; value: string } },
): Promise<string | undefined> {
  try {
    const history = await client.conversations.history({
      channel: options.channel,
      oldest: String(Math.floor(options.since.getTime() / 1000)),
      include_all_metadata: true,
      limit: 200,
    });
    const found = (history.messages as MessageWithMetadata[] | undefined)?.find(
      (message) =>
        message.metadata?.event_type === options.eventType &&
        message.metadata.event_payload?.[options.payload.key] === options.payload.value,
    );
    return found?.ts;
  } catch {
    return undefined;
  }
}
