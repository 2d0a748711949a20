import { App, LogLevel } from '@slack/bolt';
import { createBotContext, type SlackBotDeps } from './bot-context.ts';
import { registerAppMention } from './listeners/app-mention.ts';
import { registerAskAgain } from './listeners/ask-again.ts';
import { registerChangeDecision } from './listeners/change-decision.ts';
import { registerDirectMessage } from './listeners/direct-message.ts';
import { registerEventDedupe } from './listeners/event-dedupe.ts';
import { registerOpenLink } from './listeners/open-link.ts';
import { registerSlashCommand } from './listeners/slash-command.ts';
import { SlackPoster } from './slack-poster.ts';
import { HonoSlackReceiver } from './slack-receiver.ts';

export type { SlackBotDeps } from './bot-context.ts';

export interface SlackBot {
  app: App;
  /** The Hono handler for POST /slack/events (HTTP mode; undefined in Socket Mode). */
  receiver?: HonoSlackReceiver;
  poster: SlackPoster;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The Slack bot: app mentions, DMs and `/partners` answered as the asking user, changes
 * confirmed by that user's button. Only wiring: each listener is in listeners/. Made only when
 * SLACK_BOT_TOKEN is set (composeServer decides).
 */
export function createSlackBot(deps: SlackBotDeps): SlackBot {
  const { config, logger } = deps;
  const socketMode = !!config.SLACK_APP_TOKEN;
  const receiver = socketMode
    ? undefined
    : new HonoSlackReceiver({
        signingSecret: config.SLACK_SIGNING_SECRET!,
        logger,
        now: () => deps.clock.now().getTime(),
      });
  const slackApiUrl = config.SLACK_API_URL ? `${config.SLACK_API_URL.replace(/\/+$/, '')}/` : undefined;
  const app = new App({
    token: config.SLACK_BOT_TOKEN,
    ...(socketMode ? { socketMode: true, appToken: config.SLACK_APP_TOKEN } : { receiver }),
    // No automatic retries: a lost chat.postMessage response must not become a second message.
    clientOptions: {
      ...(slackApiUrl ? { slackApiUrl } : {}),
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    },
    deferInitialization: true,
    logLevel: LogLevel.ERROR,
  });
  const poster = new SlackPoster(app.client, logger);
  const bot = createBotContext({ ...deps, poster });

  registerEventDedupe(app, bot);
  registerAppMention(app, bot);
  registerDirectMessage(app, bot);
  registerSlashCommand(app, bot);
  registerChangeDecision(app, bot);
  registerAskAgain(app, bot);
  registerOpenLink(app);
  app.error(async (error) => {
    logger.error({ err: error }, 'Slack listener failed');
  });

  return {
    app,
    receiver,
    poster,
    async start() {
      try {
        await app.init();
        if (socketMode) await app.start();
        logger.info({ mode: socketMode ? 'socket' : 'http' }, 'Slack bot is on');
      } catch (error) {
        logger.error({ err: error }, 'Slack bot could not start (check SLACK_BOT_TOKEN and the network)');
      }
    },
    async stop() {
      if (socketMode) await app.stop().catch(() => undefined);
    },
  };
}
