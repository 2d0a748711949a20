import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type { Context } from 'hono';
import type { ToolContext, ToolDefinition } from '../../tools/index.ts';
import type { AuthEnv } from '../auth.ts';
import { jsonRpcErrorResponse } from '../http-errors.ts';
import { createMcpServer, invalidParams } from './mcp-server.ts';
import { readSession, signSession } from './mcp-session.ts';

const invalid = (c: Context, rpcCode: number, message: string) =>
  jsonRpcErrorResponse(c, { status: 'invalid_request', rpcCode, message });

/**
 * POST /mcp, stateless: a new MCP server and transport per request (no session affinity).
 * Batches are refused (removed from the protocol in 2025-06-18). The client's name from
 * initialize travels in a signed Mcp-Session-Id, so writes can name the client in the audit log.
 */
export function mcpHandler(options: {
  tools: readonly ToolDefinition[];
  sessionSecret: string;
  contextFor: (c: Context<AuthEnv>, clientName: string | undefined) => ToolContext;
}) {
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
    const { method, result, error } = body as { method?: unknown; result?: unknown; error?: unknown };
    if (typeof method !== 'string' && result === undefined && error === undefined) {
      return invalid(c, -32600, 'Invalid Request: a JSON-RPC request needs a "method" such as "tools/call".');
    }
    const principal = c.get('principal');
    const message = body as { method?: string; params?: { clientInfo?: { name?: string } } };
    const initializing = message.method === 'initialize';
    const clientName = initializing
      ? invalidParams(body)
        ? undefined
        : message.params?.clientInfo?.name
      : readSession({
          secret: options.sessionSecret,
          principalId: principal.id,
          sessionId: c.req.header('mcp-session-id'),
        });
    const server = createMcpServer({
      tools: options.tools,
      principalRole: principal.role,
      clientName,
      contextFor: (name) => options.contextFor(c, name),
    });
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    await server.connect(transport);
    try {
      const response = await transport.handleRequest(c.req.raw, { parsedBody: body });
      if (!initializing || !clientName || response.status !== 200) return response;
      const headers = new Headers(response.headers);
      headers.set(
        'mcp-session-id',
        signSession({ secret: options.sessionSecret, principalId: principal.id, clientName }),
      );
      return new Response(response.body, { status: response.status, headers });
    } finally {
      await transport.close();
      await server.close();
    }
  };
}
