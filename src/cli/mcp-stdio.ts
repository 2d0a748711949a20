import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { openRuntime } from '../app/runtime.ts';
import type { Config } from '../config.ts';
import type { Principal } from '../directory/access/principal.ts';
import { createMcpServer } from '../server/mcp/mcp-server.ts';
import { tools } from '../tools/index.ts';
import { cliPrincipal } from './tool-commands.ts';

/**
 * `partnerbook mcp`: the same MCP server over stdin/stdout for desktop clients, on protocol 2026-07-28 and the 2025 handshake. Authenticated by
 * PARTNERBOOK_TOKEN; without one it refuses, except on the embedded database where it acts as
 * the bootstrap admin. Only JSON-RPC goes to stdout; logs go to stderr.
 */
export async function runMcpStdio(config: Config): Promise<void> {
  const runtime = await openRuntime(config, { command: 'mcp' });
  let principal: Principal;
  try {
    principal = await cliPrincipal(config, runtime.database.db);
  } catch (error) {
    await runtime.close();
    throw error;
  }
  // One server per connection; its era (2026-07-28 or the 2025 handshake) is decided by the opening message.
  const handle = serveStdio(() =>
    createMcpServer({
      tools,
      principalRole: principal.role,
      contextFor: (clientName) => runtime.toolContext(principal, 'mcp', clientName),
    }),
  );
  const shutdown = async () => {
    await handle.close();
    await runtime.close();
    process.exit(0);
  };
  process.stdin.on('end', shutdown);
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  runtime.logger.info({ principal: principal.name, role: principal.role }, 'MCP server on stdio');
}
