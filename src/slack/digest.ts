import type { WebClient } from '@slack/web-api';
import type { LanguageModel } from 'ai';
import type { Logger } from '../app/logger.ts';
import { createToolContext } from '../app/tool-context.ts';
import type { BotReply } from '../assistant/reply.ts';
import { lastDayStart, renderSummary } from '../assistant/summary-reply.ts';
import { writeSummary } from '../assistant/summary-text.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import type { Principal } from '../directory/access/principal.ts';
import type { Clock } from '../directory/activity/clock.ts';
import { todayIn } from '../directory/activity/clock.ts';
import type { JobQueue, JobSender } from '../directory/jobs/job-queue.ts';
import { computeDigestFacts, type DigestFacts } from '../directory/summary/digest-facts.ts';
import { findPostedMessage } from './slack-history.ts';
import type { SlackPoster } from './slack-poster.ts';

/** The digest goes to a channel: it counts only records without access groups, like a viewer with none. */
export const digestPrincipal: Principal = {
  id: 'digest',
  name: 'daily digest',
  role: 'viewer',
  accessGroups: [],
};

/** The metadata event type our digest messages carry, so a retried job can recognise one in the channel. */
export const DIGEST_EVENT = 'partnerbook_digest';

export interface DigestDeps {
  db: Db;
  config: Config;
  logger: Logger;
  clock: Clock;
  model?: LanguageModel;
  /** Which process builds it (host:pid, "cli", "preview"), for the log. */
  replicaId?: string;
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
  const ctx = createToolContext(deps, { principal: digestPrincipal, via: 'system' });
  const facts = await computeDigestFacts(ctx, { since: options.since });
  const { text, source } = await writeSummary({ facts, model: deps.model, logger: deps.logger });
  return {
    reply: renderSummary({ title: `Partner directory digest, ${facts.asOf}`, text, facts, source }),
    facts,
  };
}

/** DIGEST_TIME (HH:MM) as a daily cron expression, for the schedule kept in TIMEZONE. */
export function digestCron(time: string): string {
  const [hours, minutes] = time.split(':').map(Number);
  return `${minutes} ${hours} * * *`;
}

/**
 * Keeps one daily schedule, for DIGEST_CHANNEL at DIGEST_TIME in TIMEZONE, and none for any
 * other channel (or none at all when DIGEST_CHANNEL is unset). pg-boss sends each occurrence once
 * across replicas.
 */
export async function scheduleDigest(deps: {
  config: Config;
  jobs: Pick<JobQueue, 'setSchedules'>;
}): Promise<void> {
  const { config } = deps;
  const channel = config.DIGEST_CHANNEL;
  await deps.jobs.setSchedules(
    'slack-digest-due',
    channel
      ? [{ key: channel, cron: digestCron(config.DIGEST_TIME), timeZone: config.TIMEZONE, data: { channel } }]
      : [],
  );
}

/** The key of the one digest job per channel and day. */
export function digestJobKey(channel: string, day: string): string {
  return `${channel}/${day}`;
}

export type DigestDueOutcome = 'off' | 'not_due' | 'queued' | 'already_queued';

/**
 * Enqueues today's digest for DIGEST_CHANNEL once DIGEST_TIME has passed in TIMEZONE: called by
 * the daily schedule and by every replica as it starts (so a server that was down at digest
 * time catches up the same day). The job is keyed by channel and day, so however many replicas
 * ask, there is one job per channel and day.
 */
export async function enqueueDigestIfDue(deps: {
  config: Config;
  clock: Clock;
  jobs: JobSender;
}): Promise<DigestDueOutcome> {
  const channel = deps.config.DIGEST_CHANNEL;
  if (!channel) return 'off';
  if (localTime(deps.clock, deps.config.TIMEZONE) < deps.config.DIGEST_TIME) return 'not_due';
  const day = todayIn(deps.config.TIMEZONE, deps.clock);
  const { created } = await deps.jobs.enqueue(
    'slack-digest',
    { channel, day },
    { key: digestJobKey(channel, day) },
  );
  return created ? 'queued' : 'already_queued';
}

/** When the last digest before `day` went to the channel, from the queue's finished digest jobs. */
async function previousDigestAt(
  jobs: Pick<JobQueue, 'find'>,
  options: { channel: string; day: string },
): Promise<Date | undefined> {
  let latest: Date | undefined;
  for (const job of await jobs.find('slack-digest', { data: { channel: options.channel } })) {
    const postedAt = job.output?.postedAt;
    if (job.state !== 'completed' || job.data.day >= options.day || typeof postedAt !== 'string') continue;
    const at = new Date(postedAt);
    if (!latest || at > latest) latest = at;
  }
  return latest;
}

export type DigestOutcome = 'posted' | 'already_posted' | 'stale';

/**
 * The digest job: posts `day`'s digest to `channel`, counting since the previous digest (24
 * hours back when there is none). A retried job (its replica died or its post failed) first
 * looks at the channel, since the earlier attempt may have posted before dying: a digest of that
 * day there is not posted again. A job whose day is over posts nothing. Throws when Slack does
 * not take the post, so the queue tries again.
 */
export async function runDigestJob(
  deps: DigestDeps & { client: WebClient; poster: SlackPoster; jobs: Pick<JobQueue, 'find'> },
  job: { channel: string; day: string; attempt: number; createdAt: Date },
): Promise<{ outcome: DigestOutcome; ts?: string; postedAt?: string }> {
  const { channel, day } = job;
  if (day !== todayIn(deps.config.TIMEZONE, deps.clock)) return { outcome: 'stale' };
  if (job.attempt > 0) {
    const ts = await findPostedMessage(deps.client, {
      channel,
      since: job.createdAt,
      eventType: DIGEST_EVENT,
      payload: { key: 'day', value: day },
    });
    if (ts) return { outcome: 'already_posted', ts, postedAt: deps.clock.now().toISOString() };
  }
  const since = (await previousDigestAt(deps.jobs, { channel, day })) ?? lastDayStart(deps.clock);
  const { reply } = await buildDigest(deps, { since });
  const ts = await deps.poster.post({
    channel,
    content: reply,
    metadata: { event_type: DIGEST_EVENT, event_payload: { day } },
  });
  if (!ts) throw new Error(`The digest for ${channel} could not be posted; the queue will try again.`);
  deps.logger.info({ channel, day, replica: deps.replicaId }, 'digest posted');
  return { outcome: 'posted', ts, postedAt: deps.clock.now().toISOString() };
}
