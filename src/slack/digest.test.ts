import { WebClient } from '@slack/web-api';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { contextFor, customerInput, TODAY } from '../../test/context.ts';
import { openTestDatabase } from '../../test/database.ts';
import { FakeSlack } from '../../test/fake-slack.ts';
import { createLogger } from '../app/logger.ts';
import { loadConfig } from '../config.ts';
import type { Database } from '../db/client.ts';
import { digestRuns } from '../db/schema/index.ts';
import { fixedClock } from '../directory/activity/clock.ts';
import { createPartnerInput } from '../directory/partners/partner-schema.ts';
import { createPartner } from '../directory/partners/partner-write.ts';
import { runDigestIfDue, STALE_CLAIM_MS } from './digest.ts';
import { SlackPoster } from './slack-poster.ts';

let database: Database;
let slack: FakeSlack;
const logger = createLogger('silent');

beforeAll(async () => {
  database = await openTestDatabase();
  slack = new FakeSlack();
  await slack.start();
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
  await slack?.stop();
  await database?.close();
});
beforeEach(async () => {
  slack.calls.length = 0;
  await database.db.delete(digestRuns);
});

function deps(options: { at: string; channel?: string; time?: string; timeZone?: string }) {
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    DIGEST_CHANNEL: options.channel ?? 'CDIGEST',
    DIGEST_TIME: options.time ?? '09:00',
    TIMEZONE: options.timeZone ?? 'UTC',
  });
  const client = new WebClient('xoxb-test', {
    slackApiUrl: `${slack.url}/api/`,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
  return {
    db: database.db,
    config,
    logger,
    clock: fixedClock(options.at),
    replicaId: 'test',
    client,
    poster: new SlackPoster(client, logger, async () => {}),
  };
}

describe('runDigestIfDue', () => {
  it('waits for DIGEST_TIME in the workspace time zone, then posts once that day', async () => {
    expect(await runDigestIfDue(deps({ at: `${TODAY}T08:59:00Z` }))).toBe('not_due');
    // 02:30 UTC is 09:30 in Ho Chi Minh City
    expect(await runDigestIfDue(deps({ at: `${TODAY}T02:30:00Z`, timeZone: 'Asia/Ho_Chi_Minh' }))).toBe(
      'posted',
    );
    expect(await runDigestIfDue(deps({ at: `${TODAY}T03:30:00Z`, timeZone: 'Asia/Ho_Chi_Minh' }))).toBe(
      'already_posted',
    );
    expect(slack.posts('CDIGEST')).toHaveLength(1);
  });

  it('catches up later the same day when the server was down at digest time', async () => {
    expect(await runDigestIfDue(deps({ at: `${TODAY}T16:45:00Z` }))).toBe('posted');
  });

  it('counts only records without access groups, since the channel may hold anyone', async () => {
    await runDigestIfDue(deps({ at: `${TODAY}T10:00:00Z` }));
    const text = String(slack.posts('CDIGEST')[0]!.text);
    expect(text).toContain('Customers: 1 all');
    expect(text).not.toContain('Hidden Co');
  });

  it('takes over a claim left by a replica that died before posting', async () => {
    const at = new Date(`${TODAY}T10:00:00Z`);
    await database.db.insert(digestRuns).values({
      channel: 'CDIGEST',
      day: TODAY,
      claimedBy: 'dead',
      claimedAt: new Date(at.getTime() - STALE_CLAIM_MS - 1000),
    });
    expect(await runDigestIfDue(deps({ at: at.toISOString() }))).toBe('posted');
    expect(slack.posts('CDIGEST')).toHaveLength(1);
  });

  it('does not take over a fresh claim', async () => {
    const at = new Date(`${TODAY}T10:00:00Z`);
    await database.db.insert(digestRuns).values({
      channel: 'CDIGEST',
      day: TODAY,
      claimedBy: 'alive',
      claimedAt: new Date(at.getTime() - 60_000),
    });
    expect(await runDigestIfDue(deps({ at: at.toISOString() }))).toBe('claimed_elsewhere');
    expect(slack.posts('CDIGEST')).toHaveLength(0);
  });

  it('does not post again when the dead replica had posted but not recorded it', async () => {
    const at = new Date(`${TODAY}T10:00:00Z`);
    await runDigestIfDue(deps({ at: at.toISOString() })); // a post Slack shows for today
    await database.db
      .update(digestRuns)
      .set({ postedAt: null, claimedAt: new Date(at.getTime() - STALE_CLAIM_MS - 1000) })
      .where(and(eq(digestRuns.channel, 'CDIGEST'), eq(digestRuns.day, TODAY)));
    expect(await runDigestIfDue(deps({ at: new Date(at.getTime() + 60_000).toISOString() }))).toBe(
      'already_posted',
    );
    expect(slack.posts('CDIGEST')).toHaveLength(1);
  });
});

describe('SlackPoster', () => {
  it('waits out a 429 and posts exactly once more', async () => {
    slack.rateLimitOnce.set('chat.postMessage', 1);
    const { poster } = deps({ at: `${TODAY}T10:00:00Z` });
    const ts = await poster.post({ channel: 'CRATE', content: 'hello' });
    expect(ts).toBeTruthy();
    expect(slack.calls.filter((c) => c.method === 'chat.postMessage')).toHaveLength(2);
    expect(slack.posts('CRATE')).toHaveLength(2); // the refused attempt and the one that went through
  });

  it('joins a public channel once on not_in_channel and posts', async () => {
    slack.notIn.add('CNOTIN');
    const { poster } = deps({ at: `${TODAY}T10:00:00Z` });
    expect(await poster.post({ channel: 'CNOTIN', content: 'hello' })).toBeTruthy();
    expect(slack.calls.map((c) => c.method)).toEqual([
      'chat.postMessage',
      'conversations.join',
      'chat.postMessage',
    ]);
  });
});
