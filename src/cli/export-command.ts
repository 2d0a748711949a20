import { createWriteStream, rmSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { PassThrough, Readable, Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Command } from 'commander';
import type { Config } from '../config.ts';
import { DirectoryError } from '../directory/errors.ts';
import { writePartnersExport } from '../directory/exports/export.ts';
import { filtersOf, partnersExportRequest } from '../directory/exports/export-links.ts';
import type { SearchResult } from '../directory/search/search.ts';
import { zodProblems } from '../directory/zod-problems.ts';
import { describeTotal } from '../tools/index.ts';
import { addFilterOptions, type FilterOptions, filterArgs } from './filter-options.ts';
import { requestHoldingServer } from './holding-server.ts';
import { oneOf } from './option-values.ts';
import { count } from './terminal.ts';
import { type ToolSession, withToolSession } from './tool-session.ts';

interface ExportOptions extends FilterOptions {
  format?: 'csv' | 'xlsx';
  output?: string;
}

/** The format: --format, else the --output file's extension, else CSV; a mismatch is refused. */
export function exportFormatOf(options: { format?: 'csv' | 'xlsx'; output?: string }): 'csv' | 'xlsx' {
  const extension = options.output ? extname(options.output).toLowerCase() : '';
  const fromName = extension === '.xlsx' ? 'xlsx' : extension === '.csv' ? 'csv' : undefined;
  const format = options.format ?? fromName ?? 'csv';
  if (fromName && fromName !== format)
    throw new DirectoryError(
      'validation',
      `--format ${format} does not match --output ${options.output}: name the file .${format}, or drop --format.`,
    );
  if (format === 'xlsx' && !options.output)
    throw new DirectoryError(
      'validation',
      'An XLSX file is binary and is not printed: give --output FILE.xlsx (CSV alone can go to stdout).',
    );
  return format;
}

/** Drops the UTF-8 byte order mark (kept in files, for Excel) from the start of CSV on stdout. */
function withoutBom(): Transform {
  let first = true;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const bytes =
        first && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf ? chunk.subarray(3) : chunk;
      first = false;
      done(null, bytes);
    },
  });
}

/** `partnerbook export`: the records matching the search filters as CSV (stdout or a file) or XLSX (a file). */
export function registerExportCommand(program: Command, config: () => Config): void {
  addFilterOptions(
    program
      .command('export')
      .description(
        'export the records matching the search filters: CSV on stdout, or CSV / XLSX to --output FILE',
      )
      .argument('[query...]', 'free text, as in search'),
  )
    .option(
      '--format <format>',
      'csv or xlsx (default: from the --output name, else csv)',
      oneOf(['csv', 'xlsx']),
    )
    .option('--output <file>', 'write to this file (needed for xlsx); without it CSV goes to stdout')
    .addHelpText(
      'after',
      '\nExamples:\n  npx partnerbook export --kind supplier --country VN > suppliers-vn.csv\n  npx partnerbook export --kind customer --activity inactive --output inactive.xlsx',
    )
    .action(async (query: string[], options: ExportOptions) => {
      const format = exportFormatOf(options);
      const raw = { ...filterArgs(query, options), format };
      const parsed = partnersExportRequest.safeParse(raw);
      if (!parsed.success)
        throw new DirectoryError('validation', 'The export filters have problems.', {
          problems: zodProblems(parsed.error, raw, partnersExportRequest),
        });
      const file = options.output ? resolve(options.output) : undefined;
      await withToolSession(config(), 'export', async (session) => {
        const output: Writable = file ? createWriteStream(file) : new PassThrough();
        const toStdout = file
          ? undefined
          : pipeline(output as PassThrough, withoutBom(), process.stdout, { end: false });
        try {
          const rows = await exportTo(session, { request: parsed.data, output });
          await toStdout;
          if (file) process.stderr.write(`Wrote ${rows} to ${file}.\n`);
        } catch (error) {
          if (file) rmSync(file, { force: true });
          throw error;
        }
      });
    });
}

/** Runs the export into `output` (and ends it); returns how many records, in words. */
async function exportTo(
  session: ToolSession,
  options: {
    request: ReturnType<typeof partnersExportRequest.parse>;
    output: Writable;
  },
): Promise<string> {
  const { request, output } = options;
  const noun =
    request.kind === 'customer' ? 'customers' : request.kind === 'supplier' ? 'suppliers' : 'records';
  const one = noun.replace(/s$/, '');
  if (session.via === 'direct') {
    const ctx = session.runtime.toolContext(session.principal, 'cli');
    const { rowCount } = await writePartnersExport(ctx, {
      filters: filtersOf(request),
      format: request.format ?? 'csv',
      columns: request.columns,
      output,
    });
    return `${count(rowCount)} ${rowCount === 1 ? one : noun}`;
  }
  // The server holds the embedded database: its GET /api/export streams the same file.
  const search = await session.call('search_partners', { ...filtersOf(request), limit: 1 });
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(request))
    for (const item of Array.isArray(value) ? value : [value]) query.append(key, String(item));
  const response = await requestHoldingServer({ ...session.server, path: `/api/export?${query}` });
  if (!response.ok || !response.body) {
    const body = (await response.json().catch(() => ({}))) as { message?: string };
    throw new DirectoryError('validation', body.message ?? `The export failed (HTTP ${response.status}).`);
  }
  await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), output);
  if (!search.ok) return noun;
  const result = search.data as SearchResult;
  return `${describeTotal(result)} ${result.total === 1 && result.totalIsExact ? one : noun}`;
}
