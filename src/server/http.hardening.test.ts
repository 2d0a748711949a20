import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { serve } from '@hono/node-server';
import { eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextFor, customerInput } from '../../test/context.ts';
import { openTestDatabase } from '../../test/database.ts';
import { FakeSlack } from '../../test/fake-slack.ts';
import { ADMIN_TOKEN, mcpClient, testApp } from '../../test/server.ts';
import { composeServer } from '../app/compose.ts';
import { createLogger } from '../app/logger.ts';
import { loadConfig } from '../config.ts';
import type { Database } from '../db/client.ts';
import { principals } from '../db/schema/index.ts';
import { createToken } from '../directory/access/principals.ts';
import { fixedClock } from '../directory/activity/clock.ts';
import { createPartnerInput } from '../directory/partners/partner-schema.ts';
import { createPartner } from '../directory/partners/partner-write.ts';
import { limitConnectionsPerAddress, nodeServerOptions } from './node-server.ts';

let database: Database;
let app: ReturnType<typeof testApp>;
beforeAll(async () => {
  database = await openTestDatabase();
  app = testApp(database, { env: { MAX_BODY_BYTES: '4096' } });
});
afterAll(async () => {
  await database?.close();
});

const mcpHeaders = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  authorization: `Bearer ${ADMIN_TOKEN}`,
};
const rpc = (body: unknown) =>
  app.request('/mcp', { method: 'POST', headers: mcpHeaders, body: JSON.stringify(body) });
const big = JSON.stringify({ question: 'x'.repeat(10_000) });

describe('body limits, each in its route’s own error shape', () => {
  it('answers an oversized /api/ask with 413 in the REST shape', async () => {
    const response = await app.request('/api/ask', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
      body: big,
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: 'payload_too_large', message: /4096 bytes/ });
  });

  it('answers an oversized /api/tools call with 413 in the REST shape, not JSON-RPC', async () => {
    const response = await app.request('/api/tools/search_partners', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
      body: big,
    });
    expect(response.status).toBe(413);
    const body = (await response.json()) as { error?: string; jsonrpc?: string };
    expect(body.error).toBe('payload_too_large');
    expect(body.jsonrpc).toBeUndefined();
  });

  it('answers an oversized /mcp body with 413 in the JSON-RPC shape', async () => {
    const response = await app.request('/mcp', { method: 'POST', headers: mcpHeaders, body: big });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32600 } });
  });

  it('answers an oversized /slack/events body with 413 before reading it, not 500', async () => {
    const slack = new FakeSlack();
    await slack.start();
    const composed = await composeServer({
      config: loadConfig({
        LOG_LEVEL: 'silent',
        MAX_BODY_BYTES: '4096',
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_SIGNING_SECRET: 'secret',
        SLACK_API_URL: `${slack.url}/api/`,
      }),
      database,
      logger: createLogger('silent'),
      clock: fixedClock('2026-11-30T12:00:00Z'),
      publicUrl: () => 'http://localhost:3000',
      jobs: false,
    });
    try {
      const response = await composed.app.request('/slack/events', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: big,
      });
      expect(response.status).toBe(413);
      expect(await response.json()).toMatchObject({ error: 'payload_too_large' });
    } finally {
      await composed.stop();
      await slack.stop();
    }
  });
});

describe('MCP input abuse', () => {
  it.each([
    ['a list', []],
    ['a string', 'x'],
    ['null', null],
  ])('answers tools/call with arguments as %s with -32602 and a sentence', async (_what, args) => {
    const response = await rpc({
      jsonrpc: '2.0',
      id: 7,
      method: 'tools/call',
      params: { name: 'search_partners', arguments: args },
    });
    const body = (await response.json()) as { id: number; error: { code: number; message: string } };
    expect(body.id).toBe(7);
    expect(body.error.code).toBe(-32602);
    expect(body.error.message).toMatch(/^params\.arguments must be a JSON object/);
    expect(body.error.message).not.toMatch(/"code":|expected/);
  });

  it('answers a message without a method with -32600', async () => {
    const response = await rpc({ jsonrpc: '2.0', id: 1, params: {} });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: number } }).error.code).toBe(-32600);
  });

  it('refuses NUL in search text and codes as field errors, through the official client', async () => {
    const client = await mcpClient(app, ADMIN_TOKEN);
    await client.listTools();
    for (const [name, args, field] of [
      ['search_partners', { query: 'ac\u0000me' }, 'query'],
      ['get_partner', { code: 'CUS-\u0000001' }, 'code'],
    ] as const) {
      const result = await client.callTool({ name, arguments: args });
      expect(result.isError).toBe(true);
      const text = (result.content as { text: string }[])[0]!.text;
      expect(text).toContain(field);
      expect(text).toMatch(/control character/);
      expect(text).not.toMatch(/Something went wrong/);
    }
    await client.close();
  });

  it('refuses a client name with a NUL at initialize, so no session carries it', async () => {
    const response = await rpc({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 'evil\u0000client', version: '1' },
      },
    });
    const body = (await response.json()) as { error: { code: number; message: string } };
    expect(body.error.code).toBe(-32602);
    expect(body.error.message).toMatch(/clientInfo\.name/);
    expect(response.headers.get('mcp-session-id')).toBeNull();
    await expect(mcpClient(app, ADMIN_TOKEN, 'evil\u0000client')).rejects.toThrow(/clientInfo\.name/);
  });
});

describe('failed authentication is throttled per address', () => {
  it('answers 429 with Retry-After after repeated bad tokens, while other addresses go on', async () => {
    const throttled = testApp(database, { env: { AUTH_FAILURES_PER_MINUTE: '5', TRUST_PROXY: 'true' } });
    const attempt = (token: string, address: string) =>
      throttled.request('/mcp', {
        method: 'POST',
        headers: { ...mcpHeaders, authorization: `Bearer ${token}`, 'x-forwarded-for': address },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
      });
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await attempt(`pb_wrong_${i}`, '203.0.113.9')).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    const refused = await attempt(ADMIN_TOKEN, '203.0.113.9');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await attempt('pb_wrong', '198.51.100.7')).status).toBe(401);
    expect((await attempt(ADMIN_TOKEN, '198.51.100.7')).status).toBe(200);
  });
});

describe('downloads are authorized before the response starts', () => {
  it('answers 403 to a history link whose admin was demoted, never a 200 that breaks off', async () => {
    const ctx = contextFor(database);
    const { token } = await createToken(ctx, { name: 'soon-demoted', role: 'admin' });
    await createPartner(ctx, createPartnerInput.parse(customerInput()));
    const made = await app.request('/api/tools/export_history', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: '{}',
    });
    expect(made.status).toBe(200);
    const { structured } = (await made.json()) as { structured: { url: string } };
    const path = new URL(structured.url).pathname;
    const download = () => app.request(path, { headers: { authorization: `Bearer ${token}` } });
    expect((await download()).status).toBe(200);
    await database.db.update(principals).set({ role: 'viewer' }).where(eq(principals.name, 'soon-demoted'));
    const refused = await download();
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-disposition')).toBeNull();
    expect(await refused.json()).toMatchObject({ error: 'forbidden' });
  });
});

describe('slow and greedy clients on the Node server', () => {
  async function listening(env: Record<string, string>) {
    const config = loadConfig({ LOG_LEVEL: 'silent', ...env });
    const hono = new Hono();
    hono.post('/echo', async (c) => c.text(String((await c.req.text()).length)));
    hono.onError((_error, c) => c.text('aborted', 400)); // the cut-off body rejects c.req.text()
    const server = serve({
      fetch: hono.fetch,
      port: 0,
      hostname: '127.0.0.1',
      serverOptions: nodeServerOptions(config),
    });
    limitConnectionsPerAddress(server, config.MAX_CONNECTIONS_PER_ADDRESS);
    await once(server, 'listening');
    const address = server.address();
    return { server, port: typeof address === 'object' && address ? address.port : 0 };
  }
  const closed = (socket: Socket) => new Promise<void>((resolve) => socket.once('close', () => resolve()));

  it('cuts off a body that trickles in slower than REQUEST_TIMEOUT_MS allows', async () => {
    const { server, port } = await listening({ REQUEST_TIMEOUT_MS: '2000', HEADERS_TIMEOUT_MS: '1500' });
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    socket.on('error', () => {});
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk.toString();
    });
    socket.write('POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000\r\n\r\n');
    const started = Date.now();
    const trickle = setInterval(() => socket.writable && socket.write('x'), 250);
    await closed(socket);
    clearInterval(trickle);
    // 1000 bytes at 4 bytes/s would take 250 s; the server hangs up long before.
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(received).toMatch(/^HTTP\/1\.1 408/);
    server.close();
  });

  it('closes connections over MAX_CONNECTIONS_PER_ADDRESS from one address and keeps the others', async () => {
    const { server, port } = await listening({ MAX_CONNECTIONS_PER_ADDRESS: '3' });
    const sockets = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const socket = connect(port, '127.0.0.1');
        socket.on('error', () => {});
        await once(socket, 'connect');
        return socket;
      }),
    );
    const states = sockets.map((socket) => {
      let isClosed = false;
      socket.once('close', () => {
        isClosed = true;
      });
      return () => isClosed;
    });
    await Promise.race(sockets.map(closed));
    expect(states.filter((isClosed) => isClosed())).toHaveLength(1);
    const kept = sockets.find((_socket, index) => !states[index]!());
    kept!.write('POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok');
    let answer = '';
    kept!.on('data', (chunk) => {
      answer += chunk.toString();
    });
    await closed(kept!);
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
    for (const socket of sockets) socket.destroy();
    server.close();
  });
});
