import type { App } from '@slack/bolt';
import type { BotContext } from '../bot-context.ts';

/** A direct message to the bot: answered in the DM; edits, bots and other subtypes are ignored. */
export function registerDirectMessage(app: App, bot: BotContext): void {
  app.message(async ({ message }) => {
    const m = message as {
      channel_type?: string;
      subtype?: string;
      bot_id?: string;
      user?: string;
      text?: string;
      channel: string;
      thread_ts?: string;
    };
    if (m.channel_type !== 'im' || m.subtype || m.bot_id || !m.user) return;
    const answer = await bot.answerFor({ slackUserId: m.user, channel: m.channel, text: m.text ?? '' });
    await bot.poster.post({ channel: m.channel, thread_ts: m.thread_ts, content: answer });
  });
}
