import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import type { Logger } from '../app/logger.ts';
import { createToolContext } from '../app/tool-context.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import type { Via } from '../directory/access/principal.ts';
import type { Clock } from '../directory/activity/clock.ts';
import { DirectoryError } from '../directory/errors.ts';
import { pingDatabase } from '../directory/health.ts';
import type { JobSender } from '../directory/jobs/job-queue.ts';
import { runTool, type ToolContext, type ToolDefinition } from '../tools/index.ts';
import { type AuthEnv, bearerAuth, localCliPrincipal } from './auth.ts';
import {
  asDirectoryError,
  codeOfHttpException,
  errorResponse,
  jsonRpcErrorResponse,
  statusFor,
} from './http-errors.ts';
import { mcpCors } from './mcp/mcp-cors.ts';
import { mcpHandler } from './mcp/mcp-route.ts';
import { RateLimiter } from './rate-limit.ts';
import { mountExportRoutes } from './routes/export-routes.ts';
import { mountImportRoutes } from './routes/import-routes.ts';
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
  /** Base URL for links in tool results (known once listening); default PUBLIC_URL, else HOST:PORT. */
  publicUrl?: () => string;
  /** The background job queue, when the server runs one; tools enqueue through it. */
  jobs?: JobSender;
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
    failures: new RateLimiter(config.AUTH_FAILURES_PER_MINUTE),
    trustProxy: config.TRUST_PROXY,
  });
  const contextFor = (
    principal: AuthEnv['Variables']['principal'],
    via: Via,
    clientName?: string,
  ): ToolContext => createToolContext(deps, { principal, via, clientName });

  app.use(
    '*',
    originGuard({ allowedOrigins: config.ALLOWED_ORIGINS, boundToLoopback: loopback.has(config.HOST) }),
  );
  app.use('*', noQueryTokens);
  app.use('/mcp', mcpCors());

  app.get('/health', async (c) => {
    try {
      await pingDatabase(deps.db);
      return c.json({ status: 'ok', database: deps.driver });
    } catch (error) {
      logger.warn({ err: error }, 'health check failed');
      return c.json({ status: 'unavailable', database: deps.driver }, 503);
    }
  });

  // Every body is limited before it is read, in the error shape of the route that reads it.
  const mcpBodyLimit = bodyLimit({
    maxSize: config.MAX_BODY_BYTES,
    onError: (c) =>
      jsonRpcErrorResponse(c, {
        status: 'payload_too_large',
        rpcCode: -32600,
        message: `Request body over ${config.MAX_BODY_BYTES} bytes.`,
      }),
  });
  const restBodyLimit = bodyLimit({
    maxSize: config.MAX_BODY_BYTES,
    onError: (c) =>
      errorResponse(
        c,
        'payload_too_large',
        `The request body is over the limit of ${config.MAX_BODY_BYTES} bytes (MAX_BODY_BYTES).`,
      ),
  });
  // File uploads (POST /api/imports) have their own, larger limit, checked by their route.
  app.use('*', (c, next) =>
    c.req.path === '/mcp'
      ? mcpBodyLimit(c, next)
      : c.req.path === '/api/imports' && c.req.method === 'POST'
        ? next()
        : restBodyLimit(c, next),
  );

  app.post(
    '/mcp',
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
    return jsonRpcErrorResponse(c, {
      status: 'method_not_allowed',
      rpcCode: -32000,
      message: 'Method not allowed: this MCP server is stateless; use POST.',
    });
  });

  // The same tools as plain JSON over HTTP, for scripts and for CLI commands run beside an embedded server.
  app.post('/api/tools/:name', auth, async (c) => {
    const tool = deps.tools.find((candidate) => candidate.name === c.req.param('name'));
    if (!tool)
      return errorResponse(c, 'not_found', `No tool ${c.req.param('name')}.`, {
        allowed: deps.tools.map((t) => t.name),
      });
    let args: unknown;
    try {
      const text = await c.req.text();
      args = text.trim() ? JSON.parse(text) : {};
    } catch {
      return errorResponse(c, 'validation', 'The body is not valid JSON.');
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

  mountImportRoutes(app, { auth, contextFor: (principal, via) => contextFor(principal, via) });
  deps.mount?.(app, { auth, contextFor: (principal, via) => contextFor(principal, via) });

  app.notFound((c) =>
    errorResponse(c, 'not_found', `No route for ${c.req.method} ${new URL(c.req.url).pathname}.`),
  );
  app.onError((error, c) => {
    if (error instanceof HTTPException) {
      const code = codeOfHttpException(error);
      if (code === 'internal') logger.error({ err: error }, 'request failed');
      return errorResponse(c, code, error.message || 'The request could not be handled.');
    }
    const directoryError = asDirectoryError(error);
    if (!(error instanceof DirectoryError) || directoryError.code === 'internal')
      logger.error({ err: error }, 'request failed');
    return c.json(directoryError.toJSON(), statusFor[directoryError.code]);
  });
  return app;
}
