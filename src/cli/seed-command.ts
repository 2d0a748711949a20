import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { openRuntime } from '../app/runtime.ts';
import type { Config } from '../config.ts';
import { DEFAULT_DEMO_COUNT, MAX_DEMO_COUNT, seedDemo } from '../demo/demo-seed.ts';
import { DirectoryError } from '../directory/errors.ts';
import { operatorPrincipal } from './operator.ts';
import { wholeNumber } from './option-values.ts';
import { count, plural, terminalStyle } from './terminal.ts';

/** `partnerbook seed [--demo] [--count N] [--force]`: the demo directory, with progress on a terminal. */
export function registerSeedCommand(program: Command, config: () => Config): void {
  program
    .command('seed')
    .description('load the demo directory (realistic customers and suppliers with a year of orders)')
    .option('--demo', 'the demo directory (the default, and the only data seed loads)')
    .option(
      '--count <n>',
      `how many partners, half customers and half suppliers (default ${DEFAULT_DEMO_COUNT})`,
      wholeNumber({ min: 1, max: MAX_DEMO_COUNT, example: 400 }),
      DEFAULT_DEMO_COUNT,
    )
    .option('--force', 'add them even though the directory is not empty')
    .action(async (options: { count: number; force?: boolean }) => {
      const runtime = await openRuntime(config(), { command: 'seed' });
      // A bar on a terminal (stderr, so stdout stays clean); a summary line at the end either way.
      const bar = terminalStyle(process.stderr).tty
        ? new SingleBar({
            stream: process.stderr,
            format:
              'Loading the demo directory [{bar}] {percentage}% | {value}/{total} partners | {eta_formatted} left',
            formatValue: (value, _options, type) =>
              type === 'value' || type === 'total' ? count(value) : String(value),
            barCompleteChar: '\u2588',
            barIncompleteChar: '\u2591',
            hideCursor: true,
            clearOnComplete: true,
          })
        : undefined;
      const started = Date.now();
      try {
        bar?.start(options.count, 0);
        const result = await seedDemo(runtime.context(operatorPrincipal(), 'cli'), {
          count: options.count,
          force: options.force,
          onProgress: ({ done }) => bar?.update(done),
        });
        bar?.stop();
        const seconds = Math.round((Date.now() - started) / 1000);
        process.stderr.write(
          `Loaded ${plural(result.customers, 'customer')}, ${plural(result.suppliers, 'supplier')}, ${plural(result.orders, 'order')} and ${plural(result.complianceItems, 'compliance item')} in ${plural(seconds, 'second')}${result.skipped ? ` (${count(result.skipped)} skipped: their codes or emails were taken)` : ''}.\n`,
        );
      } catch (error) {
        bar?.stop();
        if (error instanceof DirectoryError && error.code === 'conflict')
          throw new DirectoryError('conflict', error.message, {
            hint: 'Run `npx partnerbook seed --force` to add demo records beside the existing ones, or use a new DATA_DIR (or database) for the demo.',
          });
        throw error;
      } finally {
        await runtime.close();
      }
    });
}
