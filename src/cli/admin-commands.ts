import type { Command } from 'commander';
import { openRuntime, type Runtime } from '../app/runtime.ts';
import type { Config } from '../config.ts';
import { roles } from '../directory/access/principal.ts';
import { createToken, listTokens, revokeToken } from '../directory/access/principals.ts';
import { readSettings, settingKeys, updateSetting } from '../directory/settings.ts';
import { operatorPrincipal } from './operator.ts';
import { oneOf } from './option-values.ts';

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

/** Rows as left-aligned columns two spaces apart (stable when piped: no colour, no box). */
function columns(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

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
    .requiredOption('--role <role>', roles.join(', '), oneOf(roles))
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
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      await withRuntime(config(), 'tokens list', async (runtime) => {
        const list = await listTokens(runtime.context(operatorPrincipal(), 'cli'));
        if (options.json) {
          process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
          return;
        }
        if (!list.length) {
          process.stdout.write('No tokens yet: npx partnerbook tokens create --name me --role admin\n');
          return;
        }
        const head = ['NAME', 'ROLE', 'GROUPS', 'PREFIX', 'CREATED', 'STATE', 'ID'];
        const rows = list.map((t) => [
          t.name,
          t.role,
          t.accessGroups.join(',') || '-',
          `${t.tokenPrefix}…`,
          t.createdAt.slice(0, 10),
          t.revokedAt ? `revoked ${t.revokedAt.slice(0, 10)}` : 'active',
          t.id,
        ]);
        process.stdout.write(`${columns([head, ...rows])}\n`);
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
  settingsCommand
    .command('get')
    .description('print the settings as JSON')
    .action(async () => {
      await withRuntime(config(), 'settings get', async (runtime) => {
        process.stdout.write(`${JSON.stringify(await readSettings(runtime.database.db), null, 2)}\n`);
      });
    });
  settingsCommand
    .command('set')
    .description(`change a setting: ${settingKeys.join(', ')}`)
    .argument('<key>', settingKeys.join(', '))
    .argument('<value>')
    .action(async (key: string, value: string) => {
      await withRuntime(config(), 'settings set', async (runtime) => {
        const settings = await updateSetting(runtime.context(operatorPrincipal(), 'cli'), key, value);
        process.stdout.write(`${JSON.stringify(settings, null, 2)}\n`);
      });
    });
}
