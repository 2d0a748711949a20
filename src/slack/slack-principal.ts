import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import type { Principal } from '../directory/access/principal.ts';
import { findSlackPrincipal } from '../directory/access/principals.ts';

/**
 * The principal a Slack user acts as: the mapping an admin made (`partnerbook slack-users set`),
 * else SLACK_DEFAULT_ROLE without access groups; undefined when the default is "none". Read on
 * every message, so a role change applies at once.
 */
export async function slackPrincipal(options: {
  db: Db;
  config: Config;
  slackUserId: string;
}): Promise<Principal | undefined> {
  const mapped = await findSlackPrincipal(options.db, options.slackUserId);
  if (mapped) return mapped;
  const role = options.config.SLACK_DEFAULT_ROLE;
  if (role === 'none') return undefined;
  return { id: `slack:${options.slackUserId}`, name: `slack:${options.slackUserId}`, role, accessGroups: [] };
}
