import type { App } from '@slack/bolt';
import { claimSlackEvent } from '../../directory/conversations/slack-events.ts';
import type { BotContext } from '../bot-context.ts';

/**
 * Slack delivers an event again after 3 s without an answer, and sometimes twice at once: the
 * first replica to claim the event id answers; every other delivery stops here.
 */
export function registerEventDedupe(app: App, bot: BotContext): void {
  app.use(async ({ body, next }) => {
    const eventId = (body as { event_id?: unknown }).event_id;
    if (typeof eventId === 'string' && !(await claimSlackEvent(bot.db, eventId))) return;
    await next();
  });
}
