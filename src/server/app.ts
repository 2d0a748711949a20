import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import type { Clock } from '../directory/clock.ts';
import { DirectoryError } from '../directory/errors.ts';
import type { Via } from '../directory/principal.ts';
import type { Logger } from '../logger.ts';
import type { ToolContext, ToolDefinition } from '../tools/index.ts';
import { runTool } from '../tools/run-tool.ts';
import { type AuthEnv, bearerAuth, localCliPrincipal } from './auth.ts';
import { mountExportRoutes } from './export-routes.ts';
import { asDirectoryError, statusFor } from './http-errors.ts';
import { mcpHandler } from './mcp-route.ts';
import { RateLimiter } from './rate-limit.ts';
import { noQueryTokens, originGuard } from './security.ts';

export interface AppDeps {
  config: Config;
  db: Db;
  driver: 'pglite' | 'postgres';
  logger: Logger;
  clock: Clock;
  tools: readonly ToolDefinition[];
  /** HMAC key for stateless MCP session ids; shared by replicas through the database. */
  sessionSecret: string;
  /** Embedded database only: token of CLI commands that go through this server. */
  localToken?: string;
  /** Base URL for links in tool results (known once listening); default PUBLIC_URL, else http://localhost. */
  publicUrl?: () => string;
  /** Extra routes (Slack, exports) mounted by their own modules. */
  mount?: (
    app: Hono<AuthEnv>,
    helpers: {
      auth: ReturnType<typeof bearerAuth>;
      contextFor: (principal: AuthEnv['Variables']['principal'], via: Via) => ToolContext;
    },
  ) => void;
}

const loopback = new Set(['127.0.0.1', 'localhost', '::1']);

/** The Hono app (no listen): health, MCP over Streamable HTTP, and what `mount` adds. */
export function createApp(deps: AppDeps): Hono<AuthEnv> {
  const { config, logger } = deps;
  const app = new Hono<AuthEnv>();
  const limiter = new RateLimiter(config.RATE_LIMIT_PER_MINUTE);
  const auth = bearerAuth({
    db: deps.db,
    bootstrapToken: config.PARTNERBOOK_ADMIN_TOKEN,
    localToken: deps.localToken,
    limiter,
  });
  const contextFor = (
    principal: AuthEnv['Variables']['principal'],
    via: Via,
    clientName?: string,
  ): ToolContext => ({
    db: deps.db,
    clock: deps.clock,
    timeZone: config.TIMEZONE,
    complianceWindowDays: config.COMPLIANCE_WINDOW_DAYS,
    actor: { principal, via, clientName },
    logger,
    publicUrl: deps.publicUrl?.() ?? config.PUBLIC_URL ?? 'http://localhost',
  });

  app.use(
    '*',
    originGuard({ allowedOrigins: config.ALLOWED_ORIGINS, boundToLoopback: loopback.has(config.HOST) }),
  );
  app.use('*', noQueryTokens);

  app.get('/health', async (c) => {
    try {
      await deps.db.execute(sql`select 1`);
      return c.json({ status: 'ok', database: deps.driver });
    } catch (error) {
      logger.warn({ err: error }, 'health check failed');
      return c.json({ status: 'unavailable', database: deps.driver }, 503);
    }
  });

  const limitBody = bodyLimit({
    maxSize: config.MAX_BODY_BYTES,
    onError: (c) =>
      c.json(
        {
          jsonrpc: '2.0',
          id: null,
          error: { code: -32600, message: `Request body over ${config.MAX_BODY_BYTES} bytes.` },
        },
        413,
      ),
  });
  app.post(
    '/mcp',
    limitBody,
    auth,
    mcpHandler({
      tools: deps.tools,
      sessionSecret: deps.sessionSecret,
      contextFor: (c, clientName) => contextFor(c.get('principal'), 'mcp', clientName),
    }),
  );
  // Stateless server: no SSE stream to open and no session to delete.
  app.on(['GET', 'DELETE', 'PUT', 'PATCH'], '/mcp', (c) => {
    c.header('Allow', 'POST');
    return c.json(
      {
        jsonrpc: '2.0',
        id: null,
        error: { code: -32000, message: 'Method not allowed: this MCP server is stateless; use POST.' },
      },
      405,
    );
  });

  // The same tools as plain JSON over HTTP, for scripts and for CLI commands run beside an embedded server.
  app.post('/api/tools/:name', limitBody, auth, async (c) => {
    const tool = deps.tools.find((candidate) => candidate.name === c.req.param('name'));
    if (!tool)
      return c.json(
        {
          error: 'not_found',
          message: `No tool ${c.req.param('name')}.`,
          allowed: deps.tools.map((t) => t.name),
        },
        404,
      );
    let args: unknown;
    try {
      const text = await c.req.text();
      args = text.trim() ? JSON.parse(text) : {};
    } catch {
      return c.json({ error: 'validation', message: 'The body is not valid JSON.' }, 400);
    }
    const principal = c.get('principal');
    const result = await runTool(
      tool,
      args,
      contextFor(principal, principal.id === localCliPrincipal.id ? 'cli' : 'http'),
    );
    if (result.isError) return c.json({ ...result.error, text: result.text }, statusFor[result.error.error]);
    return c.json({ structured: result.structured, text: result.text, links: result.links ?? [] });
  });

  mountExportRoutes(app, {
    auth,
    contextFor: (principal, via) => contextFor(principal, via),
    db: deps.db,
    clock: deps.clock,
  });

  deps.mount?.(app, { auth, contextFor: (principal, via) => contextFor(principal, via) });

  app.notFound((c) =>
    c.json(
      { error: 'not_found', message: `No route for ${c.req.method} ${new URL(c.req.url).pathname}.` },
      404,
    ),
  );
  app.onError((error, c) => {
    const directoryError = asDirectoryError(error);
    if (!(error instanceof DirectoryError) || directoryError.code === 'internal')
      logger.error({ err: error }, 'request failed');
    return c.json(directoryError.toJSON(), statusFor[directoryError.code]);
  });
  return app;
}
