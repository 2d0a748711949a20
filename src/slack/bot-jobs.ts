import { hostname } from 'node:os';
import type { WebClient } from '@slack/web-api';
import { workBreachNotices } from '../directory/compliance/breach-notices.ts';
import type { JobQueue } from '../directory/jobs/job-queue.ts';
import { postBreachNotice } from './breach-notifier.ts';
import { type DigestDeps, enqueueDigestIfDue, runDigestJob, scheduleDigest } from './digest.ts';
import type { SlackPoster } from './slack-poster.ts';

/** This process's name in log lines. */
export const replicaId = `${hostname()}:${process.pid}`;

/**
 * The bot's background work, on the job queue. Every replica registers the same workers and
 * the queue hands each job to one of them: the daily digest (scheduled at DIGEST_TIME in
 * TIMEZONE, and asked for again as each replica starts, so a server that was down catches up
 * the same day) and the compliance breach posts (enqueued by the check that found them).
 */
export async function startBotJobs(options: {
  /** The bot's Web API client (history look-ups) and poster. */
  slack: { client: WebClient; poster: SlackPoster };
  jobs: JobQueue;
  digest: Omit<DigestDeps, 'replicaId'>;
  complianceChannel?: string;
}): Promise<void> {
  const { slack, jobs, digest } = options;
  const { config, clock } = digest;
  await jobs.work('slack-digest-due', async () => ({
    outcome: await enqueueDigestIfDue({ config, clock, jobs }),
  }));
  await jobs.work('slack-digest', async (job) => ({
    ...(await runDigestJob(
      { ...digest, replicaId, client: slack.client, poster: slack.poster, jobs },
      { ...job.data, attempt: job.attempt, createdAt: job.createdAt },
    )),
  }));
  await scheduleDigest({ config, jobs });
  await enqueueDigestIfDue({ config, clock, jobs });
  const complianceChannel = options.complianceChannel;
  if (complianceChannel) {
    await workBreachNotices({ db: digest.db, now: () => clock.now(), jobs }, (notice, attempt) =>
      postBreachNotice({ ...slack, channel: complianceChannel }, { notice, attempt }),
    );
  }
}
