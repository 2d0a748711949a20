import { Command, CommanderError } from 'commander';
import { installCrashGuard } from '../app/crash-guard.ts';
import { createLogger } from '../app/logger.ts';
import { type Config, loadConfig } from '../config.ts';
import { registerAdminCommands } from './admin-commands.ts';
import { registerBotCommands } from './bot-commands.ts';
import { errorText } from './error-text.ts';
import { registerExportCommand } from './export-command.ts';
import { registerImportCommand } from './import-command.ts';
import { runMcpStdio } from './mcp-stdio.ts';
import { registerSearchCommand } from './search-command.ts';
import { registerSeedCommand } from './seed-command.ts';
import { serve } from './serve.ts';
import { registerToolCommands } from './tool-commands.ts';

let config: Config | undefined;
const getConfig = (): Config => {
  config ??= loadConfig();
  return config;
};

const program = new Command()
  .name('partnerbook')
  .description('Customer and supplier directory: server, MCP, and the directory from your terminal')
  .showHelpAfterError('(add --help for the options and examples)')
  .exitOverride();

program
  .command('serve')
  .description('run the HTTP server (MCP at /mcp); npm start runs this')
  .option('--empty', 'do not load the demo directory into a new embedded database')
  .action(async (options: { empty?: boolean }) => {
    const server = await serve(getConfig(), { empty: options.empty });
    installCrashGuard(createLogger(getConfig().LOG_LEVEL));
    const stop = () => {
      server.close().then(() => process.exit(0));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });

program
  .command('mcp')
  .description('run the MCP server on stdin/stdout (for Claude Desktop and other desktop clients)')
  .action(async () => runMcpStdio(getConfig()));

registerSearchCommand(program, getConfig);
registerToolCommands(program, getConfig);
registerExportCommand(program, getConfig);
registerImportCommand(program, getConfig);
registerSeedCommand(program, getConfig);
registerAdminCommands(program, getConfig);
registerBotCommands(program, getConfig);

// A reader that stops early (`| head`) ends the output quietly, not with an EPIPE stack.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

try {
  await program.parseAsync(process.argv);
} catch (error) {
  const { text, exitCode } = errorText(error, config?.DATABASE_URL);
  if (text) process.stderr.write(`${text}\n`);
  process.exitCode = error instanceof CommanderError ? error.exitCode : exitCode;
}
