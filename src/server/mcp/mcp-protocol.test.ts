import { desc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../test/database.ts';
import { ADMIN_TOKEN, roleTokens, testApp } from '../../../test/server.ts';
import type { Database } from '../../db/client.ts';
import { auditEvents } from '../../db/schema/index.ts';
import { tools } from '../../tools/index.ts';

let database: Database;
let app: ReturnType<typeof testApp>;
let tokens: Awaited<ReturnType<typeof roleTokens>>;
beforeAll(async () => {
  database = await openTestDatabase();
  app = testApp(database);
  tokens = await roleTokens(database);
});
afterAll(async () => {
  await database?.close();
});

const MODERN = '2026-07-28';
const baseHeaders = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  authorization: `Bearer ${ADMIN_TOKEN}`,
};
const envelope = (clientName = 'raw-2026', version = MODERN) => ({
  'io.modelcontextprotocol/protocolVersion': version,
  'io.modelcontextprotocol/clientInfo': { name: clientName, version: '1.0.0' },
  'io.modelcontextprotocol/clientCapabilities': {},
});

/** A hand-built 2026-07-28 request: the `_meta` envelope plus the standard headers, any of which a test may override. */
function modern(
  method: string,
  params: Record<string, unknown> = {},
  options: { headers?: Record<string, string | undefined>; meta?: Record<string, unknown> } = {},
) {
  const name = typeof params.name === 'string' ? params.name : undefined;
  const headers: Record<string, string> = {
    ...baseHeaders,
    'mcp-protocol-version': MODERN,
    'mcp-method': method,
    ...(name ? { 'mcp-name': name } : {}),
  };
  for (const [key, value] of Object.entries(options.headers ?? {})) {
    if (value === undefined) delete headers[key];
    else headers[key] = value;
  }
  return app.request('/mcp', {
    method: 'POST',
    headers,
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 7,
      method,
      params: { ...params, _meta: options.meta ?? envelope() },
    }),
  });
}

type RpcBody = {
  result?: Record<string, unknown>;
  error?: { code: number; message: string; data?: unknown };
};
const rpcBody = async (response: Response): Promise<RpcBody> => {
  const text = await response.text();
  // A 2025-era request is answered as one SSE event; a 2026 one as plain JSON.
  const data = text.startsWith('{')
    ? text
    : text
        .split('\n')
        .find((line) => line.startsWith('data: '))
        ?.slice(6);
  return JSON.parse(data ?? 'null') as RpcBody;
};

describe('MCP 2026-07-28 over HTTP, without a handshake', () => {
  it('answers server/discover with the supported versions and the server identity', async () => {
    const response = await modern('server/discover');
    expect(response.status).toBe(200);
    const { result } = await rpcBody(response);
    expect(result?.supportedVersions).toContain(MODERN);
    expect(JSON.stringify(result)).toContain('partnerbook');
    expect(result?.capabilities).toMatchObject({ tools: {} });
  });

  it('lists tools with resultType, ttlMs and cacheScope, in the registry order every time', async () => {
    const first = (await rpcBody(await modern('tools/list'))).result!;
    expect(first).toMatchObject({ resultType: 'complete', ttlMs: expect.any(Number), cacheScope: 'private' });
    const names = (first.tools as { name: string }[]).map((t) => t.name);
    expect(names).toEqual(tools.map((t) => t.name));
    const second = (await rpcBody(await modern('tools/list'))).result!;
    expect((second.tools as { name: string }[]).map((t) => t.name)).toEqual(names);
  });

  it('lists only what the role allows', async () => {
    const response = await modern(
      'tools/list',
      {},
      { headers: { authorization: `Bearer ${tokens.viewer}` } },
    );
    const names = ((await rpcBody(response)).result!.tools as { name: string }[]).map((t) => t.name);
    expect(names).toContain('search_partners');
    expect(names).not.toContain('create_partner');
  });

  it('names the client from _meta in the audit event of a write', async () => {
    const response = await modern(
      'tools/call',
      {
        name: 'create_partner',
        arguments: {
          kind: 'customer',
          firstName: 'Raw',
          email: 'raw2026@example.com',
          totalSales: 0,
          termsAccepted: true,
        },
      },
      { meta: envelope('raw-client-2026') },
    );
    const { result } = await rpcBody(response);
    expect(result).toMatchObject({ resultType: 'complete' });
    expect(result?.isError).toBeFalsy();
    const [event] = await database.db.select().from(auditEvents).orderBy(desc(auditEvents.id)).limit(1);
    expect(event).toMatchObject({
      action: 'create',
      actorName: 'bootstrap admin',
      via: 'mcp',
      clientName: 'raw-client-2026',
    });
  });

  it('refuses an unsupported version with the error that lists the supported ones', async () => {
    const response = await modern(
      'tools/list',
      {},
      {
        meta: envelope('raw', '2099-01-01'),
        headers: { 'mcp-protocol-version': '2099-01-01' },
      },
    );
    expect(response.status).toBe(400);
    const { error } = await rpcBody(response);
    expect(error).toMatchObject({ code: -32022, data: { supported: expect.arrayContaining([MODERN]) } });
  });

  it.each([
    ['a missing Mcp-Method', { 'mcp-method': undefined }],
    ['an Mcp-Method that disagrees with the body', { 'mcp-method': 'tools/list' }],
    ['a missing Mcp-Name', { 'mcp-name': undefined }],
    ['an Mcp-Name that disagrees with the body', { 'mcp-name': 'remove_partner' }],
    ['a missing MCP-Protocol-Version', { 'mcp-protocol-version': undefined }],
  ])('refuses %s with 400 and -32020, running nothing', async (_label, headers) => {
    const before = (await database.db.select().from(auditEvents)).length;
    const response = await modern(
      'tools/call',
      { name: 'search_partners', arguments: {} },
      { headers: headers as Record<string, string | undefined> },
    );
    expect(response.status).toBe(400);
    expect((await rpcBody(response)).error?.code).toBe(-32020);
    expect((await database.db.select().from(auditEvents)).length).toBe(before);
  });

  it('refuses a client name with a NUL in _meta with -32602 and a sentence', async () => {
    const response = await modern('tools/list', {}, { meta: envelope('evil\u0000client') });
    const { error } = await rpcBody(response);
    expect(error?.code).toBe(-32602);
    expect(error?.message).toMatch(/clientInfo.*control character/);
  });

  it('keeps the HTTP rules: no token 401, batches refused', async () => {
    const unauthenticated = await app.request('/mcp', {
      method: 'POST',
      headers: {
        ...baseHeaders,
        authorization: '',
        'mcp-protocol-version': MODERN,
        'mcp-method': 'tools/list',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: envelope() } }),
    });
    expect(unauthenticated.status).toBe(401);
    const batch = await app.request('/mcp', {
      method: 'POST',
      headers: { ...baseHeaders, 'mcp-protocol-version': MODERN, 'mcp-method': 'tools/list' },
      body: JSON.stringify([{ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: envelope() } }]),
    });
    expect(batch.status).toBe(400);
  });
});

describe('MCP 2025 handshake over HTTP', () => {
  it.each(['2025-11-25', '2025-06-18', '2025-03-26'])(
    'answers initialize on %s in its own terms',
    async (version) => {
      const response = await app.request('/mcp', {
        method: 'POST',
        headers: baseHeaders,
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'initialize',
          params: {
            protocolVersion: version,
            capabilities: {},
            clientInfo: { name: 'old-client', version: '1' },
          },
        }),
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('mcp-session-id')).toBeTruthy();
      const { result } = await rpcBody(response);
      expect(result).toMatchObject({ protocolVersion: version, serverInfo: { name: 'partnerbook' } });
      expect(result).not.toHaveProperty('resultType');
    },
  );
});

describe('MCP CORS for browser-based clients', () => {
  const origin = 'https://claude.ai';
  const listed = () => testApp(database, { env: { ALLOWED_ORIGINS: origin } });

  it('answers the preflight from an allowed origin with 204 and the MCP headers', async () => {
    const response = await listed().request('/mcp', {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type, mcp-protocol-version',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(origin);
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    expect(response.headers.get('access-control-allow-headers')).toMatch(
      /authorization.*mcp-protocol-version.*mcp-method.*mcp-name/,
    );
  });

  it('lets the browser read Mcp-Session-Id and WWW-Authenticate', async () => {
    const app = listed();
    const initialized = await app.request('/mcp', {
      method: 'POST',
      headers: { ...baseHeaders, origin },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-11-25',
          capabilities: {},
          clientInfo: { name: 'web', version: '1' },
        },
      }),
    });
    expect(initialized.status).toBe(200);
    expect(initialized.headers.get('access-control-allow-origin')).toBe(origin);
    expect(initialized.headers.get('access-control-expose-headers')).toMatch(/mcp-session-id/i);
    expect(initialized.headers.get('mcp-session-id')).toBeTruthy();
    const refused = await app.request('/mcp', {
      method: 'POST',
      headers: { ...baseHeaders, authorization: 'Bearer wrong', origin },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBe(origin);
    expect(refused.headers.get('access-control-expose-headers')).toMatch(/www-authenticate/i);
  });

  it('refuses the preflight from a foreign origin with 403 and no CORS grant', async () => {
    const response = await listed().request('/mcp', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});
