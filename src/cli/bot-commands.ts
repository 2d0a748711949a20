import type { Command } from 'commander';
import { openRuntime, type Runtime } from '../app/runtime.ts';
import { answerQuestion } from '../assistant/answer-question.ts';
import { createModel } from '../assistant/model/model.ts';
import { lastDayStart } from '../assistant/summary-reply.ts';
import type { Config } from '../config.ts';
import { EmbeddedDatabaseBusy, readHolder } from '../db/embedded-lock.ts';
import { setSlackUser } from '../directory/access/principals.ts';
import { buildDigest } from '../slack/digest.ts';
import { tools } from '../tools/index.ts';
import { curlCommand, exportLinksIn } from './hints.ts';
import { requestHoldingServer } from './holding-server.ts';
import { operatorPrincipal } from './operator.ts';
import { cliPrincipal } from './tool-commands.ts';

/** Runs `work` on the database, or, when a server holds the embedded database, asks that server. */
async function directOrServer<T>(
  config: Config,
  command: string,
  work: (runtime: Runtime) => Promise<T>,
  viaServer: (server: HoldingServer) => Promise<T>,
): Promise<T> {
  let runtime: Runtime;
  try {
    runtime = await openRuntime(config, { command });
  } catch (error) {
    const holder = readHolder(config.DATA_DIR);
    if (error instanceof EmbeddedDatabaseBusy && holder?.url && holder.localToken)
      return viaServer({
        holder: { ...holder, url: holder.url },
        dataDir: config.DATA_DIR,
        token: config.PARTNERBOOK_TOKEN ?? holder.localToken,
      });
    throw error;
  }
  try {
    return await work(runtime);
  } finally {
    await runtime.close();
  }
}

type HoldingServer = Omit<Parameters<typeof requestHoldingServer>[0], 'path' | 'init'>;

async function serverJson(
  server: HoldingServer,
  path: string,
  init?: RequestInit,
): Promise<Record<string, unknown>> {
  const response = await requestHoldingServer({ ...server, path, init });
  const body = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(String(body.message ?? `HTTP ${response.status}`));
  return body;
}

/** ask, digest and slack-users (seed has its own file). */
export function registerBotCommands(program: Command, config: () => Config): void {
  program
    .command('ask')
    .description('ask the bot a question in words, e.g. ask "which suppliers are inactive in Vietnam"')
    .argument('<question...>')
    .action(async (words: string[]) => {
      const question = words.join(' ');
      const answer = await directOrServer(
        config(),
        'ask',
        async (runtime) => {
          const principal = await cliPrincipal(runtime.config, runtime.database.db);
          const result = await answerQuestion({
            question,
            ctx: runtime.toolContext(principal, 'cli'),
            tools,
            model: await createModel(runtime.config),
          });
          return {
            text: result.reply.text,
            proposal: result.proposal
              ? { tool: result.proposal.tool.name, args: result.proposal.args }
              : null,
          };
        },
        async (server) => {
          const body = await serverJson(server, '/api/ask', {
            method: 'POST',
            body: JSON.stringify({ question }),
          });
          return {
            text: String(body.text),
            proposal: body.proposal as { tool: string; args: unknown } | null,
          };
        },
      );
      process.stdout.write(`${answer.text}\n`);
      // A link in the answer opens for whoever asked: print the command that downloads it.
      const links = exportLinksIn(answer.text);
      for (const url of links)
        process.stdout.write(
          `\nDownload ${links.length > 1 ? url : 'it'} (valid 1 hour):\n  ${curlCommand({ url, withToken: !!config().PARTNERBOOK_TOKEN })}\n`,
        );
      if (answer.proposal) {
        process.stdout.write(
          `\nTo apply it from the terminal:\n  npx partnerbook call ${answer.proposal.tool} '${JSON.stringify(answer.proposal.args)}'\n`,
        );
      }
    });

  program
    .command('digest')
    .description("print today's digest (what the bot posts to DIGEST_CHANNEL)")
    .option('--print', "print it here (the default; posting is the server's job)")
    .action(async () => {
      const text = await directOrServer(
        config(),
        'digest',
        async (runtime) => {
          const since = lastDayStart(runtime.clock);
          const { reply } = await buildDigest(
            {
              db: runtime.database.db,
              config: runtime.config,
              logger: runtime.logger,
              clock: runtime.clock,
              model: await createModel(runtime.config),
              replicaId: 'cli',
            },
            { since },
          );
          return reply.text;
        },
        async (server) => String((await serverJson(server, '/api/digest')).text),
      );
      process.stdout.write(`${text}\n`);
    });

  const slackUsers = program.command('slack-users').description('map Slack users to roles and access groups');
  slackUsers
    .command('set')
    .argument('<slackUserId>', 'e.g. U012AB3CD')
    .requiredOption('--role <role>', 'viewer, editor or admin')
    .option('--groups <groups>', 'access groups, comma-separated', (v: string) =>
      v
        .split(',')
        .map((g) => g.trim())
        .filter(Boolean),
    )
    .option('--name <name>', 'a name for the audit log, e.g. "Linh (purchasing)"')
    .action(async (slackUserId: string, options: { role: string; groups?: string[]; name?: string }) => {
      const runtime = await openRuntime(config(), { command: 'slack-users set' });
      try {
        const principal = await setSlackUser(runtime.context(operatorPrincipal(), 'cli'), {
          slackUserId,
          role: options.role,
          accessGroups: options.groups,
          name: options.name,
        });
        process.stderr.write(
          `${slackUserId} is now ${principal.role}${principal.accessGroups.length ? ` in ${principal.accessGroups.join(', ')}` : ''}.\n`,
        );
      } finally {
        await runtime.close();
      }
    });
}
