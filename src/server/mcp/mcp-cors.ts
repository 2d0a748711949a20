import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';

/** Headers a browser-based MCP client sends on /mcp (the 2026 standard headers included). */
const allowHeaders = [
  'authorization',
  'content-type',
  'accept',
  'mcp-protocol-version',
  'mcp-method',
  'mcp-name',
  'mcp-session-id',
  'last-event-id',
];
/** Response headers a browser-based client must be able to read. */
const exposeHeaders = ['mcp-session-id', 'mcp-protocol-version', 'www-authenticate', 'retry-after'];

/**
 * CORS for /mcp, so browser-based clients (the MCP Inspector, web assistants) can call it and read
 * Mcp-Session-Id and WWW-Authenticate. Mount it after the origin guard: every Origin that reaches
 * it is one the guard allowed (ALLOWED_ORIGINS or localhost), so it echoes that Origin and keeps
 * the rule of which origins are allowed in one place. Answers the preflight (OPTIONS) with 204.
 */
export function mcpCors(): MiddlewareHandler {
  return cors({
    origin: (origin) => origin || null,
    allowMethods: ['POST', 'OPTIONS'],
    allowHeaders,
    exposeHeaders,
    maxAge: 600,
  });
}
