import { randomBytes } from 'node:crypto';
import { composeServer } from '../app/compose.ts';
import { openRuntime, type Runtime } from '../app/runtime.ts';
import { listenUrlOf, publicUrlOf } from '../app/tool-context.ts';
import type { Config } from '../config.ts';
import { seedDemo } from '../demo/demo-seed.ts';
import { createFirstAdminToken, systemPrincipal } from '../directory/access/principals.ts';
import { countPartners } from '../directory/summary/summary.ts';
import { limitConnectionsPerAddress } from '../server/node-server.ts';
import { listenFirst } from './listen-first.ts';
import { count } from './terminal.ts';

export interface ServeOptions {
  /** Do not load the demo directory into a new embedded database. */
  empty?: boolean;
  /** Called once listening (tests, bench). */
  onListening?: (url: string) => void;
}

/**
 * `partnerbook serve` (npm start): take the port first (a start that cannot listen creates
 * nothing), open and migrate the database, load the demo into a new embedded one, then create
 * the first admin token and print it with how to begin, in plain words (logs go to stderr).
 */
export async function serve(
  config: Config,
  options: ServeOptions = {},
): Promise<{ url: string; close(): Promise<void> }> {
  const listening = await listenFirst(config);
  const { server } = listening;
  let runtime: Runtime;
  try {
    runtime = await openRuntime(config, { command: 'serve' });
  } catch (error) {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    throw error;
  }
  const { database, logger } = runtime;
  const lines: string[] = [];

  if (runtime.createdEmbedded && !options.empty) {
    const seeded = await seedDemo(runtime.context(systemPrincipal, 'system'), {});
    lines.push(
      `Loaded the demo directory (${count(seeded.customers)} customers, ${count(seeded.suppliers)} suppliers, ${count(seeded.orders)} orders) into the new embedded database.`,
      `To start empty instead: stop the server, delete ${config.DATA_DIR}, and run \`npm start -- --empty\`.`,
    );
  }

  const localToken = config.DATABASE_URL ? undefined : `pbl_${randomBytes(24).toString('base64url')}`;
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const url = publicUrlOf(config, port);
  const composed = await composeServer({
    config,
    database,
    logger,
    clock: runtime.clock,
    publicUrl: () => url,
    localToken,
  });
  listening.ready(composed.app.fetch);
  limitConnectionsPerAddress(server, config.MAX_CONNECTIONS_PER_ADDRESS);
  if (localToken) runtime.announceServer({ url: listenUrlOf(config, port), localToken });

  // Created last, right before it is printed: a start that fails earlier leaves no lost token.
  const firstToken = config.PARTNERBOOK_ADMIN_TOKEN ? undefined : await createFirstAdminToken(database.db);
  const counts = await countPartners(runtime.context(systemPrincipal, 'system'), {});
  const records = (counts.customer?.all ?? 0) + (counts.supplier?.all ?? 0);
  process.stdout.write(
    `${startText({ config, url, driver: database.driver, lines, firstToken, records, slack: !!composed.bot })}\n`,
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

/** What a newcomer reads at start: where it runs, the token, and what to do next. */
export function startText(options: {
  config: Config;
  url: string;
  driver: string;
  lines: string[];
  firstToken?: string;
  records: number;
  slack: boolean;
}): string {
  const { config, url, firstToken } = options;
  const postgres = options.driver !== 'pglite';
  const token = firstToken
    ? [
        `Admin token (shown this once; store it now, e.g. in a password manager): ${firstToken}`,
        ...(postgres
          ? [
              'The CLI needs it on PostgreSQL: export PARTNERBOOK_TOKEN=<the admin token above> (or make one with `npx partnerbook tokens create --name me --role admin`).',
            ]
          : []),
      ]
    : config.PARTNERBOOK_ADMIN_TOKEN
      ? ['Admin token: the value of PARTNERBOOK_ADMIN_TOKEN.']
      : [
          `Admin token: made at the first start and shown then. Lost it? Make another with \`npx partnerbook tokens create --name me --role admin\`${postgres ? '' : ' (stop this server first: the embedded database allows one process at a time)'}, and revoke the old one with \`npx partnerbook tokens revoke "first admin"\`.`,
          ...(postgres
            ? [
                'The CLI acts as a token on PostgreSQL: export PARTNERBOOK_TOKEN=<your token> before npx partnerbook search.',
              ]
            : []),
        ];
  const tryThese =
    options.records === 0
      ? [
          'The directory is empty. Add your first supplier (README, "Bring your own data"):',
          `  npx partnerbook call create_partner '{"kind":"supplier","firstName":"Linh","email":"linh@saigoncotton.vn","companyName":"Saigon Cotton","country":"Vietnam","totalPurchases":0,"termsAccepted":true}'`,
          `or load the demo directory: npx partnerbook seed --demo${postgres ? '' : ' (with this server stopped)'}. Then try:`,
        ]
      : ['Three things to try (in another terminal, from this folder):'];
  return [
    `partnerbook is running at ${url} on ${postgres ? 'PostgreSQL' : `the embedded database in ${config.DATA_DIR}`}.`,
    ...options.lines,
    `MCP endpoint (Streamable HTTP): ${url}/mcp`,
    ...token,
    `Slack: ${options.slack ? (config.SLACK_APP_TOKEN ? 'on (Socket Mode)' : `on (events at ${url}/slack/events)`) : 'off (set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET to turn it on; README, "From Slack")'}.`,
    ...tryThese,
    '  1. npx partnerbook search --kind supplier --country Vietnam --activity inactive',
    '  2. npx partnerbook summary',
    `  3. Connect an MCP client (e.g. npx @modelcontextprotocol/inspector) to ${url}/mcp with "Authorization: Bearer <admin token>"`,
    'Stop with Ctrl+C.',
  ].join('\n');
}
