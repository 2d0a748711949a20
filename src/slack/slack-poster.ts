import type { WebClient } from '@slack/web-api';
import type { Logger } from '../app/logger.ts';
import { type SlackContent, slackMessage } from './blocks.ts';

const MIN_GAP_MS = 1100;
const MAX_RATE_LIMIT_WAITS = 3;

/** Where a message goes and what it says; the content becomes Slack-safe in slackMessage. */
export interface SlackPost {
  channel: string;
  thread_ts?: string;
  metadata?: { event_type: string; event_payload: Record<string, string | number | boolean> };
  content: SlackContent;
}

interface SlackError {
  code?: string;
  retryAfter?: number;
  data?: { error?: string };
}

/**
 * Posts messages the way Slack asks: about one message per second per channel, waiting out a
 * 429 (Retry-After) and posting once more then, joining a public channel once on
 * not_in_channel. A post whose response was lost is never sent again blindly (the WebClient is
 * built without retries, since chat.postMessage has no idempotency key).
 */
export class SlackPoster {
  private readonly lastPost = new Map<string, number>();
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly joined = new Set<string>();

  constructor(
    private readonly client: WebClient,
    private readonly logger: Logger,
    private readonly sleep: (ms: number) => Promise<void> = (ms) =>
      new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  /** Posts to a channel (serialised per channel); resolves with the message ts, or undefined when it could not post. */
  post(message: SlackPost): Promise<string | undefined> {
    const channel = message.channel;
    const previous = this.queues.get(channel) ?? Promise.resolve();
    const next = previous.then(() => this.postNow(message));
    this.queues.set(
      channel,
      next.catch(() => undefined),
    );
    return next;
  }

  private async postNow(message: SlackPost): Promise<string | undefined> {
    const { content, ...where } = message;
    const channel = message.channel;
    for (let attempt = 0; ; attempt++) {
      const wait = (this.lastPost.get(channel) ?? 0) + MIN_GAP_MS - Date.now();
      if (wait > 0) await this.sleep(wait);
      this.lastPost.set(channel, Date.now());
      try {
        // No unfurls: Slack fetching a link of ours (a lazy export) must not count as opening it.
        const result = await this.client.chat.postMessage({
          ...where,
          ...slackMessage(content),
          unfurl_links: false,
          unfurl_media: false,
        });
        return result.ts;
      } catch (error) {
        const slackError = error as SlackError;
        if (slackError.code === 'slack_webapi_rate_limited_error' && attempt < MAX_RATE_LIMIT_WAITS) {
          // A 429 means Slack did not take the message: waiting and posting again cannot duplicate it.
          await this.sleep((slackError.retryAfter ?? 1) * 1000);
          continue;
        }
        if (slackError.data?.error === 'not_in_channel' && !this.joined.has(channel)) {
          this.joined.add(channel);
          try {
            await this.client.conversations.join({ channel });
            continue;
          } catch (joinError) {
            this.logger.error(
              { channel, err: joinError },
              'cannot join the channel; invite the bot with /invite @partnerbook',
            );
            return undefined;
          }
        }
        this.logger.error(
          { channel, error: slackError.data?.error ?? slackError.code },
          'Slack post failed; not retried',
        );
        return undefined;
      }
    }
  }
}
