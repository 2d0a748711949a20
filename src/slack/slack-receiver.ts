import { type App, type Receiver, type ReceiverEvent, verifySlackRequest } from '@slack/bolt';
import type { Context } from 'hono';
import type { Logger } from '../app/logger.ts';

/** Slack's own retry comes after 3 s without an answer; we answer well before. */
const ACK_DEADLINE_MS = 2500;
const MAX_SKEW_SECONDS = 5 * 60;

/**
 * Bolt receiver for POST /slack/events on the Hono server. It verifies the signature over the
 * raw body (v0 HMAC; stale or future timestamps refused), answers ssl_check and
 * url_verification itself, hands everything else to Bolt, and responds as soon as Bolt acks
 * (or at the deadline): slow work continues after the response.
 */
export class HonoSlackReceiver implements Receiver {
  private app: App | undefined;

  constructor(private readonly options: { signingSecret: string; logger: Logger; now?: () => number }) {}

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  /** The Hono handler. */
  handle = async (c: Context): Promise<Response> => {
    const raw = await c.req.text();
    const signature = c.req.header('x-slack-signature');
    const timestampHeader = c.req.header('x-slack-request-timestamp');
    const timestamp = Number(timestampHeader);
    const nowMs = this.options.now?.() ?? Date.now();
    if (
      !signature ||
      !timestampHeader ||
      !Number.isFinite(timestamp) ||
      Math.abs(nowMs / 1000 - timestamp) > MAX_SKEW_SECONDS
    ) {
      return c.json(
        { error: 'invalid_request', message: 'Missing, stale or future Slack signature headers.' },
        401,
      );
    }
    try {
      verifySlackRequest({
        signingSecret: this.options.signingSecret,
        body: raw,
        headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
        nowMilliseconds: nowMs,
      });
    } catch {
      return c.json({ error: 'invalid_signature', message: 'The Slack signature does not match.' }, 401);
    }

    let body: Record<string, unknown>;
    try {
      body = parseBody(raw, c.req.header('content-type') ?? '');
    } catch {
      return c.json({ error: 'invalid_request', message: 'The body could not be read.' }, 400);
    }
    if (body.ssl_check) return c.body(null, 200);
    if (body.type === 'url_verification') return c.json({ challenge: body.challenge });
    if (!this.app) return c.json({ error: 'unavailable', message: 'The Slack bot is not ready.' }, 503);

    let settle: (response: Response) => void = () => {};
    const responded = new Promise<Response>((resolve) => {
      settle = resolve;
    });
    let acked = false;
    const event: ReceiverEvent = {
      body,
      retryNum: Number(c.req.header('x-slack-retry-num')) || undefined,
      retryReason: c.req.header('x-slack-retry-reason'),
      ack: async (response?: unknown) => {
        if (acked) return;
        acked = true;
        if (response === undefined || response === '') settle(new Response(null, { status: 200 }));
        else if (typeof response === 'string') settle(new Response(response, { status: 200 }));
        else settle(Response.json(response));
      },
    };
    const timer = setTimeout(() => event.ack(), ACK_DEADLINE_MS);
    this.app
      .processEvent(event)
      .catch((error) => this.options.logger.error({ err: error }, 'Slack event failed'));
    const response = await responded;
    clearTimeout(timer);
    return response;
  };
}

/** Events come as JSON; slash commands and interactivity as a form (interactivity in `payload`). */
function parseBody(raw: string, contentType: string): Record<string, unknown> {
  if (contentType.includes('application/x-www-form-urlencoded')) {
    const form = Object.fromEntries(new URLSearchParams(raw));
    return typeof form.payload === 'string' ? (JSON.parse(form.payload) as Record<string, unknown>) : form;
  }
  return JSON.parse(raw) as Record<string, unknown>;
}
