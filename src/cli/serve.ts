import { randomBytes } from 'node:crypto';
import { serve as listen } from '@hono/node-server';
import { composeServer } from '../app/compose.ts';
import { openRuntime } from '../app/runtime.ts';
import { listenUrlOf, publicUrlOf } from '../app/tool-context.ts';
import type { Config } from '../config.ts';
import { seedDemo } from '../demo/demo-seed.ts';
import { createFirstAdminToken, systemPrincipal } from '../directory/access/principals.ts';
import { limitConnectionsPerAddress, nodeServerOptions } from '../server/node-server.ts';

export interface ServeOptions {
  /** Do not load the demo directory into a new embedded database. */
  empty?: boolean;
  /** Called once listening (tests, bench). */
  onListening?: (url: string) => void;
}

/** `partnerbook serve` (npm start): migrate, bootstrap, listen, and print how to begin. */
export async function serve(
  config: Config,
  options: ServeOptions = {},
): Promise<{ url: string; close(): Promise<void> }> {
  const runtime = await openRuntime(config, { command: 'serve' });
  const { database, logger } = runtime;
  const lines: string[] = [];
  const firstToken = config.PARTNERBOOK_ADMIN_TOKEN ? undefined : await createFirstAdminToken(database.db);

  if (runtime.createdEmbedded && !options.empty) {
    const seeded = await seedDemo(runtime.context(systemPrincipal, 'system'), {});
    lines.push(
      `Loaded the demo directory (${seeded.customers} customers, ${seeded.suppliers} suppliers, ${seeded.orders} orders) into the new embedded database.`,
      `To start empty instead: stop the server, delete ${config.DATA_DIR}, and run \`npm start -- --empty\`.`,
    );
  }

  const localToken = config.DATABASE_URL ? undefined : `pbl_${randomBytes(24).toString('base64url')}`;
  let publicUrl = publicUrlOf(config);
  const composed = await composeServer({
    config,
    database,
    logger,
    clock: runtime.clock,
    publicUrl: () => publicUrl,
    localToken,
  });
  const app = composed.app;

  const server = await new Promise<ReturnType<typeof listen>>((resolve) => {
    const instance = listen(
      {
        fetch: app.fetch,
        port: config.PORT,
        hostname: config.HOST,
        serverOptions: nodeServerOptions(config),
      },
      () => resolve(instance),
    );
  });
  limitConnectionsPerAddress(server, config.MAX_CONNECTIONS_PER_ADDRESS);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const url = publicUrlOf(config, port);
  publicUrl = url;
  if (localToken) runtime.announceServer({ url: listenUrlOf(config, port), localToken });

  const token = firstToken ?? (config.PARTNERBOOK_ADMIN_TOKEN ? '(PARTNERBOOK_ADMIN_TOKEN)' : undefined);
  process.stdout.write(
    [
      `partnerbook is running at ${url} on ${database.driver === 'pglite' ? `the embedded database in ${config.DATA_DIR}` : 'PostgreSQL'}.`,
      ...lines,
      `MCP endpoint (Streamable HTTP): ${url}/mcp`,
      firstToken
        ? `Admin token, shown this once (store it now): ${firstToken}`
        : `Admin token: ${token ?? 'created at first start; make another with `npx partnerbook tokens create --name me --role admin` while the server is stopped'}`,
      'Three things to try:',
      '  1. npx partnerbook search --kind supplier --country Vietnam --activity inactive',
      '  2. npx partnerbook summary',
      `  3. Connect an MCP client (e.g. npx @modelcontextprotocol/inspector) to ${url}/mcp with "Authorization: Bearer <admin token>"`,
      '',
    ].join('\n'),
  );
  options.onListening?.(url);

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      await composed.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await runtime.close();
    })();
    return closing;
  };
  return { url, close };
}
