import type { Command } from 'commander';
import { openRuntime } from '../app/runtime.ts';
import type { Config } from '../config.ts';
import { EmbeddedDatabaseBusy, type Holder, readHolder } from '../db/embedded-lock.ts';
import type { Principal } from '../directory/access/principal.ts';
import { authenticateToken, bootstrapAdmin } from '../directory/access/principals.ts';
import { DirectoryError } from '../directory/errors.ts';
import { findTool, runTool, tools } from '../tools/index.ts';
import { requestHoldingServer } from './holding-server.ts';

export interface ToolAnswer {
  ok: boolean;
  text: string;
  data: unknown;
}

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
        'PARTNERBOOK_TOKEN is unknown or revoked; create one with `partnerbook tokens create`.',
      );
    return principal;
  }
  if (!config.DATABASE_URL) return bootstrapAdmin;
  throw new DirectoryError(
    'unauthorized',
    'Set PARTNERBOOK_TOKEN to a token (`partnerbook tokens create --name desktop --role viewer`) to use the directory on PostgreSQL from the CLI or `partnerbook mcp`.',
  );
}

/**
 * Calls a tool as the CLI's principal: directly on the database, or, when a server holds the
 * embedded database, through that server's /api/tools endpoint.
 */
export async function callTool(config: Config, name: string, args: unknown): Promise<ToolAnswer> {
  const tool = findTool(name);
  if (!tool)
    return {
      ok: false,
      text: `No tool "${name}". Tools: ${tools.map((t) => t.name).join(', ')}.`,
      data: null,
    };
  let runtime: Awaited<ReturnType<typeof openRuntime>>;
  try {
    runtime = await openRuntime(config, { command: `call ${name}` });
  } catch (error) {
    const holder = readHolder(config.DATA_DIR);
    if (error instanceof EmbeddedDatabaseBusy && holder?.url && holder.localToken)
      return viaServer({
        holder: { ...holder, url: holder.url },
        dataDir: config.DATA_DIR,
        token: config.PARTNERBOOK_TOKEN ?? holder.localToken,
        name,
        args,
      });
    throw error;
  }
  try {
    const principal = await cliPrincipal(config, runtime.database.db);
    const result = await runTool(tool, args, runtime.toolContext(principal, 'cli'));
    return result.isError
      ? { ok: false, text: result.text, data: result.error }
      : { ok: true, text: result.text, data: result.structured };
  } finally {
    await runtime.close();
  }
}

async function viaServer(options: {
  holder: Holder & { url: string };
  dataDir: string;
  token: string;
  name: string;
  args: unknown;
}): Promise<ToolAnswer> {
  const response = await requestHoldingServer({
    holder: options.holder,
    dataDir: options.dataDir,
    path: `/api/tools/${options.name}`,
    token: options.token,
    init: { method: 'POST', body: JSON.stringify(options.args ?? {}) },
  });
  const body = (await response.json()) as { text?: string; message?: string; structured?: unknown };
  return {
    ok: response.ok,
    text: body.text ?? body.message ?? `HTTP ${response.status}`,
    data: response.ok ? body.structured : body,
  };
}

/** Prints an answer (text, or JSON with --json) and sets the exit code. */
export function printAnswer(answer: ToolAnswer, json: boolean): void {
  if (json) process.stdout.write(`${JSON.stringify(answer.data, null, 2)}\n`);
  else (answer.ok ? process.stdout : process.stderr).write(`${answer.text}\n`);
  if (!answer.ok) process.exitCode = 1;
}

const list = (value: string, previous: string[] = []) => [
  ...previous,
  ...value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean),
];

/** `tools`, `call`, and the everyday shortcuts `search`, `get` and `summary`. */
export function registerToolCommands(program: Command, config: () => Config): void {
  program
    .command('tools')
    .description('list the tools (the same ones MCP and Slack use)')
    .action(() => {
      for (const tool of tools)
        process.stdout.write(`${tool.name.padEnd(24)} ${tool.role.padEnd(7)} ${tool.title}\n`);
    });

  program
    .command('call')
    .description('call a tool with JSON arguments, e.g. call get_partner \'{"code":"CUS-000001"}\'')
    .argument('<tool>', 'tool name')
    .argument('[json]', 'arguments as JSON', '{}')
    .option('--json', 'print the structured result as JSON')
    .action(async (name: string, json: string, options: { json?: boolean }) => {
      let args: unknown;
      try {
        args = JSON.parse(json);
      } catch {
        throw new DirectoryError('validation', `The arguments are not valid JSON: ${json}`);
      }
      printAnswer(await callTool(config(), name, args), !!options.json);
    });

  program
    .command('search')
    .description('search customers and suppliers')
    .argument('[query...]', 'free text: name, company, email, phone or code')
    .option('--kind <kind>', 'customer or supplier')
    .option('--country <country>', 'country code or name (repeat or comma-separate)', list)
    .option('--activity <activity>', 'new, active or inactive')
    .option('--status <status>', 'enabled or disabled')
    .option('--sort <key>', 'name, company, total, city, country, orders, lastOrderDate, since, code')
    .option('--desc', 'sort descending')
    .option('--limit <n>', 'page size (max 200)', (v) => Number(v))
    .option('--json', 'print JSON')
    .action(async (query: string[], options) => {
      const args = {
        ...(query.length ? { query: query.join(' ') } : {}),
        ...(options.kind ? { kind: options.kind } : {}),
        ...(options.country ? { countries: options.country } : {}),
        ...(options.activity ? { activity: options.activity } : {}),
        ...(options.status ? { status: options.status } : {}),
        ...(options.sort ? { sortBy: options.sort } : {}),
        ...(options.desc ? { sortDir: 'desc' } : {}),
        ...(options.limit ? { limit: options.limit } : {}),
      };
      printAnswer(await callTool(config(), 'search_partners', args), !!options.json);
    });

  program
    .command('get')
    .description('show one record by code')
    .argument('<code>', 'e.g. CUS-000001')
    .option('--kind <kind>', 'customer or supplier, when the code is used by both')
    .option('--json', 'print JSON')
    .action(async (code: string, options) => {
      printAnswer(
        await callTool(config(), 'get_partner', { code, ...(options.kind ? { kind: options.kind } : {}) }),
        !!options.json,
      );
    });

  program
    .command('summary')
    .description('All / New / Active / Inactive counts')
    .option('--kind <kind>', 'customer or supplier')
    .option('--country <country>', 'country code or name', list)
    .option('--json', 'print JSON')
    .action(async (options) => {
      const args = {
        ...(options.kind ? { kind: options.kind } : {}),
        ...(options.country ? { countries: options.country } : {}),
      };
      printAnswer(await callTool(config(), 'directory_summary', args), !!options.json);
    });
}
