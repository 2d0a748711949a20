import type { App } from '@slack/bolt';
import type { BotContext } from '../bot-context.ts';

/** @partnerbook in a channel: answered in the thread, as the user who mentioned the bot. */
export function registerAppMention(app: App, bot: BotContext): void {
  app.event('app_mention', async ({ event }) => {
    if (!event.user || (event as { bot_id?: string }).bot_id) return;
    const answer = await bot.answerFor({ slackUserId: event.user, channel: event.channel, text: event.text });
    await bot.poster.post({
      channel: event.channel,
      thread_ts: event.thread_ts ?? event.ts,
      content: answer,
    });
  });
}
