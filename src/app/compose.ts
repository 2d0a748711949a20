import { createModel } from '../assistant/model/model.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import type { Clock } from '../directory/activity/clock.ts';
import { sessionSecret } from '../directory/settings.ts';
import { createApp } from '../server/app.ts';
import { mountBotRoutes } from '../server/routes/ask-routes.ts';
import type { SlackBot } from '../slack/slack-bot.ts';
import { tools } from '../tools/index.ts';
import type { Logger } from './logger.ts';

/**
 * Everything a running server is made of: the Hono app, and the Slack bot (when
 * SLACK_BOT_TOKEN is set) with its routes and its minute jobs (digest, breach posts).
 */
export async function composeServer(options: {
  config: Config;
  database: Database;
  logger: Logger;
  clock: Clock;
  publicUrl: () => string;
  localToken?: string;
  /** Start the digest and breach jobs (off in tests that drive them by hand). */
  jobs?: boolean;
}) {
  const { config, database, logger, clock } = options;
  const model = await createModel(config);
  let bot: SlackBot | undefined;
  if (config.SLACK_BOT_TOKEN) {
    // Bolt is loaded only when the bot is on.
    const { createSlackBot } = await import('../slack/slack-bot.ts');
    bot = createSlackBot({
      config,
      db: database.db,
      logger,
      clock,
      tools,
      publicUrl: options.publicUrl,
      model,
    });
  } else {
    logger.info('Slack bot is off: SLACK_BOT_TOKEN is not set');
  }
  const app = createApp({
    config,
    db: database.db,
    driver: database.driver,
    logger,
    clock,
    tools,
    sessionSecret: await sessionSecret(database.db),
    localToken: options.localToken,
    publicUrl: options.publicUrl,
    mount: (hono, helpers) => {
      // The app's body limit runs first, so an oversized body gets 413 before it is read.
      if (bot?.receiver) hono.post('/slack/events', bot.receiver.handle);
      mountBotRoutes(hono, {
        auth: helpers.auth,
        contextFor: helpers.contextFor,
        model,
        digest: { db: database.db, config, logger, clock, model },
      });
    },
  });
  await bot?.start();
  const { startBotJobs } = await import('../slack/bot-jobs.ts');
  const jobs =
    bot && options.jobs !== false
      ? startBotJobs({
          bot,
          digest: { db: database.db, config, logger, clock, model },
          complianceChannel: config.COMPLIANCE_CHANNEL,
          logger,
        })
      : undefined;
  return {
    app,
    bot,
    model,
    async stop() {
      jobs?.stop();
      await bot?.stop();
    },
  };
}
