import { createReadStream, existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import type { Config } from '../config.ts';
import { DirectoryError } from '../directory/errors.ts';
import {
  type ImportOptionsInput,
  type ImportProgress,
  type ImportView,
  importFile,
  importSummary,
} from '../directory/imports/imports.ts';
import { requestHoldingServer } from './holding-server.ts';
import { kindOption, oneOf } from './option-values.ts';
import { count, terminalStyle } from './terminal.ts';
import { type HoldingServer, withToolSession } from './tool-session.ts';

interface ImportCommandOptions {
  kind?: 'customer' | 'supplier';
  dryRun?: boolean;
  match?: 'code' | 'email';
  onError?: 'abort' | 'skip';
  sheet?: string;
  map?: string;
  json?: boolean;
}

/** A progress bar on a terminal (stderr): bytes of the file, rows read, written, rejected, rate, time left. */
function progressBar(totalBytes: number) {
  if (!terminalStyle(process.stderr).tty) return undefined;
  const bar = new SingleBar({
    stream: process.stderr,
    format:
      '{phase} [{bar}] {percentage}% | {rows} rows read, {written} written, {rejected} rejected | {rate} rows/s | {eta_formatted} left',
    hideCursor: true,
    clearOnComplete: true,
  });
  const started = Date.now();
  bar.start(Math.max(totalBytes, 1), 0, {
    phase: 'Checking',
    rows: '0',
    written: '0',
    rejected: '0',
    rate: '0',
  });
  return {
    update(
      progress: Pick<ImportProgress, 'phase' | 'bytesRead' | 'rowsRead' | 'created' | 'updated' | 'rejected'>,
    ) {
      const seconds = Math.max((Date.now() - started) / 1000, 0.001);
      bar.update(Math.min(progress.bytesRead, Math.max(totalBytes, 1)), {
        phase: progress.phase === 'writing' ? 'Writing ' : 'Checking',
        rows: count(progress.rowsRead),
        written: count(progress.created + progress.updated),
        rejected: count(progress.rejected),
        rate: count(Math.round(progress.rowsRead / seconds)),
      });
    },
    stop: () => bar.stop(),
  };
}

/** Uploads the file to the server holding the embedded database and follows the import to its end. */
async function importThroughServer(
  server: HoldingServer,
  options: { path: string; input: ImportOptionsInput; totalBytes: number },
): Promise<ImportView> {
  const query = new URLSearchParams({ fileName: basename(options.path) });
  for (const [key, value] of Object.entries(options.input))
    if (value !== undefined) query.set(key, String(value));
  const response = await requestHoldingServer({
    ...server,
    path: `/api/imports?${query}`,
    init: {
      method: 'POST',
      body: Readable.toWeb(createReadStream(options.path)) as ReadableStream,
      duplex: 'half',
    } as RequestInit,
  });
  const started = (await response.json()) as ImportView & {
    message?: string;
    problems?: { field: string; message: string }[];
  };
  if (response.status !== 202)
    throw new DirectoryError(
      response.status === 403 ? 'forbidden' : 'validation',
      started.message ?? `HTTP ${response.status}`,
      {
        problems: (started.problems ?? []).map((p) => ({ ...p, code: 'invalid' })),
      },
    );
  const bar = progressBar(options.totalBytes);
  try {
    for (;;) {
      const poll = await requestHoldingServer({ ...server, path: `/api/imports/${started.id}` });
      const view = (await poll.json()) as ImportView;
      if (!poll.ok)
        throw new DirectoryError('unavailable', `The import could not be followed (HTTP ${poll.status}).`);
      bar?.update({ ...view, phase: view.phase ?? 'validating' });
      if (!['queued', 'running'].includes(view.status)) return view;
      await new Promise((done) => setTimeout(done, 500));
    }
  } finally {
    bar?.stop();
  }
}

/**
 * `partnerbook import <file> --kind ...`: imports a CSV or XLSX file, on the database directly or
 * through the server that holds the embedded database. Prints one summary line (and the rejected
 * rows); exits 1 when the import failed or was refused as a whole.
 */
export function registerImportCommand(program: Command, config: () => Config): void {
  program
    .command('import')
    .description('import customers or suppliers from a CSV or XLSX file (check first with --dry-run)')
    .argument(
      '<file>',
      'a .csv (any delimiter; UTF-8 or Windows-1252) or .xlsx file; or `undo` and an import id',
    )
    .argument('[id]', 'with undo: the import to undo (admins)')
    .option('--kind <kind>', 'customer or supplier (required to import)', kindOption)
    .option('--dry-run', 'check every row and report what would happen; write nothing')
    .option(
      '--match <key>',
      'code or email: update the record with the same key instead of creating one',
      oneOf(['code', 'email']),
    )
    .option(
      '--on-error <mode>',
      'abort (default: write nothing if any row is rejected) or skip (write the valid rows)',
      oneOf(['abort', 'skip']),
    )
    .option('--sheet <name>', 'XLSX: the sheet to read (default: the first)')
    .option(
      '--map <pairs>',
      'override the header matching: "Header=field,Other=field" (field "ignore" skips a column)',
    )
    .option('--json', 'print the import as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  npx partnerbook import suppliers.xlsx --kind supplier --dry-run\n  npx partnerbook import undo 3f2b8a4e-0c1d-4e5f-8a9b-0c1d2e3f4a5b\n  npx partnerbook import crm.csv --kind customer --match email --on-error skip --map "Mail=email,Org=companyName"',
    )
    .action(async (file: string, id: string | undefined, options: ImportCommandOptions) => {
      if (file === 'undo') {
        if (!id) throw new DirectoryError('validation', 'Say which import: partnerbook import undo <id>.');
        const answer = await withToolSession(config(), 'import undo', (session) =>
          session.call('undo_import', { id }),
        );
        (answer.ok ? process.stdout : process.stderr).write(`${answer.text}\n`);
        if (!answer.ok) process.exitCode = 1;
        return;
      }
      if (!options.kind)
        throw new DirectoryError(
          'validation',
          'Say what the file holds: --kind customer or --kind supplier.',
        );
      const path = resolve(file);
      if (!existsSync(path)) throw new DirectoryError('validation', `No file ${path}.`);
      const input: ImportOptionsInput = {
        kind: options.kind,
        ...(options.dryRun ? { dryRun: true } : {}),
        ...(options.match ? { match: options.match } : {}),
        ...(options.onError ? { onError: options.onError } : {}),
        ...(options.sheet ? { sheet: options.sheet } : {}),
        ...(options.map ? { map: options.map } : {}),
      };
      const { size } = await import('node:fs').then((fs) => fs.statSync(path));
      const view = await withToolSession(config(), 'import', async (session) => {
        if (session.via === 'server')
          return importThroughServer(session.server, { path, input, totalBytes: size });
        const bar = progressBar(size);
        try {
          return await importFile(session.runtime.toolContext(session.principal, 'cli'), {
            path,
            input,
            onProgress: (progress) => bar?.update(progress),
          });
        } finally {
          bar?.stop();
        }
      });
      if (options.json) process.stdout.write(`${JSON.stringify(view, null, 2)}\n`);
      else {
        process.stdout.write(`${importSummary(view)}\n`);
        for (const rejected of view.rejectedRows)
          process.stdout.write(
            `  row ${rejected.row}: ${rejected.problems.map((p) => `${p.field}: ${p.message}${p.didYouMean ? ` (did you mean ${p.didYouMean}?)` : ''}`).join('; ')}\n`,
          );
        if (view.moreRejectedRows)
          process.stdout.write(`  ... every rejected row: GET /api/imports/${view.id}/rejected.csv\n`);
      }
      if (view.status === 'failed' || view.status === 'rejected') process.exitCode = 1;
    });
}
