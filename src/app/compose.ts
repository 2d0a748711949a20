import { createModel } from '../assistant/model/model.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import type { Clock } from '../directory/activity/clock.ts';
import { workDirectoryJobs } from '../directory/jobs/directory-jobs.ts';
import { type JobQueue, startJobQueue } from '../directory/jobs/job-queue.ts';
import { sessionSecret } from '../directory/settings.ts';
import { createApp } from '../server/app.ts';
import { mountBotRoutes } from '../server/routes/ask-routes.ts';
import type { SlackBot } from '../slack/slack-bot.ts';
import { tools } from '../tools/index.ts';
import type { Logger } from './logger.ts';

/**
 * Everything a running server is made of: the job queue (pg-boss on the same database), the
 * Hono app, and the Slack bot (when SLACK_BOT_TOKEN is set) with its routes and its queued
 * work (the daily digest, breach posts).
 */
export async function composeServer(options: {
  config: Config;
  database: Database;
  logger: Logger;
  clock: Clock;
  publicUrl: () => string;
  localToken?: string;
  /** Run the job queue and its workers (off in tests that drive the jobs by hand). */
  jobs?: boolean;
  /** Queue timings (tests shorten how long a dead replica's job waits to be retried). */
  queue?: { checkIntervalSeconds?: number; pollingIntervalSeconds?: number };
}) {
  const { config, database, logger, clock } = options;
  let jobs: JobQueue | undefined;
  if (options.jobs !== false) {
    jobs = await startJobQueue({
      database,
      connectionString: config.DATABASE_URL,
      log: logger,
      now: () => clock.now(),
      ...options.queue,
    });
    await workDirectoryJobs({ db: database.db, now: () => clock.now(), jobs });
  }
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
      jobs,
    });
  } else {
    // `partnerbook serve` says so in its start-up text; a JSON line there would only interrupt it.
    logger.debug('Slack bot is off: SLACK_BOT_TOKEN is not set');
  }
  const app = createApp({
    config,
    db: database.db,
    driver: database.driver,
    logger,
    clock,
    tools,
    jobs,
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
  if (bot && jobs) {
    const { startBotJobs } = await import('../slack/bot-jobs.ts');
    await startBotJobs({
      slack: { client: bot.app.client, poster: bot.poster },
      jobs,
      digest: { db: database.db, config, logger, clock, model },
      complianceChannel: config.COMPLIANCE_CHANNEL,
    });
  }
  return {
    app,
    bot,
    model,
    jobs,
    async stop() {
      // Before the database closes: running jobs finish (or are handed back) first.
      await jobs?.stop();
      await bot?.stop();
    },
  };
}
