import { type AuthInfo, createMcpHandler, ProtocolErrorCode } from '@modelcontextprotocol/server';
import type { Context } from 'hono';
import type { ToolContext, ToolDefinition } from '../../tools/index.ts';
import type { AuthEnv } from '../auth.ts';
import { jsonRpcErrorResponse } from '../http-errors.ts';
import { createMcpServer, invalidParams } from './mcp-server.ts';
import { readSession, signSession } from './mcp-session.ts';

const invalid = (c: Context, rpcCode: number, message: string) =>
  jsonRpcErrorResponse(c, { status: 'invalid_request', rpcCode, message });

/** What the SDK's per-request factory needs to build this request's server, carried in authInfo. */
type RequestServer = { build: () => ReturnType<typeof createMcpServer> };

/**
 * POST /mcp, stateless on both protocol eras: the SDK's handler answers 2026-07-28 requests (per-request
 * `_meta` envelope, server/discover, standard-header rules, unsupported-version errors) and the 2025
 * initialize handshake from the same factory, which builds a new server for every request.
 * Batches are refused (removed from the protocol in 2025-06-18). On the 2025 era the client's name
 * from initialize travels in a signed Mcp-Session-Id, so writes can name the client in the audit log;
 * on 2026 it comes with every request.
 */
export function mcpHandler(options: {
  tools: readonly ToolDefinition[];
  sessionSecret: string;
  contextFor: (c: Context<AuthEnv>, clientName: string | undefined) => ToolContext;
}) {
  const handler = createMcpHandler(({ authInfo }) => {
    const requestServer = authInfo?.extra as RequestServer | undefined;
    if (!requestServer) throw new Error('An MCP request reached the SDK without its server.');
    return requestServer.build();
  });
  return async (c: Context<AuthEnv>) => {
    let body: unknown;
    try {
      body = JSON.parse(await c.req.text());
    } catch {
      return invalid(c, -32700, 'Parse error: the body is not valid JSON.');
    }
    if (Array.isArray(body)) {
      return invalid(
        c,
        -32600,
        'JSON-RPC batches are not supported (removed in MCP 2025-06-18); send one message per request.',
      );
    }
    if (!body || typeof body !== 'object' || (body as { jsonrpc?: unknown }).jsonrpc !== '2.0') {
      return invalid(c, -32600, 'Invalid Request: expected a JSON-RPC 2.0 message.');
    }
    const { id, method, result, error } = body as {
      id?: unknown;
      method?: unknown;
      result?: unknown;
      error?: unknown;
    };
    if (typeof method !== 'string' && result === undefined && error === undefined) {
      return invalid(c, -32600, 'Invalid Request: a JSON-RPC request needs a "method" such as "tools/call".');
    }
    const problem = id !== undefined ? invalidParams(body) : undefined;
    if (problem)
      return c.json({
        jsonrpc: '2.0',
        id,
        error: { code: ProtocolErrorCode.InvalidParams, message: problem },
      });

    const principal = c.get('principal');
    const message = body as { method?: string; params?: { clientInfo?: { name?: string } } };
    const initializing = message.method === 'initialize';
    const clientName = initializing
      ? message.params?.clientInfo?.name
      : readSession({
          secret: options.sessionSecret,
          principalId: principal.id,
          sessionId: c.req.header('mcp-session-id'),
        });
    const requestServer: RequestServer = {
      build: () =>
        createMcpServer({
          tools: options.tools,
          principalRole: principal.role,
          clientName,
          contextFor: (name) => options.contextFor(c, name),
        }),
    };
    const authInfo: AuthInfo = { token: '', clientId: principal.id, scopes: [], extra: requestServer };
    const response = await handler.fetch(c.req.raw, { authInfo, parsedBody: body });
    if (!initializing || !clientName || response.status !== 200) return response;
    const headers = new Headers(response.headers);
    headers.set(
      'mcp-session-id',
      signSession({ secret: options.sessionSecret, principalId: principal.id, clientName }),
    );
    return new Response(response.body, { status: response.status, headers });
  };
}
