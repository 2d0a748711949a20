import type { App } from '@slack/bolt';
import type { BotContext } from '../bot-context.ts';
import { respondWith } from '../respond.ts';

/** `/partners <question>`: acked at once, answered privately through the response_url. */
export function registerSlashCommand(app: App, bot: BotContext): void {
  app.command('/partners', async ({ command, ack, respond }) => {
    await ack();
    const answer = await bot.answerFor({
      slackUserId: command.user_id,
      channel: command.channel_id,
      text: command.text,
    });
    await respondWith(respond, answer, { response_type: 'ephemeral' });
  });
}
