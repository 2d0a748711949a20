import type { Command } from 'commander';
import type { Config } from '../config.ts';
import { MAX_PAGE_SIZE, type SearchResult, sortKeys } from '../directory/search/search.ts';
import { describeTotal } from '../tools/index.ts';
import { addFilterOptions, type FilterOptions, filterArgs, isUnfiltered } from './filter-options.ts';
import { commandLine, emptyDirectoryHint, sameCommandWith } from './hints.ts';
import { oneOf, wholeNumber } from './option-values.ts';
import { plainRow, renderRows } from './partner-output.ts';
import { terminalStyle } from './terminal.ts';
import { type ToolAnswer, withToolSession } from './tool-session.ts';

interface SearchOptions extends FilterOptions {
  sort?: string;
  desc?: boolean;
  asc?: boolean;
  limit?: number;
  cursor?: string;
  all?: boolean;
  json?: boolean;
}

/** Sets the exit code and prints a refused call's text on stderr. */
function refused(answer: ToolAnswer): void {
  process.stderr.write(`${answer.text}\n`);
  process.exitCode = 1;
}

/** `partnerbook search`: one page (with the line for the next), or --all pages as they come. */
export function registerSearchCommand(program: Command, config: () => Config): void {
  addFilterOptions(
    program
      .command('search')
      .description(
        'search customers and suppliers (25 per page; --cursor for the next, --all for every page)',
      )
      .argument('[query...]', 'free text: name, company, email, phone or code'),
  )
    .option('--sort <key>', sortKeys.join(', '), oneOf(sortKeys))
    .option('--desc', 'sort descending (the default for total, orders, lastOrderDate, since)')
    .option('--asc', 'sort ascending (the default for the others)')
    .option(
      '--limit <n>',
      `rows per page, 1 to ${MAX_PAGE_SIZE} (default 25; ${MAX_PAGE_SIZE} with --all)`,
      wholeNumber({ min: 1, max: MAX_PAGE_SIZE, example: 50 }),
    )
    .option('--cursor <cursor>', 'the next page: the cursor the previous page printed')
    .option('--all', 'every page, one line per record (JSON Lines with --json), as the pages arrive')
    .option('--json', 'print the result as JSON (scripts)')
    .addHelpText(
      'after',
      '\nExamples:\n  npx partnerbook search nguyen\n  npx partnerbook search --kind supplier --country VN,TH --activity inactive --sort total\n  npx partnerbook search --kind customer --min-total 100000 --all > big-customers.txt',
    )
    .action(async (query: string[], options: SearchOptions) => {
      const args: Record<string, unknown> = {
        ...filterArgs(query, options),
        ...(options.sort ? { sortBy: options.sort } : {}),
        ...(options.desc ? { sortDir: 'desc' } : options.asc ? { sortDir: 'asc' } : {}),
      };
      if (options.all) {
        await searchAll(config(), { args, limit: options.limit ?? MAX_PAGE_SIZE, json: !!options.json });
        return;
      }
      const page = {
        ...args,
        ...(options.limit ? { limit: options.limit } : {}),
        ...(options.cursor ? { cursor: options.cursor } : {}),
      };
      const answer = await withToolSession(config(), 'search', (session) =>
        session.call('search_partners', page),
      );
      if (!answer.ok) return refused(answer);
      const result = answer.data as SearchResult;
      if (options.json) {
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        return;
      }
      printPage(result, { unfiltered: isUnfiltered(args) && !options.cursor });
    });
}

function printPage(result: SearchResult, options: { unfiltered: boolean }): void {
  const style = terminalStyle();
  const matches = `${describeTotal(result)} ${result.total === 1 && result.totalIsExact ? 'match' : 'matches'}`;
  process.stdout.write(
    `${matches}${result.items.length < result.total ? `, showing ${result.items.length}` : ''}:\n`,
  );
  if (result.items.length) process.stdout.write(`${renderRows(result.items, style)}\n`);
  if (result.nextCursor) {
    const next = sameCommandWith({
      argv: process.argv.slice(2),
      option: '--cursor',
      value: result.nextCursor,
    });
    process.stdout.write(`Next page:\n  ${commandLine(next)}\n(or add --all for every page)\n`);
  }
  if (result.total === 0 && options.unfiltered) process.stdout.write(`${emptyDirectoryHint}\n`);
}

/** Every page in turn, printed as it arrives, on one open directory. */
async function searchAll(
  config: Config,
  options: { args: Record<string, unknown>; limit: number; json: boolean },
): Promise<void> {
  await withToolSession(config, 'search', async (session) => {
    let cursor: string | undefined;
    let printed = 0;
    let total = '';
    do {
      const answer = await session.call('search_partners', {
        ...options.args,
        limit: options.limit,
        ...(cursor ? { cursor } : {}),
      });
      if (!answer.ok) return refused(answer);
      const result = answer.data as SearchResult;
      total ||= describeTotal(result);
      const lines = result.items.map((row) => (options.json ? JSON.stringify(row) : plainRow(row)));
      if (lines.length && !writeOrStop(`${lines.join('\n')}\n`)) return;
      printed += result.items.length;
      cursor = result.nextCursor ?? undefined;
    } while (cursor);
    if (!options.json)
      process.stderr.write(
        `${printed.toLocaleString('en-US')} of ${total} ${printed === 1 ? 'match' : 'matches'}.\n`,
      );
  });
}

/** Writes to stdout; false once the reader has gone (`| head`), so the loop stops quietly. */
function writeOrStop(text: string): boolean {
  if (process.stdout.destroyed || !process.stdout.writable) return false;
  process.stdout.write(text);
  return true;
}
