import { WebClient } from '@slack/web-api';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextFor, supplierInput, TODAY } from '../../test/context.ts';
import { openTestDatabase } from '../../test/database.ts';
import { FakeSlack } from '../../test/fake-slack.ts';
import { createLogger } from '../app/logger.ts';
import { loadConfig } from '../config.ts';
import type { Database } from '../db/client.ts';
import { notifications } from '../db/schema/index.ts';
import { fixedClock } from '../directory/activity/clock.ts';
import {
  type BreachNotice,
  pendingBreachNoticeIds,
  sweepBreachNotices,
} from '../directory/compliance/breach-notices.ts';
import { checkCompliance } from '../directory/compliance/compliance-check.ts';
import { setComplianceItem } from '../directory/compliance/compliance-items.ts';
import { type JobQueue, type JobSender, keyedJobId, startJobQueue } from '../directory/jobs/job-queue.ts';
import { createPartnerInput } from '../directory/partners/partner-schema.ts';
import { createPartner } from '../directory/partners/partner-write.ts';
import { startBotJobs } from './bot-jobs.ts';
import { BREACH_EVENT, postBreachNotice } from './breach-notifier.ts';
import { SlackPoster } from './slack-poster.ts';

const CHANNEL = 'CCOMPLIANCE';
const clock = fixedClock(`${TODAY}T12:00:00Z`);
const logger = createLogger('silent');
let database: Database & { url?: string };
let slack: FakeSlack;
let jobs: JobQueue;
let client: WebClient;
let poster: SlackPoster;

beforeAll(async () => {
  database = await openTestDatabase();
  slack = new FakeSlack();
  await slack.start();
  jobs = await startJobQueue({
    database,
    connectionString: database.url,
    log: logger,
    pollingIntervalSeconds: 0.5,
  });
  client = new WebClient('xoxb-test', {
    slackApiUrl: `${slack.url}/api/`,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
  poster = new SlackPoster(client, logger, async () => {});
  await startBotJobs({
    slack: { client, poster },
    jobs,
    digest: { db: database.db, config: loadConfig({ LOG_LEVEL: 'silent' }), logger, clock },
    complianceChannel: CHANNEL,
  });
});
afterAll(async () => {
  await jobs?.stop();
  await slack?.stop();
  await database?.close();
});

/** A supplier that asks for breach notices, with an item expiring within the window of TODAY. */
async function supplierInBreach(item: string) {
  const ctx = contextFor(database, { clock });
  const { partner } = await createPartner(
    ctx,
    createPartnerInput.parse(supplierInput({ notifyOnComplianceBreach: true })),
  );
  await setComplianceItem(ctx, { partner: { id: partner.id }, name: item, validTo: '2026-06-20' });
  return partner;
}

async function noticesOf(partnerId: string) {
  return database.db.select().from(notifications).where(eq(notifications.partnerId, partnerId));
}

const postsAbout = (code: string) => slack.posts(CHANNEL).filter((post) => String(post.text).includes(code));

describe('compliance breach posts', () => {
  it('are enqueued by the check that found the breach, and posted once', async () => {
    const partner = await supplierInBreach('BSCI audit');
    const ctx = { ...contextFor(database, { clock }), jobs };
    const [report] = (await checkCompliance(ctx, { partner: { id: partner.id } })).partners;
    expect(report!.breachNotified).toBe(true);
    const [notice] = await noticesOf(partner.id);
    // The job exists as the check returns: nothing waits for a poll.
    expect(await jobs.status('breach-notice', keyedJobId('breach-notice', notice!.id))).toBeDefined();
    const [post] = await slack.waitFor(() => postsAbout(partner.code));
    expect(String(post!.text)).toContain('BSCI audit');
    expect(post!.metadata).toEqual({ event_type: BREACH_EVENT, event_payload: { notice: notice!.id } });

    // The same breach found again the same day is not noticed twice.
    await checkCompliance(ctx, { partner: { id: partner.id } });
    expect(await noticesOf(partner.id)).toHaveLength(1);
    await expect
      .poll(async () => (await noticesOf(partner.id))[0]!.postedAt, { timeout: 60_000 })
      .toBeInstanceOf(Date);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(postsAbout(partner.code)).toHaveLength(1);
  });

  it('recorded where no queue was at hand (a CLI call) go out with the sweep, once', async () => {
    const partner = await supplierInBreach('SMETA audit');
    await checkCompliance(contextFor(database, { clock }), { partner: { id: partner.id } });
    const [notice] = await noticesOf(partner.id);
    expect(await jobs.status('breach-notice', keyedJobId('breach-notice', notice!.id))).toBeUndefined();
    expect(await pendingBreachNoticeIds({ db: database.db, now: () => clock.now() })).toContain(notice!.id);
    const sweep = { db: database.db, now: () => clock.now(), jobs };
    expect(await sweepBreachNotices(sweep)).toBeGreaterThanOrEqual(1);
    expect(await sweepBreachNotices(sweep)).toBe(0);
    await slack.waitFor(() => postsAbout(partner.code));
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(postsAbout(partner.code)).toHaveLength(1);
  });

  it('leave neither a notice nor a job when the job cannot be enqueued', async () => {
    const partner = await supplierInBreach('FSC certificate');
    const failing: JobSender = {
      enqueue: async () => {
        throw new Error('queue unavailable');
      },
      status: async () => undefined,
    };
    await expect(
      checkCompliance({ ...contextFor(database, { clock }), jobs: failing }, { partner: { id: partner.id } }),
    ).rejects.toThrow();
    expect(await noticesOf(partner.id)).toHaveLength(0);
  });

  it('on a retry, are not posted again when the first attempt had posted', async () => {
    const notice: BreachNotice = {
      id: '00000000-0000-4000-8000-000000000042',
      partnerCode: 'SUP-RETRY',
      kind: 'supplier',
      name: 'Retry Co',
      etd: TODAY,
      orderSharing: 'allowed_with_breach',
      failing: [{ name: 'ISO 9001', validTo: '2026-06-20', status: 'expiring' }],
      checkedBy: 'admin-user',
      createdAt: clock.now(),
    };
    expect(await postBreachNotice({ client, poster, channel: CHANNEL }, { notice, attempt: 0 })).toBeTruthy();
    const looked = slack.calls.filter((c) => c.method === 'conversations.history').length;
    expect(await postBreachNotice({ client, poster, channel: CHANNEL }, { notice, attempt: 1 })).toBeTruthy();
    expect(slack.calls.filter((c) => c.method === 'conversations.history')).toHaveLength(looked + 1);
    expect(postsAbout('SUP-RETRY')).toHaveLength(1);
  });
});
