import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextFor, customerInput, TODAY } from '../../test/context.ts';
import { openTestDatabase } from '../../test/database.ts';
import { FakeSlack } from '../../test/fake-slack.ts';
import { waitUntil } from '../../test/wait-until.ts';
import { createLogger } from '../app/logger.ts';
import { loadConfig } from '../config.ts';
import type { Database } from '../db/client.ts';
import { addDays, fixedClock } from '../directory/activity/clock.ts';
import { type JobQueue, keyedJobId, startJobQueue } from '../directory/jobs/job-queue.ts';
import { createPartnerInput } from '../directory/partners/partner-schema.ts';
import { createPartner } from '../directory/partners/partner-write.ts';
import { startBotJobs } from './bot-jobs.ts';
import { digestJobKey, enqueueDigestIfDue, runDigestJob, scheduleDigest } from './digest.ts';
import { SlackPoster } from './slack-poster.ts';

let database: Database & { url?: string };
let slack: FakeSlack;
let jobs: JobQueue;
const logger = createLogger('silent');
const YESTERDAY = addDays(TODAY, -1);
/** Queues started by a test, stopped after it. */
const started: JobQueue[] = [];

beforeAll(async () => {
  database = await openTestDatabase();
  slack = new FakeSlack();
  await slack.start();
  jobs = await openQueue();
  await createPartner(
    contextFor(database),
    createPartnerInput.parse(customerInput({ accessGroups: ['secret'], companyName: 'Hidden Co' })),
  );
  await createPartner(
    contextFor(database),
    createPartnerInput.parse(customerInput({ companyName: 'Open Co' })),
  );
});
afterAll(async () => {
  for (const queue of started) await queue.stop();
  await slack?.stop();
  await database?.close();
});

/** A queue on the test database, as one server replica runs it. */
async function openQueue(): Promise<JobQueue> {
  const queue = await startJobQueue({
    database,
    connectionString: database.url,
    log: logger,
    pollingIntervalSeconds: 0.5,
  });
  started.push(queue);
  return queue;
}

function config(options: { channel: string; time?: string; timeZone?: string }) {
  return loadConfig({
    LOG_LEVEL: 'silent',
    DIGEST_CHANNEL: options.channel,
    DIGEST_TIME: options.time ?? '09:00',
    TIMEZONE: options.timeZone ?? 'UTC',
  });
}

/** The bot's Slack side against the fake: a client without retries and a poster. */
function slackSide() {
  const client = new WebClient('xoxb-test', {
    slackApiUrl: `${slack.url}/api/`,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
  return { client, poster: new SlackPoster(client, logger, async () => {}) };
}

function deps(options: { at: string; channel: string; time?: string; timeZone?: string }) {
  return {
    db: database.db,
    config: config(options),
    logger,
    clock: fixedClock(options.at),
    jobs,
    ...slackSide(),
  };
}

const digestPosts = (channel: string) =>
  slack.posts(channel).filter((post) => /Partner directory digest/.test(String(post.text)));

describe('enqueueDigestIfDue', () => {
  it('waits for DIGEST_TIME in the workspace time zone, then queues one digest for the day', async () => {
    const channel = 'CTIME';
    expect(await enqueueDigestIfDue(deps({ at: `${TODAY}T08:59:00Z`, channel }))).toBe('not_due');
    // 02:30 UTC is 09:30 in Ho Chi Minh City.
    const hcm = { channel, timeZone: 'Asia/Ho_Chi_Minh' };
    expect(await enqueueDigestIfDue(deps({ at: `${TODAY}T02:30:00Z`, ...hcm }))).toBe('queued');
    expect(await enqueueDigestIfDue(deps({ at: `${TODAY}T03:30:00Z`, ...hcm }))).toBe('already_queued');
    const queued = await jobs.find('slack-digest', { data: { channel } });
    expect(queued.map((job) => job.data)).toEqual([{ channel, day: TODAY }]);
    expect(queued[0]!.id).toBe(keyedJobId('slack-digest', digestJobKey(channel, TODAY)));
  });

  it('catches up later the same day when the server was down at digest time', async () => {
    expect(await enqueueDigestIfDue(deps({ at: `${TODAY}T16:45:00Z`, channel: 'CLATE' }))).toBe('queued');
  });

  it('does nothing without DIGEST_CHANNEL', async () => {
    const off = { ...deps({ at: `${TODAY}T16:45:00Z`, channel: 'COFF' }), config: loadConfig({}) };
    expect(await enqueueDigestIfDue(off)).toBe('off');
  });
});

describe('scheduleDigest', () => {
  it('keeps one schedule, at DIGEST_TIME in TIMEZONE, for DIGEST_CHANNEL only', async () => {
    await scheduleDigest({ jobs, config: config({ channel: 'COLD', time: '08:30' }) });
    await scheduleDigest({ jobs, config: config({ channel: 'CNEW', timeZone: 'Asia/Ho_Chi_Minh' }) });
    expect(await jobs.schedules('slack-digest-due')).toEqual([
      { key: 'CNEW', cron: '0 9 * * *', timeZone: 'Asia/Ho_Chi_Minh', data: { channel: 'CNEW' } },
    ]);
    await scheduleDigest({ jobs, config: loadConfig({}) });
    expect(await jobs.schedules('slack-digest-due')).toEqual([]);
  });
});

describe('runDigestJob', () => {
  const job = (channel: string, attempt = 0) => ({
    channel,
    day: TODAY,
    attempt,
    createdAt: new Date(`${TODAY}T09:00:00Z`),
  });

  it('counts only records without access groups, since the channel may hold anyone', async () => {
    expect(
      await runDigestJob(deps({ at: `${TODAY}T10:00:00Z`, channel: 'CGROUPS' }), job('CGROUPS')),
    ).toMatchObject({ outcome: 'posted' });
    const text = String(digestPosts('CGROUPS')[0]!.text);
    expect(text).toContain('Customers: 1 all');
    expect(text).not.toContain('Hidden Co');
  });

  it('on a retry, does not post again what the first attempt posted before its replica died', async () => {
    const at = `${TODAY}T10:00:00Z`;
    expect(await runDigestJob(deps({ at, channel: 'CPOSTED' }), job('CPOSTED'))).toMatchObject({
      outcome: 'posted',
    });
    const retried = await runDigestJob(deps({ at, channel: 'CPOSTED' }), job('CPOSTED', 1));
    expect(retried).toMatchObject({ outcome: 'already_posted' });
    expect(retried.ts).toBeTruthy();
    expect(digestPosts('CPOSTED')).toHaveLength(1);
  });

  it('on a retry, posts once when the first attempt died before posting', async () => {
    const outcome = await runDigestJob(deps({ at: `${TODAY}T10:00:00Z`, channel: 'CDIED' }), job('CDIED', 1));
    expect(outcome).toMatchObject({ outcome: 'posted' });
    expect(slack.calls.some((c) => c.method === 'conversations.history' && c.body.channel === 'CDIED')).toBe(
      true,
    );
    expect(digestPosts('CDIED')).toHaveLength(1);
  });

  it('throws when Slack does not take the post, so the queue tries again', async () => {
    slack.rateLimitOnce.set('chat.postMessage', 10);
    try {
      await expect(
        runDigestJob(deps({ at: `${TODAY}T10:00:00Z`, channel: 'CDOWN' }), job('CDOWN')),
      ).rejects.toThrow(/could not be posted/);
    } finally {
      slack.rateLimitOnce.delete('chat.postMessage');
    }
  });

  it('posts nothing for a day that is over', async () => {
    const late = await runDigestJob(
      deps({ at: `${addDays(TODAY, 1)}T00:05:00Z`, channel: 'COVER' }),
      job('COVER'),
    );
    expect(late).toEqual({ outcome: 'stale' });
    expect(digestPosts('COVER')).toHaveLength(0);
  });
});

describe('the digest on the queue', () => {
  /** A replica: its own queue and Slack side, the bot's digest workers, a clock fixed at `at`. */
  async function replica(options: { at: string; channel: string }) {
    const queue = await openQueue();
    const { clock, config: replicaConfig, ...rest } = deps(options);
    await startBotJobs({
      slack: slackSide(),
      jobs: queue,
      digest: { db: rest.db, config: replicaConfig, logger, clock },
    });
    return queue;
  }

  it('is posted once when two replicas start together, counted since the previous digest', async () => {
    const channel = 'CRACE';
    // Yesterday's digest, posted at 10:00 by a replica that has since stopped.
    const yesterday = await replica({ at: `${YESTERDAY}T10:00:00Z`, channel });
    await slack.waitFor(() => digestPosts(channel));
    const previous = keyedJobId('slack-digest', digestJobKey(channel, YESTERDAY));
    await waitForState(previous, 'completed');
    await yesterday.stop();

    // Today two replicas start at once; each asks for today's digest as it starts.
    const at = `${TODAY}T10:00:00Z`;
    await Promise.all([replica({ at, channel }), replica({ at, channel })]);
    const today = keyedJobId('slack-digest', digestJobKey(channel, TODAY));
    const done = await waitForState(today, 'completed');
    expect(done.output).toMatchObject({ outcome: 'posted' });
    // Another post had time to arrive, had there been one.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const posts = digestPosts(channel);
    expect(posts).toHaveLength(2);
    expect(posts[1]!.metadata).toEqual({ event_type: 'partnerbook_digest', event_payload: { day: TODAY } });
    expect(String(posts[1]!.text)).toContain(`Since ${YESTERDAY} 10:00 UTC`);
  });
});

/** Waits until the digest job `id` reaches `state`. */
function waitForState(id: string, state: string) {
  return waitUntil({
    what: `digest job ${id} ${state}`,
    read: () => jobs.status('slack-digest', id),
    done: (status) => status?.state === state,
  }).then((status) => status!);
}

describe('SlackPoster', () => {
  it('waits out a 429 and posts exactly once more', async () => {
    slack.rateLimitOnce.set('chat.postMessage', 1);
    const { poster } = slackSide();
    const before = slack.calls.filter((c) => c.method === 'chat.postMessage').length;
    const ts = await poster.post({ channel: 'CRATE', content: 'hello' });
    expect(ts).toBeTruthy();
    expect(slack.calls.filter((c) => c.method === 'chat.postMessage')).toHaveLength(before + 2);
    expect(slack.posts('CRATE')).toHaveLength(2); // the refused attempt and the one that went through
  });

  it('joins a public channel once on not_in_channel and posts', async () => {
    slack.notIn.add('CNOTIN');
    const { poster } = slackSide();
    const before = slack.calls.length;
    expect(await poster.post({ channel: 'CNOTIN', content: 'hello' })).toBeTruthy();
    expect(slack.calls.slice(before).map((c) => c.method)).toEqual([
      'chat.postMessage',
      'conversations.join',
      'chat.postMessage',
    ]);
  });
});
