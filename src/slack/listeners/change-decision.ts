import type { App } from '@slack/bolt';
import {
  decidePendingChange,
  findPendingChange,
  markPendingChangeFailed,
} from '../../directory/conversations/pending-changes.ts';
import { runTool } from '../../tools/index.ts';
import type { SlackContent } from '../blocks.ts';
import { type BotContext, REFUSAL } from '../bot-context.ts';
import { CANCEL_ACTION, CONFIRM_ACTION } from '../change-confirmation.ts';
import { mention, mrkdwn } from '../mrkdwn.ts';
import { respondWith } from '../respond.ts';

/**
 * Confirm / Cancel on a proposed change: only the user who asked decides, once; Confirm runs the
 * change's tool as that user (read again now, so a role taken away meanwhile refuses it).
 */
export function registerChangeDecision(app: App, bot: BotContext): void {
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
      const pending = await findPendingChange(bot.db, (action as { value?: string }).value ?? '');
      if (!pending) return answer('This change is no longer available.', false);
      if (pending.slackUserId !== slackUserId) {
        const verb = status === 'confirmed' ? 'confirm' : 'cancel';
        return answer(mrkdwn`Only ${mention(pending.slackUserId)} can ${verb} this change.`, false);
      }
      if (!(await decidePendingChange(bot.db, { id: pending.id, status, now: bot.clock.now() }))) {
        return answer(
          `This change was already ${pending.status === 'pending' ? 'handled or has expired' : pending.status}; nothing more was done.`,
          true,
        );
      }
      if (status === 'cancelled') return answer(`Cancelled: ${pending.summary} Nothing was changed.`, true);
      const principal = await bot.principalFor(slackUserId);
      const tool = bot.tools.find((t) => t.name === pending.tool);
      if (!principal || !tool) {
        await markPendingChangeFailed(bot.db, pending.id);
        return answer(REFUSAL, true);
      }
      const result = await runTool(tool, pending.args, bot.toolContext(principal));
      if (result.isError) {
        await markPendingChangeFailed(bot.db, pending.id);
        return answer(`Not done: ${result.text}`, true);
      }
      return answer(`Done: ${result.text}`, true);
    }) satisfies Parameters<typeof app.action>[1];
  app.action(CONFIRM_ACTION, decide('confirmed'));
  app.action(CANCEL_ACTION, decide('cancelled'));
}
