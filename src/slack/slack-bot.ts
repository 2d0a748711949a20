import { App, LogLevel, type RespondFn } from '@slack/bolt';
import type { LanguageModel } from 'ai';
import type { Logger } from '../app/logger.ts';
import { answerQuestion } from '../assistant/answer-question.ts';
import {
  type BotReply,
  mention,
  mrkdwn,
  plainReply,
  type SlackContent,
  slackMessage,
} from '../assistant/reply.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { slackEvents } from '../db/schema/index.ts';
import type { Principal } from '../directory/access/principal.ts';
import type { Clock } from '../directory/activity/clock.ts';
import type { ToolContext, ToolDefinition } from '../tools/index.ts';
import { runTool } from '../tools/run-tool.ts';
import {
  CANCEL_ACTION,
  CONFIRM_ACTION,
  decidePending,
  findPending,
  markFailed,
  storeProposal,
} from './pending-changes.ts';
import { SlackPoster } from './slack-poster.ts';
import { slackPrincipal } from './slack-principal.ts';
import { HonoSlackReceiver } from './slack-receiver.ts';

export interface SlackBotDeps {
  config: Config;
  db: Db;
  logger: Logger;
  clock: Clock;
  tools: readonly ToolDefinition[];
  publicUrl: () => string;
  model?: LanguageModel;
}

export interface SlackBot {
  app: App;
  /** The Hono handler for POST /slack/events (HTTP mode; undefined in Socket Mode). */
  receiver?: HonoSlackReceiver;
  poster: SlackPoster;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Answers through a response_url; slackMessage makes the content Slack-safe (escapes plain text). */
function respondWith(
  respond: RespondFn,
  content: SlackContent,
  options: { response_type?: 'ephemeral' | 'in_channel'; replace_original?: boolean },
): Promise<unknown> {
  return respond({ ...options, ...slackMessage(content) });
}

const refusal =
  "Sorry, you don't have access to the partner directory yet. Ask an admin to add you (`partnerbook slack-users set <your Slack id> --role viewer`).";

/**
 * The Slack bot: app mentions, DMs and `/partners` answered as the asking user, changes
 * confirmed by that user's button. Off (undefined, with one log line) without SLACK_BOT_TOKEN.
 */
export function createSlackBot(deps: SlackBotDeps): SlackBot | undefined {
  const { config, logger } = deps;
  if (!config.SLACK_BOT_TOKEN) {
    logger.info('Slack bot is off: SLACK_BOT_TOKEN is not set');
    return undefined;
  }
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

  const toolContext = (principal: Principal): ToolContext => ({
    db: deps.db,
    clock: deps.clock,
    timeZone: config.TIMEZONE,
    complianceWindowDays: config.COMPLIANCE_WINDOW_DAYS,
    actor: { principal, via: 'slack' },
    logger,
    publicUrl: deps.publicUrl(),
  });

  /** Answers a question as the asking Slack user; a change comes back with Confirm / Cancel. */
  const answerFor = async (options: {
    slackUserId: string;
    channel: string;
    text: string;
  }): Promise<BotReply> => {
    const principal = await slackPrincipal({ db: deps.db, config, slackUserId: options.slackUserId });
    if (!principal) return plainReply(refusal);
    const answer = await answerQuestion({
      question: options.text,
      ctx: toolContext(principal),
      tools: deps.tools,
      model: deps.model,
    });
    if (!answer.proposal) return answer.reply;
    return storeProposal(deps.db, {
      proposal: answer.proposal,
      slackUserId: options.slackUserId,
      channel: options.channel,
      lead: answer.reply,
    });
  };

  // Slack delivers an event again after 3 s without an answer, and sometimes twice at once:
  // the first replica to store the event id answers; every other delivery stops here.
  app.use(async ({ body, next }) => {
    const eventId = (body as { event_id?: unknown }).event_id;
    if (typeof eventId === 'string') {
      const claimed = await deps.db
        .insert(slackEvents)
        .values({ eventId })
        .onConflictDoNothing()
        .returning({ id: slackEvents.eventId });
      if (claimed.length === 0) return;
    }
    await next();
  });

  app.event('app_mention', async ({ event }) => {
    if (!event.user || (event as { bot_id?: string }).bot_id) return;
    const answer = await answerFor({ slackUserId: event.user, channel: event.channel, text: event.text });
    await poster.post({ channel: event.channel, thread_ts: event.thread_ts ?? event.ts, content: answer });
  });

  app.message(async ({ message }) => {
    const m = message as {
      channel_type?: string;
      subtype?: string;
      bot_id?: string;
      user?: string;
      text?: string;
      channel: string;
      ts: string;
      thread_ts?: string;
    };
    if (m.channel_type !== 'im' || m.subtype || m.bot_id || !m.user) return;
    const answer = await answerFor({ slackUserId: m.user, channel: m.channel, text: m.text ?? '' });
    await poster.post({ channel: m.channel, thread_ts: m.thread_ts, content: answer });
  });

  app.command('/partners', async ({ command, ack, respond }) => {
    await ack();
    const answer = await answerFor({
      slackUserId: command.user_id,
      channel: command.channel_id,
      text: command.text,
    });
    await respondWith(respond, answer, { response_type: 'ephemeral' });
  });

  const decide = (status: 'confirmed' | 'cancelled') =>
    (async ({ ack, body, action, respond }): Promise<void> => {
      await ack();
      const answer = async (content: SlackContent, replaceOriginal: boolean) => {
        await respondWith(
          respond,
          content,
          replaceOriginal
            ? { replace_original: true }
            : { response_type: 'ephemeral', replace_original: false },
        );
      };
      const slackUserId = (body as { user: { id: string } }).user.id;
      const pending = await findPending(deps.db, (action as { value?: string }).value ?? '');
      if (!pending) return answer('This change is no longer available.', false);
      if (pending.slackUserId !== slackUserId) {
        const verb = status === 'confirmed' ? 'confirm' : 'cancel';
        return answer(mrkdwn`Only ${mention(pending.slackUserId)} can ${verb} this change.`, false);
      }
      if (!(await decidePending(deps.db, { id: pending.id, status, now: deps.clock.now() }))) {
        return answer(
          `This change was already ${pending.status === 'pending' ? 'handled or has expired' : pending.status}; nothing more was done.`,
          true,
        );
      }
      if (status === 'cancelled') return answer(`Cancelled: ${pending.summary} Nothing was changed.`, true);
      const principal = await slackPrincipal({ db: deps.db, config, slackUserId });
      const tool = deps.tools.find((t) => t.name === pending.tool);
      if (!principal || !tool) {
        await markFailed(deps.db, pending.id);
        return answer(refusal, true);
      }
      const result = await runTool(tool, pending.args, toolContext(principal));
      if (result.isError) {
        await markFailed(deps.db, pending.id);
        return answer(`Not done: ${result.text}`, true);
      }
      return answer(`Done: ${result.text}`, true);
    }) satisfies Parameters<typeof app.action>[1];
  app.action(CONFIRM_ACTION, decide('confirmed'));
  app.action(CANCEL_ACTION, decide('cancelled'));

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
