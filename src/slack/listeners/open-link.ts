import type { App } from '@slack/bolt';
import { OPEN_LINK_ACTION } from '../blocks.ts';

/** A link button ("Download the full list"): the browser opens the URL; Slack only wants an ack. */
export function registerOpenLink(app: App): void {
  app.action(OPEN_LINK_ACTION, async ({ ack }) => {
    await ack();
  });
}
