import { hostname } from 'node:os';
import { Cron } from 'croner';
import type { Logger } from '../app/logger.ts';
import { postBreaches } from './breach-notifier.ts';
import { type DigestDeps, runDigestIfDue } from './digest.ts';
import type { SlackBot } from './slack-bot.ts';

/** This process's name in digest claims. */
export const replicaId = `${hostname()}:${process.pid}`;

/**
 * Every minute: post today's digest if it is due and no replica has, and post new compliance
 * breaches. Runs once at start too, so a server that was down at digest time catches up.
 */
export function startBotJobs(options: {
  bot: SlackBot;
  digest: Omit<DigestDeps, 'replicaId'>;
  complianceChannel?: string;
  logger: Logger;
}): { stop(): void; tick(): Promise<void> } {
  const { bot, digest, logger } = options;
  const tick = async () => {
    try {
      await runDigestIfDue({ ...digest, replicaId, client: bot.app.client, poster: bot.poster });
    } catch (error) {
      logger.error({ err: error }, 'digest run failed');
    }
    if (options.complianceChannel) {
      try {
        await postBreaches({
          db: digest.db,
          clock: digest.clock,
          logger,
          poster: bot.poster,
          channel: options.complianceChannel,
        });
      } catch (error) {
        logger.error({ err: error }, 'posting compliance breaches failed');
      }
    }
  };
  const job = new Cron('* * * * *', { protect: true, unref: true }, tick);
  void tick();
  return { stop: () => job.stop(), tick };
}
