import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlackCall {
  method: string;
  body: Record<string, unknown>;
}

/**
 * A fake Slack Web API on loopback: records every call (form-encoded or JSON, as the
 * WebClient sends them) and answers like Slack. Also receives response_url posts.
 */
export class FakeSlack {
  readonly calls: SlackCall[] = [];
  private server: Server | undefined;
  private ts = 1_700_000_000;
  /** Channels the bot is not in until it calls conversations.join. */
  readonly notIn = new Set<string>();
  /** Methods to answer with 429 (Retry-After: 1) this many times first. */
  readonly rateLimitOnce = new Map<string, number>();
  url = '';

  async start(): Promise<void> {
    this.server = createServer(async (request, response) => {
      const body = await readBody(request);
      const path = new URL(request.url ?? '/', 'http://x').pathname;
      const method = path.replace(/^\/api\//, '');
      this.calls.push({ method, body });
      const limited = this.rateLimitOnce.get(method) ?? 0;
      if (limited > 0) {
        this.rateLimitOnce.set(method, limited - 1);
        response
          .writeHead(429, { 'retry-after': '1', 'content-type': 'application/json' })
          .end(JSON.stringify({ ok: false, error: 'ratelimited' }));
        return;
      }
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify(this.answer(method, body)));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  private answer(method: string, body: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1', user: 'partnerbook' };
      case 'conversations.join':
        this.notIn.delete(String(body.channel));
        return { ok: true };
      case 'chat.postMessage':
        if (this.notIn.has(String(body.channel))) return { ok: false, error: 'not_in_channel' };
        this.ts += 1;
        return { ok: true, channel: body.channel, ts: `${this.ts}.000100` };
      case 'conversations.history':
        return {
          ok: true,
          messages: this.posts(String(body.channel)).map((p, i) => ({
            ts: `${i}`,
            text: p.text,
            metadata: p.metadata,
          })),
        };
      default:
        return { ok: true };
    }
  }

  /** Messages posted with chat.postMessage, optionally to one channel. */
  posts(channel?: string): Record<string, unknown>[] {
    return this.calls
      .filter((c) => c.method === 'chat.postMessage' && (!channel || c.body.channel === channel))
      .map((c) => c.body);
  }

  /** Bodies posted to a response_url (path /response/...). */
  responses(): Record<string, unknown>[] {
    return this.calls
      .filter((c) => c.method.startsWith('/response') || c.method.startsWith('response'))
      .map((c) => c.body);
  }

  /** Waits until `count` items satisfy `pick`, or fails after a few seconds. */
  async waitFor<T>(pick: () => T[], count = 1, timeoutMs = 60_000): Promise<T[]> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      const items = pick();
      if (items.length >= count) return items;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`timed out waiting for ${count} item(s); have ${pick().length}`);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

async function readBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  if ((request.headers['content-type'] ?? '').includes('application/json'))
    return JSON.parse(text) as Record<string, unknown>;
  const form: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    form[key] = /^[[{]/.test(value) ? safeJson(value) : value;
  }
  return form;
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** Headers Slack would send for this raw body: the v0 signature over timestamp and body. */
export function slackSignature(options: {
  secret: string;
  body: string;
  timestamp?: number;
}): Record<string, string> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', options.secret).update(`v0:${timestamp}:${options.body}`).digest('hex')}`;
  return { 'x-slack-signature': signature, 'x-slack-request-timestamp': String(timestamp) };
}
