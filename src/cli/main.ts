import { Command, CommanderError } from 'commander';
import { installCrashGuard } from '../app/crash-guard.ts';
import { createLogger } from '../app/logger.ts';
import { type Config, ConfigError, loadConfig } from '../config.ts';
import { EmbeddedDatabaseBusy } from '../db/embedded-lock.ts';
import { DirectoryError } from '../directory/errors.ts';
import { registerAdminCommands } from './admin-commands.ts';
import { registerBotCommands } from './bot-commands.ts';
import { runMcpStdio } from './mcp-stdio.ts';
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
  .showHelpAfterError()
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

registerAdminCommands(program, getConfig);
registerToolCommands(program, getConfig);
registerBotCommands(program, getConfig);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode;
  } else if (error instanceof ConfigError || error instanceof EmbeddedDatabaseBusy) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 2;
  } else if (error instanceof DirectoryError) {
    process.stderr.write(
      `${error.message}${error.problems.length ? `\n${error.problems.map((p) => `  ${p.field}: ${p.message}`).join('\n')}` : ''}\n`,
    );
    process.exitCode = 1;
  } else {
    process.stderr.write(`partnerbook failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
