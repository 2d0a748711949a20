import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../test/database.ts';
import { ADMIN_TOKEN, roleTokens, testApp } from '../../test/server.ts';
import type { Database } from '../db/client.ts';

let database: Database;
let app: ReturnType<typeof testApp>;
beforeAll(async () => {
  database = await openTestDatabase();
  app = testApp(database);
});
afterAll(async () => {
  await database?.close();
});

const listTools = { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} };
const mcpHeaders = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const post = (body: unknown, headers: Record<string, string> = {}, target = app, path = '/mcp') =>
  target.request(path, {
    method: 'POST',
    headers: { ...mcpHeaders, authorization: `Bearer ${ADMIN_TOKEN}`, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('MCP HTTP authentication', () => {
  it.each([
    ['missing', {}],
    ['empty', { authorization: 'Bearer ' }],
    ['basic', { authorization: 'Basic dXNlcjpwYXNz' }],
    ['garbled', { authorization: 'Bearer not-a-token' }],
    ['revoked-looking', { authorization: 'Bearer pb_0000000000000000000000000000000000000000000' }],
  ])('answers a %s bearer with 401 and WWW-Authenticate, never a tool list', async (_label, headers) => {
    const response = await app.request('/mcp', {
      method: 'POST',
      headers: { ...mcpHeaders, ...headers },
      body: JSON.stringify(listTools),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(await response.text()).not.toMatch(/search_partners/);
  });

  it('refuses a token in the query string', async () => {
    const response = await app.request(`/mcp?access_token=${ADMIN_TOKEN}`, {
      method: 'POST',
      headers: mcpHeaders,
      body: JSON.stringify(listTools),
    });
    expect(response.status).toBe(400);
  });

  it('takes a revoked token away on the next request', async () => {
    const { createToken, revokeToken } = await import('../directory/access/principals.ts');
    const { contextFor } = await import('../../test/context.ts');
    const ctx = contextFor(database);
    const { token } = await createToken(ctx, { name: 'short-lived', role: 'viewer' });
    expect((await post(listTools, { authorization: `Bearer ${token}` })).status).toBe(200);
    await revokeToken(ctx, 'short-lived');
    expect((await post(listTools, { authorization: `Bearer ${token}` })).status).toBe(401);
  });
});

describe('MCP HTTP transport rules', () => {
  it('refuses a foreign Origin with 403 and accepts a listed or local one', async () => {
    expect((await post(listTools, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await post(listTools, { origin: 'http://localhost:6274' })).status).toBe(200);
    const listed = testApp(database, { env: { ALLOWED_ORIGINS: 'https://claude.ai' } });
    expect((await post(listTools, { origin: 'https://claude.ai' }, listed)).status).toBe(200);
  });

  it('refuses a Host that is not localhost when bound to loopback', async () => {
    expect((await post(listTools, { host: 'attacker.example' })).status).toBe(403);
  });

  it('refuses a body over the limit with 413 before parsing', async () => {
    const small = testApp(database, { env: { MAX_BODY_BYTES: '2048' } });
    const response = await post({ ...listTools, params: { padding: 'x'.repeat(10_000) } }, {}, small);
    expect(response.status).toBe(413);
  });

  it.each([
    ['malformed JSON', '{"jsonrpc": "2.0", ', 400],
    ['a batch', JSON.stringify([listTools, { ...listTools, id: 2 }]), 400],
    ['JSON-RPC 1.0', JSON.stringify({ id: 1, method: 'tools/list' }), 400],
    ['deep nesting', `${'['.repeat(100_000)}${']'.repeat(100_000)}`, 400],
  ])('answers %s with a 4xx and keeps serving', async (_label, body, status) => {
    const response = await post(body);
    expect(response.status).toBe(status);
    expect((await post(listTools)).status).toBe(200);
  });

  it('answers wrong Accept with 406 and wrong Content-Type with 415', async () => {
    expect((await post(listTools, { accept: 'text/html' })).status).toBe(406);
    expect((await post(listTools, { 'content-type': 'text/plain' })).status).toBe(415);
  });

  it('answers GET and DELETE with 405 and Allow: POST', async () => {
    for (const method of ['GET', 'DELETE']) {
      const response = await app.request('/mcp', {
        method,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('POST');
    }
  });

  it('limits each principal with 429 and Retry-After', async () => {
    const limited = testApp(database, { env: { RATE_LIMIT_PER_MINUTE: '3' } });
    const tokens = await roleTokens(database);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await post(listTools, { authorization: `Bearer ${tokens.viewer}` }, limited)).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const response = await post(listTools, { authorization: `Bearer ${tokens.viewer}` }, limited);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // another principal is not affected
    expect((await post(listTools, { authorization: `Bearer ${tokens.editor}` }, limited)).status).toBe(200);
  });
});

describe('health', () => {
  it('reports the database', async () => {
    const response = await app.request('/health');
    expect(await response.json()).toMatchObject({ status: 'ok' });
  });
});
