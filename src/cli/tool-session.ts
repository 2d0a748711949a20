import { openRuntime, type Runtime } from '../app/runtime.ts';
import type { Config } from '../config.ts';
import { EmbeddedDatabaseBusy, type Holder, readHolder } from '../db/embedded-lock.ts';
import type { Principal } from '../directory/access/principal.ts';
import { authenticateToken, bootstrapAdmin } from '../directory/access/principals.ts';
import { DirectoryError } from '../directory/errors.ts';
import { findTool, runTool, tools } from '../tools/index.ts';
import { requestHoldingServer } from './holding-server.ts';

/** A tool's answer as the CLI prints it. */
export interface ToolAnswer {
  ok: boolean;
  text: string;
  data: unknown;
  /** Download links the tool returned (exports). */
  links: { uri: string; name: string }[];
}

/** The server that holds the embedded database, and the token the CLI reaches it with. */
export type HoldingServer = Omit<Parameters<typeof requestHoldingServer>[0], 'path' | 'init'>;

/**
 * Where a CLI command reaches the directory: the database itself (as `principal`), or the
 * server that holds the embedded database (as the token's principal).
 */
export type ToolSession =
  | { via: 'direct'; runtime: Runtime; principal: Principal; call: CallTool }
  | { via: 'server'; server: HoldingServer; call: CallTool };
type CallTool = (name: string, args: unknown) => Promise<ToolAnswer>;

/**
 * The one rule for whom the CLI acts as (tool calls, `ask`, `partnerbook mcp` over stdio):
 * PARTNERBOOK_TOKEN's principal; without a token the bootstrap admin on the embedded database
 * (whoever can open its files controls it anyway), and a refusal on PostgreSQL.
 */
export async function cliPrincipal(
  config: Config,
  db: Parameters<typeof authenticateToken>[0],
): Promise<Principal> {
  if (config.PARTNERBOOK_TOKEN) {
    const principal = await authenticateToken(db, {
      token: config.PARTNERBOOK_TOKEN,
      bootstrapToken: config.PARTNERBOOK_ADMIN_TOKEN,
    });
    if (!principal)
      throw new DirectoryError(
        'unauthorized',
        'PARTNERBOOK_TOKEN is unknown or revoked; create one with `partnerbook tokens create --name me --role admin`.',
      );
    return principal;
  }
  if (!config.DATABASE_URL) return bootstrapAdmin;
  throw new DirectoryError(
    'unauthorized',
    'On PostgreSQL the CLI acts as a token: run `export PARTNERBOOK_TOKEN=$(npx partnerbook tokens create --name me --role admin)` once, then run this command again.',
  );
}

const unknownTool = (name: string): ToolAnswer => ({
  ok: false,
  text: `No tool "${name}". Tools: ${tools.map((t) => t.name).join(', ')}.`,
  data: null,
  links: [],
});

/**
 * Opens the directory once for a command (several tool calls share it): the database directly,
 * or, when a server holds the embedded database, that server's /api/tools endpoint.
 */
export async function withToolSession<T>(
  config: Config,
  command: string,
  work: (session: ToolSession) => Promise<T>,
): Promise<T> {
  let runtime: Runtime;
  try {
    runtime = await openRuntime(config, { command });
  } catch (error) {
    const holder = readHolder(config.DATA_DIR);
    if (error instanceof EmbeddedDatabaseBusy && holder?.url && holder.localToken) {
      const server: HoldingServer = {
        holder: { ...holder, url: holder.url } as Holder & { url: string },
        dataDir: config.DATA_DIR,
        token: config.PARTNERBOOK_TOKEN ?? holder.localToken,
      };
      return work({ via: 'server', server, call: (name, args) => callServer(server, name, args) });
    }
    throw error;
  }
  try {
    const principal = await cliPrincipal(config, runtime.database.db);
    const call: CallTool = async (name, args) => {
      const tool = findTool(name);
      if (!tool) return unknownTool(name);
      const result = await runTool(tool, args, runtime.toolContext(principal, 'cli'));
      return result.isError
        ? { ok: false, text: result.text, data: result.error, links: [] }
        : {
            ok: true,
            text: result.text,
            data: result.structured,
            links: (result.links ?? []).map((l) => ({ uri: l.uri, name: l.name })),
          };
    };
    return await work({ via: 'direct', runtime, principal, call });
  } finally {
    await runtime.close();
  }
}

async function callServer(server: HoldingServer, name: string, args: unknown): Promise<ToolAnswer> {
  if (!findTool(name)) return unknownTool(name);
  const response = await requestHoldingServer({
    ...server,
    path: `/api/tools/${name}`,
    init: { method: 'POST', body: JSON.stringify(args ?? {}) },
  });
  const body = (await response.json()) as {
    text?: string;
    message?: string;
    structured?: unknown;
    links?: { uri: string; name: string }[];
  };
  return {
    ok: response.ok,
    text: body.text ?? body.message ?? `HTTP ${response.status}`,
    data: response.ok ? body.structured : body,
    links: response.ok ? (body.links ?? []) : [],
  };
}

/** Calls one tool as the CLI's principal (opens and closes the directory around it). */
export function callTool(config: Config, name: string, args: unknown): Promise<ToolAnswer> {
  return withToolSession(config, `call ${name}`, (session) => session.call(name, args));
}
