import type { Command } from 'commander';
import { openRuntime, type Runtime } from '../app/runtime.ts';
import type { Config } from '../config.ts';
import { createToken, listTokens, revokeToken } from '../directory/access/principals.ts';
import { readSettings, updateSetting } from '../directory/settings.ts';
import { operatorPrincipal } from './operator.ts';

async function withRuntime<T>(
  config: Config,
  command: string,
  work: (runtime: Runtime) => Promise<T>,
): Promise<T> {
  const runtime = await openRuntime(config, { command });
  try {
    return await work(runtime);
  } finally {
    await runtime.close();
  }
}

const groupList = (value: string) =>
  value
    .split(',')
    .map((g) => g.trim())
    .filter(Boolean);

/** migrate, tokens and settings: installation commands run by the operator. */
export function registerAdminCommands(program: Command, config: () => Config): void {
  program
    .command('migrate')
    .description('apply pending database migrations (also done at every start)')
    .action(async () => {
      await withRuntime(config(), 'migrate', async (runtime) => {
        process.stderr.write(
          `Migrations applied (${runtime.database.driver}: ${runtime.database.location}).\n`,
        );
      });
    });

  const tokens = program.command('tokens').description('API tokens for MCP clients and scripts');
  tokens
    .command('create')
    .description('create a token; prints the token alone on stdout (shown once)')
    .requiredOption('--name <name>', 'who or what uses it, e.g. claude-desktop')
    .requiredOption('--role <role>', 'viewer, editor or admin')
    .option('--groups <groups>', 'access groups, comma-separated', groupList)
    .action(async (options: { name: string; role: string; groups?: string[] }) => {
      await withRuntime(config(), 'tokens create', async (runtime) => {
        const { token, principal } = await createToken(runtime.context(operatorPrincipal(), 'cli'), {
          name: options.name,
          role: options.role,
          accessGroups: options.groups,
        });
        process.stderr.write(
          `Created token "${principal.name}" (${principal.role}${principal.accessGroups.length ? `, groups ${principal.accessGroups.join(', ')}` : ''}). It is shown once; store it now.\n`,
        );
        process.stdout.write(`${token}\n`);
      });
    });
  tokens
    .command('list')
    .description('list tokens (never the tokens themselves)')
    .action(async () => {
      await withRuntime(config(), 'tokens list', async (runtime) => {
        for (const t of await listTokens(runtime.context(operatorPrincipal(), 'cli'))) {
          process.stdout.write(
            `${t.id}  ${t.tokenPrefix}…  ${t.name.padEnd(20)} ${t.role.padEnd(7)} ${t.accessGroups.join(',') || '-'}  ${t.revokedAt ? `revoked ${t.revokedAt}` : 'active'}\n`,
          );
        }
      });
    });
  tokens
    .command('revoke')
    .description('revoke a token by id, name or prefix; effective on the next request')
    .argument('<token>', 'id, name or the prefix shown by tokens list')
    .action(async (idOrName: string) => {
      await withRuntime(config(), 'tokens revoke', async (runtime) => {
        const { revoked } = await revokeToken(runtime.context(operatorPrincipal(), 'cli'), idOrName);
        process.stderr.write(`Revoked "${revoked}".\n`);
      });
    });

  const settingsCommand = program.command('settings').description('workspace settings');
  settingsCommand.command('get').action(async () => {
    await withRuntime(config(), 'settings get', async (runtime) => {
      process.stdout.write(`${JSON.stringify(await readSettings(runtime.database.db), null, 2)}\n`);
    });
  });
  settingsCommand
    .command('set')
    .argument('<key>', 'e.g. defaultCurrency')
    .argument('<value>')
    .action(async (key: string, value: string) => {
      await withRuntime(config(), 'settings set', async (runtime) => {
        const settings = await updateSetting(runtime.context(operatorPrincipal(), 'cli'), key, value);
        process.stdout.write(`${JSON.stringify(settings, null, 2)}\n`);
      });
    });
}
