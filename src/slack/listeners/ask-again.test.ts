import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextFor, supplierInput, TODAY } from '../../../test/context.ts';
import { openTestDatabase } from '../../../test/database.ts';
import { FakeSlack, slackSignature } from '../../../test/fake-slack.ts';
import { composeServer } from '../../app/compose.ts';
import { createLogger } from '../../app/logger.ts';
import { ASK_ACTION } from '../../assistant/clarify-reply.ts';
import { loadConfig } from '../../config.ts';
import type { Database } from '../../db/client.ts';
import { setSlackUser } from '../../directory/access/principals.ts';
import { fixedClock } from '../../directory/activity/clock.ts';
import { createPartnerInput } from '../../directory/partners/partner-schema.ts';
import { createPartner } from '../../directory/partners/partner-write.ts';

const SECRET = 'test-signing-secret';
const clock = fixedClock(`${TODAY}T12:00:00Z`);
const now = Math.floor(clock.now().getTime() / 1000);
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
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: `${slack.url}/api/`,
      SLACK_DEFAULT_ROLE: 'none',
    }),
    database,
    logger: createLogger('silent'),
    clock,
    publicUrl: () => 'http://localhost:3000',
    jobs: false,
  });
  const ctx = contextFor(database, { clock });
  for (const companyName of ['Saigon Cotton', 'Hanoi Buttons'])
    await createPartner(ctx, createPartnerInput.parse(supplierInput({ companyName, country: 'VN' })));
  await createPartner(
    ctx,
    createPartnerInput.parse(supplierInput({ companyName: 'Berlin Zips', country: 'DE' })),
  );
  await setSlackUser(ctx, { slackUserId: 'UVIEWER', role: 'viewer' });
});
afterAll(async () => {
  await server?.stop();
  await slack?.stop();
  await database?.close();
});

async function send(body: string, contentType: string) {
  const response = await server.app.request('/slack/events', {
    method: 'POST',
    headers: { 'content-type': contentType, ...slackSignature({ secret: SECRET, body, timestamp: now }) },
    body,
  });
  expect(response.status).toBe(200);
}

/** A click on `button` by `user`, answered at `${slack.url}/response/<name>`. */
async function click(options: { button: { action_id: string; value: string }; user: string; name: string }) {
  const payload = {
    type: 'block_actions',
    user: { id: options.user },
    team: { id: 'T1' },
    api_app_id: 'A1',
    channel: { id: 'CGENERAL' },
    container: { type: 'message', message_ts: '1', channel_id: 'CGENERAL' },
    response_url: `${slack.url}/response/${options.name}`,
    trigger_id: 't',
    actions: [{ type: 'button', block_id: ASK_ACTION, action_ts: '1', ...options.button }],
  };
  await send(
    new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
    'application/x-www-form-urlencoded',
  );
  const [response] = await slack.waitFor(
    () => slack.calls.filter((c) => c.method.replace(/^\/+/, '') === `response/${options.name}`),
    1,
    30_000,
  );
  return response!.body;
}

describe('the ask-again button of a clarifying answer', { timeout: 120_000 }, () => {
  it('answers the suggested question privately, as the user who clicked', async () => {
    await send(
      JSON.stringify({
        type: 'event_callback',
        team_id: 'T1',
        api_app_id: 'A1',
        event_id: 'Ev-ask-again',
        event_time: now,
        event: {
          type: 'app_mention',
          user: 'UVIEWER',
          text: '<@UBOT> suppliers of cotton in Vietnam',
          channel: 'CGENERAL',
          ts: `${now}.0001`,
          event_ts: `${now}.0001`,
        },
      }),
      'application/json',
    );
    const [post] = await slack.waitFor(() => slack.posts('CGENERAL'), 1, 30_000);
    const button = (post!.blocks as { type: string; elements?: { action_id: string; value: string }[] }[])
      .filter((block) => block.type === 'actions')
      .flatMap((block) => block.elements ?? [])
      .find((element) => element.action_id.startsWith(`${ASK_ACTION}_`));
    expect(button, 'the clarifying answer suggests a question').toBeTruthy();

    const answer = await click({ button: button!, user: 'UVIEWER', name: 'ask-viewer' });
    expect(answer).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(String(answer.text)).toMatch(/^2 suppliers in Viet Nam/);
    expect(String(answer.text)).toContain('Saigon Cotton');
    expect(String(answer.text)).not.toContain('Berlin Zips');
  });

  it('refuses a clicker without access to the directory', async () => {
    const answer = await click({
      button: { action_id: `${ASK_ACTION}_0`, value: 'suppliers in Viet Nam' },
      user: 'UNOBODY',
      name: 'ask-nobody',
    });
    expect(String(answer.text)).toMatch(/don't have access/);
    expect(String(answer.text)).not.toContain('Saigon Cotton');
  });
});
