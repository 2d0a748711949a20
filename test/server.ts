import { Client, type ElicitResult, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { createLogger } from '../src/app/logger.ts';
import { loadConfig } from '../src/config.ts';
import type { Database } from '../src/db/client.ts';
import { createToken } from '../src/directory/access/principals.ts';
import { fixedClock } from '../src/directory/activity/clock.ts';
import { type AppDeps, createApp } from '../src/server/app.ts';
import { tools } from '../src/tools/index.ts';
import { contextFor, TODAY } from './context.ts';

export const ADMIN_TOKEN = 'test-bootstrap-admin-token-0123456789';

/** The Hono app over a test database, with the clock fixed at TODAY noon UTC. */
export function testApp(
  database: Database,
  overrides: Partial<AppDeps> & { env?: Record<string, string> } = {},
) {
  const config = loadConfig({ PARTNERBOOK_ADMIN_TOKEN: ADMIN_TOKEN, LOG_LEVEL: 'silent', ...overrides.env });
  return createApp({
    config,
    db: database.db,
    driver: database.driver,
    logger: createLogger('silent'),
    clock: fixedClock(`${TODAY}T12:00:00Z`),
    tools,
    sessionSecret: 'test-session-secret',
    ...overrides,
  });
}

/** Tokens for each role, plus an editor limited to the "eu" group. */
export async function roleTokens(database: Database) {
  const ctx = contextFor(database);
  const make = async (name: string, role: string, accessGroups: string[] = []) =>
    (await createToken(ctx, { name, role, accessGroups })).token;
  return {
    admin: ADMIN_TOKEN,
    viewer: await make('viewer', 'viewer'),
    editor: await make('editor', 'editor'),
    euEditor: await make('eu-editor', 'editor', ['eu']),
  };
}

/** The two protocol eras a client can speak: the 2026-07-28 revision, or the 2025 initialize handshake. */
export type McpEra = 'modern' | 'legacy';

/** Client options for an era: modern pins 2026-07-28 (no fallback), legacy keeps the 2025 handshake. */
export function eraOptions(era: McpEra) {
  return era === 'modern'
    ? { versionNegotiation: { mode: { pin: '2026-07-28' } } as const }
    : { versionNegotiation: { mode: 'legacy' } as const };
}

/**
 * An official MCP SDK (v2) client talking to the app in-process over Streamable HTTP, on the
 * 2025 handshake by default or pinned to 2026-07-28 with `era: 'modern'`.
 */
export async function mcpClient(
  app: ReturnType<typeof testApp>,
  token: string,
  name = 'vitest-client',
  era: McpEra = 'legacy',
  /** Answers elicitation requests (and declares the capability): the person's side of a confirmation. */
  onElicit?: (message: string) => ElicitResult,
): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL('http://localhost/mcp'), {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
    fetch: async (url, init) => app.fetch(new Request(url, init)),
  });
  const client = new Client(
    { name, version: '1.0.0' },
    { ...eraOptions(era), ...(onElicit ? { capabilities: { elicitation: { form: {} } } } : {}) },
  );
  if (onElicit)
    client.setRequestHandler('elicitation/create', async (request) => onElicit(request.params.message));
  await client.connect(transport);
  return client;
}
