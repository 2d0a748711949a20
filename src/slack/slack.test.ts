import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { contextFor, customerInput, supplierInput, TODAY } from '../../test/context.ts';
import { openTestDatabase } from '../../test/database.ts';
import { FakeSlack, slackSignature } from '../../test/fake-slack.ts';
import { composeServer } from '../app/compose.ts';
import { createLogger } from '../app/logger.ts';
import { loadConfig } from '../config.ts';
import type { Database } from '../db/client.ts';
import { auditEvents, partners } from '../db/schema/index.ts';
import { setSlackUser } from '../directory/access/principals.ts';
import { fixedClock } from '../directory/activity/clock.ts';
import { checkCompliance } from '../directory/compliance/compliance-check.ts';
import { setComplianceItem } from '../directory/compliance/compliance-items.ts';
import { recordOrder } from '../directory/orders/orders.ts';
import { createPartnerInput } from '../directory/partners/partner-schema.ts';
import { createPartner } from '../directory/partners/partner-write.ts';

const SECRET = 'test-signing-secret';
const clock = fixedClock(`${TODAY}T12:00:00Z`);
const now = Math.floor(clock.now().getTime() / 1000);
let database: Database & { url?: string };
let slack: FakeSlack;
let server: Awaited<ReturnType<typeof composeServer>>;

function config(extra: Record<string, string> = {}) {
  return loadConfig({
    LOG_LEVEL: 'silent',
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: `${slack.url}/api/`,
    DIGEST_CHANNEL: 'CDIGEST',
    DIGEST_TIME: '09:00',
    COMPLIANCE_CHANNEL: 'CCOMPLIANCE',
    ...extra,
  });
}

async function compose(extra: Record<string, string> = {}) {
  return composeServer({
    config: config(extra),
    database,
    logger: createLogger('silent'),
    clock,
    publicUrl: () => 'http://localhost:3000',
    jobs: false,
  });
}

function send(
  body: string,
  options: { contentType?: string; headers?: Record<string, string>; timestamp?: number } = {},
) {
  return server.app.request('/slack/events', {
    method: 'POST',
    headers: {
      'content-type': options.contentType ?? 'application/json',
      ...slackSignature({ secret: SECRET, body, timestamp: options.timestamp ?? now }),
      ...options.headers,
    },
    body,
  });
}

const mention = (text: string, user: string, eventId: string) =>
  JSON.stringify({
    type: 'event_callback',
    team_id: 'T1',
    api_app_id: 'A1',
    event_id: eventId,
    event_time: now,
    event: {
      type: 'app_mention',
      user,
      text: `<@UBOT> ${text}`,
      channel: 'CGENERAL',
      ts: `${now}.0001`,
      event_ts: `${now}.0001`,
    },
  });

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

beforeAll(async () => {
  database = await openTestDatabase();
  slack = new FakeSlack();
  await slack.start();
  server = await compose();
  const ctx = contextFor(database, { clock });
  const add = async (input: Record<string, unknown>, orderDate?: string) => {
    const { partner } = await createPartner(ctx, createPartnerInput.parse(input));
    if (orderDate)
      await recordOrder(ctx, { partner: { id: partner.id }, reference: 'PO-1', orderDate, amount: 10 });
    return partner;
  };
  await add(
    supplierInput({
      firstName: 'Linh',
      companyName: 'Saigon Cotton',
      country: 'VN',
      city: 'Ho Chi Minh City',
      totalPurchases: 9000,
    }),
    '2026-01-10',
  );
  await add(
    supplierInput({
      firstName: 'Minh',
      companyName: 'Hanoi Buttons',
      country: 'Vietnam',
      totalPurchases: 100,
    }),
  );
  await add(
    supplierInput({ firstName: 'Hoa', companyName: 'Da Nang Zippers', country: 'VN', totalPurchases: 50 }),
    '2026-06-10',
  );
  await add(
    supplierInput({ firstName: 'Hans', companyName: '<!channel> Müller', country: 'DE', totalPurchases: 70 }),
  );
  await add(
    customerInput({ firstName: 'Anna', companyName: 'Acme Retail', country: 'DE', totalSales: 120000 }),
    '2026-06-01',
  );
  await setSlackUser(ctx, { slackUserId: 'UEDITOR', role: 'editor' });
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

describe('Slack request verification', () => {
  it('answers url_verification with the challenge', async () => {
    const response = await send(
      JSON.stringify({ type: 'url_verification', challenge: 'abc123', token: 'x' }),
    );
    expect(await response.json()).toEqual({ challenge: 'abc123' });
  });

  it.each([
    [
      'a changed byte',
      { 'x-slack-signature': 'v0=0000000000000000000000000000000000000000000000000000000000000000' },
      undefined,
    ],
    ['a v1 signature', { 'x-slack-signature': 'v1=abc' }, undefined],
    ['a stale timestamp', {}, now - 6 * 60],
    ['a future timestamp', {}, now + 6 * 60],
  ])('refuses %s with 401 and does not answer', async (_label, headers, timestamp) => {
    const response = await send(
      mention('which suppliers are inactive in Vietnam', 'UVIEWER', `Ev-bad-${Math.random()}`),
      { headers, timestamp },
    );
    expect(response.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(slack.posts()).toHaveLength(0);
  });

  it('refuses a request without signature headers', async () => {
    const response = await server.app.request('/slack/events', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(401);
  });
});

describe('Slack questions', () => {
  it('answers a mention in its thread with the right rows, escaping record text', async () => {
    const response = await send(mention('which suppliers are inactive in Vietnam', 'UVIEWER', 'Ev-q1'));
    expect(response.status).toBe(200);
    const [post] = await slack.waitFor(() => slack.posts('CGENERAL'));
    expect(post!.thread_ts).toBe(`${now}.0001`);
    expect(String(post!.text)).toMatch(/^2 inactive suppliers in Viet Nam/);
    expect(String(post!.text)).toContain('Saigon Cotton');
    expect(String(post!.text)).toContain('Hanoi Buttons');
    expect(String(post!.text)).not.toContain('Da Nang Zippers');
  });

  it('answers a retried or duplicated event once', async () => {
    const body = mention('which suppliers are inactive in Vietnam', 'UVIEWER', 'Ev-dup');
    await Promise.all([
      send(body),
      send(body),
      send(body, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } }),
    ]);
    await slack.waitFor(() => slack.posts('CGENERAL'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(slack.posts('CGENERAL')).toHaveLength(1);
  });

  it('never lets record text ping a channel', async () => {
    await send(mention('suppliers in Germany', 'UVIEWER', 'Ev-escape'));
    const [post] = await slack.waitFor(() => slack.posts('CGENERAL'));
    const blocks = JSON.stringify(post!.blocks);
    expect(blocks).toContain('&lt;!channel&gt;');
    expect(blocks).not.toContain('<!channel>');
  });

  it('answers the /partners slash command through its response_url', async () => {
    const response = await send(
      form({
        command: '/partners',
        text: 'how many new customers',
        user_id: 'UVIEWER',
        channel_id: 'CGENERAL',
        team_id: 'T1',
        response_url: `${slack.url}/response/1`,
        trigger_id: 't',
      }),
      { contentType: 'application/x-www-form-urlencoded' },
    );
    expect(response.status).toBe(200);
    const [answer] = await slack.waitFor(() =>
      slack.calls.filter((c) => c.method === '/response/1' || c.method === 'response/1'),
    );
    expect(String(answer!.body.text)).toMatch(/customers?/);
  });
});

describe('Slack changes', () => {
  it('refuses a viewer who asks to create a record, writing nothing', async () => {
    const before = (await database.db.select().from(partners)).length;
    await send(
      mention(
        'create a customer Mai Tran mai@example.vn total sales 0 in Vietnam',
        'UVIEWER',
        'Ev-viewer-create',
      ),
    );
    const [post] = await slack.waitFor(() => slack.posts('CGENERAL'));
    expect(String(post!.text)).toMatch(/editor/);
    expect(JSON.stringify(post!.blocks)).not.toContain('partnerbook_confirm');
    expect((await database.db.select().from(partners)).length).toBe(before);
  });

  async function proposeCreate(eventId: string, email: string) {
    await send(mention(`create a customer Mai Tran ${email} total sales 0 in Vietnam`, 'UEDITOR', eventId));
    const [post] = await slack.waitFor(() => slack.posts('CGENERAL'));
    const actions = (
      post!.blocks as { type: string; elements?: { action_id: string; value: string }[] }[]
    ).find((b) => b.type === 'actions');
    expect(actions).toBeTruthy();
    return actions!.elements!;
  }

  const click = (actionId: string, value: string, user: string) =>
    send(
      form({
        payload: JSON.stringify({
          type: 'block_actions',
          user: { id: user },
          team: { id: 'T1' },
          api_app_id: 'A1',
          channel: { id: 'CGENERAL' },
          container: { type: 'message', message_ts: '1', channel_id: 'CGENERAL' },
          response_url: `${slack.url}/response/actions`,
          trigger_id: 't',
          actions: [
            { type: 'button', action_id: actionId, block_id: 'partnerbook_change', value, action_ts: '1' },
          ],
        }),
      }),
      { contentType: 'application/x-www-form-urlencoded' },
    );

  it("writes an editor's create only on that editor's Confirm, audited as slack", async () => {
    const [confirm] = await proposeCreate('Ev-create-1', 'mai.tran@example.vn');
    expect(
      await database.db.select().from(partners).where(eq(partners.email, 'mai.tran@example.vn')),
    ).toHaveLength(0);
    await click(confirm!.action_id, confirm!.value, 'UVIEWER'); // someone else clicks: refused
    await click(confirm!.action_id, confirm!.value, 'UEDITOR');
    const responses = await slack.waitFor(
      () => slack.calls.filter((c) => c.method.endsWith('response/actions')),
      2,
    );
    expect(String(responses[0]!.body.text)).toMatch(/Only <@UEDITOR>/);
    expect(String(responses[1]!.body.text)).toMatch(/^Done: Created CUS-/);
    const [row] = await database.db.select().from(partners).where(eq(partners.email, 'mai.tran@example.vn'));
    expect(row).toMatchObject({
      firstName: 'Mai',
      lastName: 'Tran',
      country: 'VN',
      createdBy: 'slack:UEDITOR',
    });
    const [event] = await database.db.select().from(auditEvents).where(eq(auditEvents.partnerId, row!.id));
    expect(event).toMatchObject({ action: 'create', via: 'slack' });
    // a second click does nothing more
    await click(confirm!.action_id, confirm!.value, 'UEDITOR');
    const third = await slack.waitFor(
      () => slack.calls.filter((c) => c.method.endsWith('response/actions')),
      3,
    );
    expect(String(third[2]!.body.text)).toMatch(/already/);
  });

  it('writes nothing on Cancel', async () => {
    const [, cancel] = await proposeCreate('Ev-create-2', 'cancelled@example.vn');
    await click(cancel!.action_id, cancel!.value, 'UEDITOR');
    const [response] = await slack.waitFor(() =>
      slack.calls.filter((c) => c.method.endsWith('response/actions')),
    );
    expect(String(response!.body.text)).toMatch(/^Cancelled/);
    expect(
      await database.db.select().from(partners).where(eq(partners.email, 'cancelled@example.vn')),
    ).toHaveLength(0);
  });

  it('asks for a missing required value instead of an error dump', async () => {
    await send(mention('create a customer Mai Tran total sales 0', 'UEDITOR', 'Ev-create-missing'));
    const [post] = await slack.waitFor(() => slack.posts('CGENERAL'));
    expect(String(post!.text)).toMatch(/What is the email address/);
  });
});

describe('queued bot work (two servers with their job queues on one database)', () => {
  /** A server as `partnerbook serve` composes it, job queue and workers included. */
  function composeWithJobs() {
    return composeServer({
      config: config({ DATABASE_URL: database.url ?? '' }),
      database,
      logger: createLogger('silent'),
      clock,
      publicUrl: () => 'http://localhost:3000',
      queue: { pollingIntervalSeconds: 0.5 },
    });
  }

  it('posts the daily digest once when two servers start together', async () => {
    const servers = await Promise.all([composeWithJobs(), composeWithJobs()]);
    try {
      const [post] = await slack.waitFor(() => slack.posts('CDIGEST'));
      expect(String(post!.text)).toMatch(/Partner directory digest/);
      expect(String(post!.text)).toMatch(/Customers: \d+ all/);
      // Another post had time to arrive, had there been one.
      await new Promise((resolve) => setTimeout(resolve, 3000));
      expect(slack.posts('CDIGEST')).toHaveLength(1);
    } finally {
      for (const composed of servers) await composed.stop();
    }
  });

  it('posts a breach found by check_compliance to COMPLIANCE_CHANNEL once, without waiting for a poll', async () => {
    const servers = await Promise.all([composeWithJobs(), composeWithJobs()]);
    try {
      const ctx = { ...contextFor(database, { clock }), jobs: servers[0]!.jobs };
      const { partner } = await createPartner(
        ctx,
        createPartnerInput.parse(supplierInput({ notifyOnComplianceBreach: true })),
      );
      await setComplianceItem(ctx, {
        partner: { id: partner.id },
        name: 'BSCI audit',
        validTo: '2026-06-20',
      });
      await checkCompliance(ctx, { partner: { id: partner.id } });
      const [post] = await slack.waitFor(() => slack.posts('CCOMPLIANCE'));
      expect(String(post!.text)).toContain(partner.code);
      expect(String(post!.text)).toContain('BSCI audit');
      await new Promise((resolve) => setTimeout(resolve, 3000));
      expect(slack.posts('CCOMPLIANCE')).toHaveLength(1);
    } finally {
      for (const composed of servers) await composed.stop();
    }
  });
});
