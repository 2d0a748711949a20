import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { contextFor, supplierInput, TODAY } from '../../test/context.ts';
import { openTestDatabase } from '../../test/database.ts';
import { FakeSlack, slackSignature } from '../../test/fake-slack.ts';
import { ADMIN_TOKEN } from '../../test/server.ts';
import { composeServer } from '../app/compose.ts';
import { createLogger } from '../app/logger.ts';
import { loadConfig } from '../config.ts';
import type { Database } from '../db/client.ts';
import { auditEvents } from '../db/schema/index.ts';
import { setSlackUser } from '../directory/access/principals.ts';
import { fixedClock } from '../directory/activity/clock.ts';
import { createPartnerInput } from '../directory/partners/partner-schema.ts';
import { createPartner } from '../directory/partners/partner-write.ts';
import { OPEN_LINK_ACTION } from './blocks.ts';

const SECRET = 'test-signing-secret';
const clock = fixedClock(`${TODAY}T12:00:00Z`);
const now = Math.floor(clock.now().getTime() / 1000);
/** Suppliers in Viet Nam the asking user can see: more than the 10 an answer shows. */
const VISIBLE = 13;
let database: Database;
let slack: FakeSlack;
let server: Awaited<ReturnType<typeof composeServer>>;

beforeAll(async () => {
  database = await openTestDatabase();
  slack = new FakeSlack();
  await slack.start();
  server = await composeServer({
    config: loadConfig({
      LOG_LEVEL: 'silent',
      PARTNERBOOK_ADMIN_TOKEN: ADMIN_TOKEN,
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: `${slack.url}/api/`,
    }),
    database,
    logger: createLogger('silent'),
    clock,
    publicUrl: () => 'http://localhost:3000',
    jobs: false,
  });
  const ctx = contextFor(database, { clock });
  const add = (input: Record<string, unknown>) => createPartner(ctx, createPartnerInput.parse(input));
  for (let i = 1; i <= VISIBLE; i++)
    await add(supplierInput({ companyName: `Listed Supplier ${String(i).padStart(2, '0')}`, country: 'VN' }));
  // Not in the list: another country, and a record in a group the asking user is not in.
  await add(supplierInput({ companyName: 'German Supplier', country: 'DE' }));
  await add(supplierInput({ companyName: 'Hidden Supplier', country: 'VN', accessGroups: ['secret'] }));
  await setSlackUser(ctx, { slackUserId: 'UVIEWER', role: 'viewer' });
});
afterAll(async () => {
  await server?.stop();
  await slack?.stop();
  await database?.close();
});
beforeEach(() => {
  slack.calls.length = 0;
});

const exportEvents = () => database.db.select().from(auditEvents).where(eq(auditEvents.action, 'export'));

/** The audit event is written once the file is complete, just after its last byte. */
async function waitForExportEvents(count: number) {
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    const events = await exportEvents();
    if (events.length >= count) return events;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`expected ${count} export audit event(s)`);
}

/** Asks in a channel as UVIEWER; resolves with the posted answer. */
async function ask(question: string, eventId: string) {
  const body = JSON.stringify({
    type: 'event_callback',
    team_id: 'T1',
    api_app_id: 'A1',
    event_id: eventId,
    event_time: now,
    event: {
      type: 'app_mention',
      user: 'UVIEWER',
      text: `<@UBOT> ${question}`,
      channel: 'CGENERAL',
      ts: `${now}.0001`,
      event_ts: `${now}.0001`,
    },
  });
  const response = await server.app.request('/slack/events', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...slackSignature({ secret: SECRET, body, timestamp: now }),
    },
    body,
  });
  expect(response.status).toBe(200);
  const [post] = await slack.waitFor(() => slack.posts('CGENERAL'), 1, 30_000);
  return post!;
}

/** The URL of the "Download the full list" button. */
function buttonUrl(post: Record<string, unknown>): string {
  const button = (post.blocks as { type: string; elements?: { action_id: string; url?: string }[] }[])
    .filter((block) => block.type === 'actions')
    .flatMap((block) => block.elements ?? [])
    .find((element) => element.action_id === OPEN_LINK_ACTION);
  expect(button?.url, 'the answer has a download button').toMatch(
    /^http:\/\/localhost:3000\/exports\/[0-9a-f-]{36}$/,
  );
  return button!.url!;
}

const pathOf = (url: string) => new URL(url).pathname;

describe('the full list behind a Slack search answer', { timeout: 120_000 }, () => {
  it('is exported only when its link is opened: the rows the asker may see, audited once', async () => {
    const post = await ask('suppliers in Vietnam', 'Ev-full-list');
    expect(String(post.text)).toMatch(new RegExp(`^${VISIBLE} suppliers in Viet Nam`));
    expect(String(post.text)).toContain(`and ${VISIBLE - 10} more`);
    // The WebClient sends the post form-encoded: Slack is asked not to fetch (unfurl) any link.
    expect(post).toMatchObject({ unfurl_links: 'false', unfurl_media: 'false' });
    const url = buttonUrl(post);
    expect(await exportEvents()).toHaveLength(0);

    // A link checker's HEAD runs nothing.
    const head = await server.app.request(pathOf(url), { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-disposition')).toMatch(/^attachment; filename="partnerbook-suppliers-/);
    expect(await exportEvents()).toHaveLength(0);

    // Opened from Slack in a browser: no token, the link alone.
    const response = await server.app.request(pathOf(url));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = (await response.text())
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    const companies = lines
      .slice(1)
      .map((line) => line.match(/Listed Supplier \d+|German Supplier|Hidden Supplier/)?.[0]);
    expect(companies.sort()).toEqual(
      Array.from({ length: VISIBLE }, (_, i) => `Listed Supplier ${String(i + 1).padStart(2, '0')}`),
    );
    const [event, ...more] = await waitForExportEvents(1);
    expect(more).toHaveLength(0);
    expect(event).toMatchObject({ via: 'slack', details: { rows: VISIBLE, format: 'csv' } });
    expect(event!.details).toMatchObject({ filters: { kind: 'supplier', countries: ['VN'] } });
  });

  it('is not offered when every match is shown', async () => {
    const post = await ask('suppliers in Germany', 'Ev-short-list');
    expect(String(post.text)).toMatch(/^1 supplier in Germany/);
    expect(JSON.stringify(post.blocks)).not.toContain(OPEN_LINK_ACTION);
  });
});

describe('the full list behind POST /api/ask', { timeout: 120_000 }, () => {
  it('is a link in the plain answer, exported and audited once when opened with the bearer token', async () => {
    const before = (await exportEvents()).length;
    const response = await server.app.request('http://localhost/api/ask', {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ question: 'suppliers in Vietnam' }),
    });
    const { text } = (await response.json()) as { text: string };
    // The admin sees the record in the "secret" group too.
    expect(text).toMatch(new RegExp(`^${VISIBLE + 1} suppliers in Viet Nam`));
    const url = text.match(/http:\/\/localhost:3000\/exports\/[0-9a-f-]{36}/)?.[0];
    expect(url, 'the answer names the link').toBeTruthy();
    expect(await exportEvents()).toHaveLength(before);
    expect((await server.app.request(pathOf(url!))).status).toBe(401);
    const download = await server.app.request(pathOf(url!), {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(download.status).toBe(200);
    expect((await download.text()).trim().split(/\r?\n/)).toHaveLength(VISIBLE + 2);
    const events = await waitForExportEvents(before + 1);
    expect(events).toHaveLength(before + 1);
    expect(
      await database.db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.action, 'export'), eq(auditEvents.via, 'http'))),
    ).toHaveLength(1);
  });
});
