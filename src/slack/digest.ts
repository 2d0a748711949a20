import type { WebClient } from '@slack/web-api';
import type { LanguageModel } from 'ai';
import { and, desc, eq, isNull, lt } from 'drizzle-orm';
import type { Logger } from '../app/logger.ts';
import type { BotReply } from '../assistant/reply.ts';
import { renderSummary } from '../assistant/summary-reply.ts';
import { writeSummary } from '../assistant/summary-text.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { digestRuns } from '../db/schema/index.ts';
import type { Principal } from '../directory/access/principal.ts';
import type { Clock } from '../directory/activity/clock.ts';
import { todayIn } from '../directory/activity/clock.ts';
import { computeDigestFacts, type DigestFacts } from '../directory/summary/digest-facts.ts';
import type { SlackPoster } from './slack-poster.ts';

/** The digest goes to a channel: it counts only records without access groups, like a viewer with none. */
export const digestPrincipal: Principal = {
  id: 'digest',
  name: 'daily digest',
  role: 'viewer',
  accessGroups: [],
};

/** A claim older than this whose post never completed may be taken over by another replica. */
export const STALE_CLAIM_MS = 5 * 60 * 1000;
const DIGEST_EVENT = 'partnerbook_digest';

export interface DigestDeps {
  db: Db;
  config: Config;
  logger: Logger;
  clock: Clock;
  model?: LanguageModel;
  /** This process, for the claim (host:pid). */
  replicaId: string;
}

function localTime(clock: Clock, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(clock.now());
}

/** The digest message: facts since `since`, and the model's text checked against them (or the template). */
export async function buildDigest(
  deps: DigestDeps,
  options: { since: Date },
): Promise<{ reply: BotReply; facts: DigestFacts }> {
  const ctx = {
    db: deps.db,
    clock: deps.clock,
    timeZone: deps.config.TIMEZONE,
    complianceWindowDays: deps.config.COMPLIANCE_WINDOW_DAYS,
    actor: { principal: digestPrincipal, via: 'system' as const },
  };
  const facts = await computeDigestFacts(ctx, { since: options.since });
  const { text, source } = await writeSummary({ facts, model: deps.model, logger: deps.logger });
  return {
    reply: renderSummary({ title: `Partner directory digest, ${facts.asOf}`, text, facts, source }),
    facts,
  };
}

/** When the previous digest in this channel was posted; 24 hours back when there is none. */
async function previousDigestAt(deps: DigestDeps, channel: string, day: string): Promise<Date> {
  const [row] = await deps.db
    .select({ postedAt: digestRuns.postedAt })
    .from(digestRuns)
    .where(and(eq(digestRuns.channel, channel), lt(digestRuns.day, day)))
    .orderBy(desc(digestRuns.day))
    .limit(1);
  return row?.postedAt ?? new Date(deps.clock.now().getTime() - 24 * 3600 * 1000);
}

/** Whether Slack already shows today's digest in the channel (a replica died after posting). */
async function alreadyInChannel(
  client: WebClient,
  channel: string,
  day: string,
  since: Date,
): Promise<string | undefined> {
  const history = await client.conversations.history({
    channel,
    oldest: String(since.getTime() / 1000),
    include_all_metadata: true,
    limit: 100,
  });
  const found = history.messages?.find(
    (m) =>
      (m as { metadata?: { event_type?: string; event_payload?: { day?: string } } }).metadata?.event_type ===
        DIGEST_EVENT &&
      (m as { metadata?: { event_payload?: { day?: string } } }).metadata?.event_payload?.day === day,
  );
  return found?.ts;
}

export type DigestOutcome = 'off' | 'not_due' | 'posted' | 'already_posted' | 'claimed_elsewhere' | 'failed';

/**
 * Posts today's digest to DIGEST_CHANNEL once DIGEST_TIME has passed (so a server that was down
 * at that time posts it when it comes back the same day). The database decides which replica
 * posts: the first to insert (channel, day). A claim left by a replica that died is taken over
 * after five minutes, but only after checking Slack does not already show that day's digest.
 */
export async function runDigestIfDue(
  deps: DigestDeps & { client: WebClient; poster: SlackPoster },
): Promise<DigestOutcome> {
  const channel = deps.config.DIGEST_CHANNEL;
  if (!channel) return 'off';
  if (localTime(deps.clock, deps.config.TIMEZONE) < deps.config.DIGEST_TIME) return 'not_due';
  const day = todayIn(deps.config.TIMEZONE, deps.clock);
  const now = deps.clock.now();
  let claimed =
    (
      await deps.db
        .insert(digestRuns)
        .values({ channel, day, claimedBy: deps.replicaId, claimedAt: now })
        .onConflictDoNothing()
        .returning()
    ).length === 1;
  if (!claimed) {
    const [row] = await deps.db
      .select()
      .from(digestRuns)
      .where(and(eq(digestRuns.channel, channel), eq(digestRuns.day, day)));
    if (!row || row.postedAt) return 'already_posted';
    if (now.getTime() - row.claimedAt.getTime() < STALE_CLAIM_MS) return 'claimed_elsewhere';
    const taken = await deps.db
      .update(digestRuns)
      .set({ claimedBy: deps.replicaId, claimedAt: now })
      .where(
        and(
          eq(digestRuns.channel, channel),
          eq(digestRuns.day, day),
          isNull(digestRuns.postedAt),
          eq(digestRuns.claimedAt, row.claimedAt),
        ),
      )
      .returning();
    if (taken.length !== 1) return 'claimed_elsewhere';
    claimed = true;
    const ts = await alreadyInChannel(deps.client, channel, day, row.claimedAt).catch(() => undefined);
    if (ts) {
      await deps.db
        .update(digestRuns)
        .set({ postedAt: now, messageTs: ts })
        .where(and(eq(digestRuns.channel, channel), eq(digestRuns.day, day)));
      return 'already_posted';
    }
  }
  const { reply, facts } = await buildDigest(deps, { since: await previousDigestAt(deps, channel, day) });
  const ts = await deps.poster.post({
    channel,
    content: reply,
    metadata: { event_type: DIGEST_EVENT, event_payload: { day } },
  });
  if (!ts) return 'failed';
  await deps.db
    .update(digestRuns)
    .set({ postedAt: deps.clock.now(), messageTs: ts, facts: facts as unknown as Record<string, unknown> })
    .where(and(eq(digestRuns.channel, channel), eq(digestRuns.day, day)));
  deps.logger.info({ channel, day }, 'digest posted');
  return 'posted';
}
