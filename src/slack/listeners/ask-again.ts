import type { App } from '@slack/bolt';
import { ASK_ACTION } from '../../assistant/clarify-reply.ts';
import type { BotContext } from '../bot-context.ts';
import { respondWith } from '../respond.ts';

const askButton = new RegExp(`^${ASK_ACTION}_\\d+$`);

/**
 * A suggested question's button (on a clarifying answer): the question it carries is answered
 * as the user who clicked, privately, since others in the channel may see less than they do.
 */
export function registerAskAgain(app: App, bot: BotContext): void {
  app.action(askButton, async ({ ack, body, action, respond }) => {
    await ack();
    const question = (action as { value?: string }).value ?? '';
    if (!question.trim()) return;
    const answer = await bot.answerFor({
      slackUserId: (body as { user: { id: string } }).user.id,
      channel: (body as { channel?: { id?: string } }).channel?.id ?? '',
      text: question,
    });
    await respondWith(respond, answer, { response_type: 'ephemeral', replace_original: false });
  });
}
