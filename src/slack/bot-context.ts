import type { LanguageModel } from 'ai';
import type { Logger } from '../app/logger.ts';
import { createToolContext } from '../app/tool-context.ts';
import { answerQuestion } from '../assistant/answer-question.ts';
import { type BotReply, plainReply } from '../assistant/reply.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import type { Principal } from '../directory/access/principal.ts';
import type { Clock } from '../directory/activity/clock.ts';
import type { JobSender } from '../directory/jobs/job-queue.ts';
import type { ToolContext, ToolDefinition } from '../tools/index.ts';
import { offerChange } from './change-confirmation.ts';
import type { SlackPoster } from './slack-poster.ts';
import { slackPrincipal } from './slack-principal.ts';

export interface SlackBotDeps {
  config: Config;
  db: Db;
  logger: Logger;
  clock: Clock;
  tools: readonly ToolDefinition[];
  publicUrl: () => string;
  model?: LanguageModel;
  /** The background job queue, when the server runs one; tools enqueue through it. */
  jobs?: JobSender;
}

/** What every listener uses: the deps, the poster, and answering as the asking Slack user. */
export interface BotContext extends SlackBotDeps {
  poster: SlackPoster;
  /** The principal a Slack user acts as, read on every call (a role change applies at once). */
  principalFor(slackUserId: string): Promise<Principal | undefined>;
  toolContext(principal: Principal): ToolContext;
  /** Answers a question as the asking Slack user; a change comes back with Confirm / Cancel. */
  answerFor(options: { slackUserId: string; channel: string; text: string }): Promise<BotReply>;
}

/** What a Slack user without access is told. */
export const REFUSAL =
  "Sorry, you don't have access to the partner directory yet. Ask an admin to add you (`partnerbook slack-users set <your Slack id> --role viewer`).";

export function createBotContext(deps: SlackBotDeps & { poster: SlackPoster }): BotContext {
  const principalFor = (slackUserId: string) =>
    slackPrincipal({ db: deps.db, config: deps.config, slackUserId });
  const toolContext = (principal: Principal): ToolContext =>
    createToolContext(deps, { principal, via: 'slack' });
  return {
    ...deps,
    principalFor,
    toolContext,
    async answerFor(options) {
      const principal = await principalFor(options.slackUserId);
      if (!principal) return plainReply(REFUSAL);
      const answer = await answerQuestion({
        question: options.text,
        ctx: toolContext(principal),
        tools: deps.tools,
        model: deps.model,
      });
      if (!answer.proposal) return answer.reply;
      return offerChange({
        db: deps.db,
        clock: deps.clock,
        proposal: answer.proposal,
        slackUserId: options.slackUserId,
        channel: options.channel,
        lead: answer.reply,
      });
    },
  };
}
