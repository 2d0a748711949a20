import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testDriver } from '../../test/database.ts';
import { FakeSlack } from '../../test/fake-slack.ts';
import { waitUntil } from '../../test/wait-until.ts';
import { composeServer } from '../app/compose.ts';
import { createLogger } from '../app/logger.ts';
import { loadConfig } from '../config.ts';
import { rowsOf } from '../db/client.ts';
import { systemClock, todayIn } from '../directory/activity/clock.ts';
import { keyedJobId } from '../directory/jobs/job-queue.ts';
import { digestJobKey } from './digest.ts';

// Real processes: `partnerbook serve` claims the digest and is killed with SIGKILL before its post
// completes. Generous limits for a busy machine: a start takes about 10 s when idle, and a dead
// replica's job is retried once its 10 s heartbeat has lapsed and its retry delay has passed.
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(repoRoot, 'bin', 'partnerbook.js');
const LIMIT_MS = 240_000;
const SECRET = 'replica-test-signing-secret';
const children: ChildProcess[] = [];
let slack: FakeSlack;
let proxy: SlackProxy;

/**
 * Slack as a replica about to die sees it: every call goes through to the fake, but
 * chat.postMessage is never answered. With `deliver`, the message reaches the fake first (the
 * replica dies after Slack took its post); without, it never arrives (it dies before posting).
 */
interface SlackProxy {
  url: string;
  deliver: boolean;
  /** Channels of the posts held without an answer. */
  held: string[];
  close(): Promise<void>;
}

async function startSlackProxy(target: string): Promise<SlackProxy> {
  const state = { deliver: false, held: [] as string[] };
  const server: Server = createServer(async (request, response) => {
    const body = await readBody(request);
    const forward = () =>
      fetch(`${target}${request.url}`, {
        method: request.method,
        headers: { 'content-type': request.headers['content-type'] ?? 'application/x-www-form-urlencoded' },
        body,
      });
    if (request.url?.endsWith('/chat.postMessage')) {
      if (state.deliver) await forward();
      state.held.push(new URLSearchParams(body).get('channel') ?? String(JSON.parse(body || '{}').channel));
      return; // never answered
    }
    const answer = await forward();
    response.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get deliver() {
      return state.deliver;
    },
    set deliver(value: boolean) {
      state.deliver = value;
    },
    held: state.held,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The environment of a `partnerbook serve` replica with the bot on and the digest due all day. */
function replicaEnv(options: { channel: string; slackApiUrl: string; extra: Record<string, string> }) {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env))
    if (/^(DATABASE_URL|DATA_DIR|PARTNERBOOK_|SLACK_|OPENAI_|PUBLIC_URL|DIGEST_|COMPLIANCE_)/.test(key))
      delete env[key];
  return {
    ...env,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'warn',
    TIMEZONE: 'UTC',
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: `${options.slackApiUrl}/api/`,
    DIGEST_CHANNEL: options.channel,
    DIGEST_TIME: '00:00',
    ...options.extra,
  };
}

/** Starts `partnerbook serve --empty`; its output is kept for failure messages. */
function startReplica(env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [bin, 'serve', '--empty'], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    output += chunk;
  });
  return { child, output: () => output };
}

async function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

const digestPosts = (channel: string) =>
  slack.posts(channel).filter((post) => /Partner directory digest/.test(String(post.text)));
const historyLooks = (channel: string) =>
  slack.calls.filter((call) => call.method === 'conversations.history' && call.body.channel === channel);

beforeAll(async () => {
  slack = new FakeSlack();
  await slack.start();
  proxy = await startSlackProxy(slack.url);
});
afterAll(async () => {
  for (const child of children) await killHard(child);
  await proxy?.close();
  await slack?.stop();
});

describe.skipIf(testDriver !== 'postgres')(
  'the daily digest with two replicas on one PostgreSQL database (needs DATABASE_URL)',
  () => {
    let database: Awaited<ReturnType<typeof openTestDatabase>>;
    beforeAll(async () => {
      database = await openTestDatabase();
    });
    afterAll(async () => {
      await database?.close();
    });

    it.each([
      { when: 'before its post reached Slack', deliver: false, channel: 'CKILLED', outcome: 'posted' },
      {
        when: 'after Slack took its post, before it was recorded',
        deliver: true,
        channel: 'CLOST',
        outcome: 'already_posted',
      },
    ])(
      'is posted exactly once when the replica that claimed it is killed $when',
      async ({ deliver, channel, outcome }) => {
        proxy.deliver = deliver;
        const day = todayIn('UTC', systemClock);
        const jobId = keyedJobId('slack-digest', digestJobKey(channel, day));

        // Replica A claims today's digest as it starts, posts through the proxy, and is killed.
        const a = startReplica(
          replicaEnv({ channel, slackApiUrl: proxy.url, extra: { DATABASE_URL: database.url! } }),
        );
        await waitUntil({
          what: () => `replica A posting (output: ${a.output()})`,
          read: () => proxy.held,
          done: (held) => held.includes(channel),
          limitMs: LIMIT_MS,
        });
        await killHard(a.child);
        const [claimed] = rowsOf<{ state: string; retry_count: number }>(
          await database.sql!.unsafe(
            'SELECT state, retry_count FROM pgboss.job WHERE name = $1 AND id = $2',
            ['slack-digest', jobId],
          ),
        );
        expect(claimed).toEqual({ state: 'active', retry_count: 0 });
        expect(digestPosts(channel)).toHaveLength(deliver ? 1 : 0);

        // Replica B, already running or started now, finds the dead claim and finishes the digest.
        const b = await composeServer({
          config: loadConfig({
            LOG_LEVEL: 'silent',
            DATABASE_URL: database.url!,
            TIMEZONE: 'UTC',
            SLACK_BOT_TOKEN: 'xoxb-test',
            SLACK_SIGNING_SECRET: SECRET,
            SLACK_API_URL: `${slack.url}/api/`,
            DIGEST_CHANNEL: channel,
            DIGEST_TIME: '00:00',
          }),
          database,
          logger: createLogger('silent'),
          clock: systemClock,
          publicUrl: () => 'http://localhost:3000',
          queue: { checkIntervalSeconds: 1, pollingIntervalSeconds: 0.5 },
        });
        try {
          const done = await waitUntil({
            what: () => 'the digest job completing on replica B',
            read: () => b.jobs!.status('slack-digest', jobId),
            done: (status) => status?.state === 'completed' || status?.state === 'failed',
            limitMs: LIMIT_MS,
          });
          expect(done).toMatchObject({ state: 'completed', output: { outcome } });
          expect(done!.attempt).toBeGreaterThanOrEqual(1);
          // The retry looked at the channel before posting.
          expect(historyLooks(channel).length).toBeGreaterThanOrEqual(1);
          // A second post had time to arrive, had there been one.
          await new Promise((resolve) => setTimeout(resolve, 3000));
          const posts = digestPosts(channel);
          expect(posts).toHaveLength(1);
          expect(posts[0]!.metadata).toEqual({ event_type: 'partnerbook_digest', event_payload: { day } });
        } finally {
          await b.stop();
        }
      },
      LIMIT_MS * 2,
    );
  },
);

describe.skipIf(testDriver !== 'pglite')(
  'the daily digest on the embedded database, its one process killed and started again (PGlite only: one process holds it)',
  () => {
    let dataDir: string;
    beforeAll(() => {
      dataDir = mkdtempSync(join(tmpdir(), 'pb-digest-kill-'));
    });
    afterAll(() => {
      rmSync(dataDir, { recursive: true, force: true });
    });

    it(
      'is posted exactly once when the process that claimed it is killed before posting',
      async () => {
        const channel = 'CRESTART';
        proxy.deliver = false;
        const first = startReplica(
          replicaEnv({ channel, slackApiUrl: proxy.url, extra: { DATA_DIR: dataDir } }),
        );
        await waitUntil({
          what: () => `the first process posting (output: ${first.output()})`,
          read: () => proxy.held,
          done: (held) => held.includes(channel),
          limitMs: LIMIT_MS,
        });
        await killHard(first.child);
        expect(digestPosts(channel)).toHaveLength(0);

        // Started again: the dead process's claim lapses, and the retry posts (after looking first).
        const second = startReplica(
          replicaEnv({ channel, slackApiUrl: slack.url, extra: { DATA_DIR: dataDir } }),
        );
        await waitUntil({
          what: () => `the restarted process posting (output: ${second.output()})`,
          read: () => digestPosts(channel),
          done: (posts) => posts.length >= 1,
          limitMs: LIMIT_MS,
        });
        expect(historyLooks(channel).length).toBeGreaterThanOrEqual(1);
        await new Promise((resolve) => setTimeout(resolve, 3000));
        expect(digestPosts(channel)).toHaveLength(1);
        await killHard(second.child);
      },
      LIMIT_MS * 2,
    );
  },
);
