import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { z } from 'zod';
import type { ImportRow } from '../../db/schema/index.ts';
import { requirePermission } from '../access/principal.ts';
import type { DirectoryContext } from '../context.ts';
import { DirectoryError } from '../errors.ts';
import { type ExportOutput, openCsvSink } from '../exports/export-writers.ts';
import { partnerKinds } from '../partners/partner-schema.ts';
import { zodProblems } from '../zod-problems.ts';
import { type ImportSource, looksLikeXlsx } from './import-rows.ts';
import { type ImportProgress, runImport } from './import-run.ts';
import {
  createImportRecord,
  deleteImportFile,
  findImport,
  readRejections,
  saveImportState,
  storedSource,
  storeImportFile,
  withLocalCopy,
} from './import-store.ts';

/** The largest file an upload may carry (the file is stored, then streamed; memory stays flat). */
export const MAX_IMPORT_BYTES = 512 * 1024 * 1024;
/** Rows an import answer lists (all of them are in the rejected-rows CSV). */
const LISTED_REJECTIONS = 50;

/** What an import is asked to do; the same for the CLI, HTTP and the tools. */
export const importOptionsInput = z.strictObject({
  kind: z.enum(partnerKinds).describe('Import customers or suppliers.'),
  dryRun: z.boolean().optional().describe('Check every row and report what would happen, writing nothing.'),
  match: z
    .enum(['code', 'email'])
    .optional()
    .describe('Update the record with the same code (or email) instead of creating a second one.'),
  onError: z
    .enum(['abort', 'skip'])
    .optional()
    .describe('abort (default): write nothing if any row is rejected; skip: write the valid rows.'),
  sheet: z.string().max(100).optional().describe('XLSX only: the sheet to read (default: the first).'),
  map: z
    .union([z.string().max(4000), z.record(z.string().max(200), z.string().max(40))])
    .optional()
    .describe(
      'Column map overriding the header matching: "Header=field,Other=field" (field "ignore" skips).',
    ),
});
export type ImportOptionsInput = z.infer<typeof importOptionsInput>;

/** The caller may import (write permission, dry runs too), and the options are valid. */
function checkedOptions(ctx: DirectoryContext, input: ImportOptionsInput): ImportOptionsInput {
  requirePermission(ctx.actor.principal, 'write', 'import records');
  const parsed = importOptionsInput.safeParse(input);
  if (!parsed.success)
    throw new DirectoryError('validation', 'The import options have problems.', {
      problems: zodProblems(parsed.error, input, importOptionsInput),
    });
  return parsed.data;
}

const storedOptions = (input: ImportOptionsInput) => ({
  dryRun: input.dryRun ?? false,
  onError: input.onError ?? ('abort' as const),
  ...(input.match ? { match: input.match } : {}),
  ...(input.sheet ? { sheet: input.sheet } : {}),
  ...(input.map ? { map: typeof input.map === 'string' ? mapObject(input.map) : input.map } : {}),
});

function mapObject(text: string): Record<string, string> {
  const entries = text
    .split(',')
    .map((pair) => pair.trim())
    .filter(Boolean)
    .map((pair) => {
      const at = pair.lastIndexOf('=');
      return at > 0 ? [pair.slice(0, at).trim(), pair.slice(at + 1).trim()] : [pair, ''];
    });
  return Object.fromEntries(entries);
}

/** A local file as an import source (the CLI on the database itself). */
export function fileSource(path: string): ImportSource {
  let size: number;
  const first = Buffer.alloc(4);
  try {
    size = statSync(path).size;
    const fd = openSync(path, 'r');
    readSync(fd, first, 0, 4, 0);
    closeSync(fd);
  } catch (error) {
    throw new DirectoryError(
      'validation',
      `Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}.`,
      {
        cause: error,
      },
    );
  }
  return {
    fileName: basename(path),
    format: looksLikeXlsx(first) ? 'xlsx' : 'csv',
    totalBytes: size,
    open: () => createReadStream(path, { highWaterMark: 256 * 1024 }),
  };
}

/** Imports a local file in this process, reporting progress as it goes. */
export async function importFile(
  ctx: DirectoryContext,
  options: { path: string; input: ImportOptionsInput; onProgress?: (progress: ImportProgress) => void },
): Promise<ImportView> {
  const input = checkedOptions(ctx, options.input);
  const source = fileSource(options.path);
  const record = await createImportRecord(ctx, {
    kind: input.kind,
    fileName: source.fileName,
    format: source.format,
    options: storedOptions(input),
    ...(source.totalBytes !== undefined ? { totalBytes: source.totalBytes } : {}),
  });
  await runImport(ctx, { importId: record.id, source, onProgress: options.onProgress });
  return importView(ctx, record.id);
}

/**
 * Starts an import of an uploaded file: stores it (reading it as it arrives, refusing more than
 * `maxBytes`), recognises XLSX by its bytes, and runs it on the job queue when the server has
 * one (any replica takes it), else in this process. Returns the import at once.
 */
export async function startImport(
  ctx: DirectoryContext,
  options: {
    body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
    fileName?: string;
    input: ImportOptionsInput;
    maxBytes?: number;
    /** Run it before answering (small imports by the tools): the answer is the finished import. */
    wait?: boolean;
    /** Told when an import running in this process (no queue) fails unexpectedly. */
    onBackgroundError?: (error: unknown) => void;
  },
): Promise<ImportView> {
  const input = checkedOptions(ctx, options.input);
  const maxBytes = options.maxBytes ?? MAX_IMPORT_BYTES;
  const record = await createImportRecord(ctx, {
    kind: input.kind,
    fileName: options.fileName?.trim() || 'upload',
    format: 'csv',
    options: storedOptions(input),
  });
  const tooLarge = () =>
    new DirectoryError('validation', `The file is over ${Math.round(maxBytes / 1024 / 1024)} MB; split it.`);
  let stored: Awaited<ReturnType<typeof storeImportFile>>;
  try {
    stored = await storeImportFile(ctx.db, {
      importId: record.id,
      body: options.body,
      maxBytes,
      onTooLarge: tooLarge,
    });
  } catch (error) {
    await deleteImportFile(ctx.db, record.id);
    await saveImportState(ctx.db, record.id, {
      status: 'failed',
      message: error instanceof DirectoryError ? error.message : 'The upload broke off.',
      finishedAt: ctx.clock.now(),
    });
    throw error;
  }
  const format = looksLikeXlsx(stored.firstBytes) ? 'xlsx' : 'csv';
  await saveImportState(ctx.db, record.id, { format });
  const source = storedSource(ctx.db, { ...record, format, totalBytes: stored.bytes });
  const run = () => withLocalCopy(source, (local) => runImport(ctx, { importId: record.id, source: local }));
  if (options.wait) {
    await run();
  } else if (ctx.jobs) {
    const job = await ctx.jobs.enqueue('partner-import', { importId: record.id }, { key: record.id });
    await saveImportState(ctx.db, record.id, { jobId: job.id });
  } else {
    run().catch((error) => options.onBackgroundError?.(error));
  }
  return importView(ctx, record.id);
}

export const importViewSchema = z.object({
  id: z.string(),
  kind: z.enum(partnerKinds),
  fileName: z.string(),
  format: z.enum(['csv', 'xlsx']),
  status: z.enum(['queued', 'running', 'completed', 'rejected', 'failed']),
  phase: z.enum(['validating', 'writing']).nullable(),
  dryRun: z.boolean(),
  match: z.enum(['code', 'email']).nullable(),
  onError: z.enum(['abort', 'skip']),
  rowsRead: z.number(),
  created: z.number().describe('Created, or in a dry run: would be created.'),
  updated: z.number().describe('Updated, or in a dry run: would be updated.'),
  unchanged: z.number(),
  rejected: z.number(),
  bytesRead: z.number(),
  totalBytes: z.number().nullable(),
  columns: z.array(
    z.object({ header: z.string(), field: z.string().optional(), ignored: z.string().optional() }),
  ),
  message: z.string().nullable(),
  rejectedRows: z.array(
    z.object({
      row: z.number(),
      problems: z.array(
        z.object({
          field: z.string(),
          code: z.string(),
          message: z.string(),
          didYouMean: z.string().optional(),
        }),
      ),
    }),
  ),
  moreRejectedRows: z.boolean(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type ImportView = z.infer<typeof importViewSchema>;

function viewOf(row: ImportRow, rejected: Awaited<ReturnType<typeof readRejections>>): ImportView {
  return {
    id: row.id,
    kind: row.kind,
    fileName: row.fileName,
    format: row.format as 'csv' | 'xlsx',
    status: row.status,
    phase: (row.phase as ImportView['phase']) ?? null,
    dryRun: row.options.dryRun,
    match: row.options.match ?? null,
    onError: row.options.onError,
    rowsRead: row.rowsRead,
    created: row.created,
    updated: row.updated,
    unchanged: row.unchanged,
    rejected: row.rejected,
    bytesRead: row.bytesRead,
    totalBytes: row.totalBytes,
    columns: row.columns ?? [],
    message: row.message,
    rejectedRows: rejected
      .slice(0, LISTED_REJECTIONS)
      .map((r) => ({ row: r.rowNumber, problems: r.problems })),
    moreRejectedRows: rejected.length > LISTED_REJECTIONS,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

/** An import's status, progress, counts, column report and first rejected rows (its creator or an admin). */
export async function importView(ctx: DirectoryContext, id: string): Promise<ImportView> {
  const row = await findImport(ctx, id);
  return viewOf(row, await readRejections(ctx.db, { importId: row.id, limit: LISTED_REJECTIONS + 1 }));
}

/** One line: what the import did (or would do), for people. */
export function importSummary(view: ImportView): string {
  const would = view.dryRun ? 'would ' : '';
  const counts = `${view.rowsRead.toLocaleString('en-US')} rows read: ${would}create ${view.created}, ${would}update ${view.updated}, unchanged ${view.unchanged}, rejected ${view.rejected}`;
  const ignored = view.columns.filter((c) => c.ignored).map((c) => `"${c.header}" (${c.ignored})`);
  const state =
    view.status === 'completed'
      ? view.dryRun
        ? 'Dry run, nothing written'
        : 'Imported'
      : view.status === 'rejected'
        ? 'Nothing written'
        : view.status === 'failed'
          ? 'Import failed'
          : `Import ${view.status}`;
  return `${state} (${view.fileName}, import ${view.id}): ${counts}.${view.message ? ` ${view.message}` : ''}${ignored.length ? ` Columns not imported: ${ignored.join(', ')}.` : ''}`;
}

/**
 * The rejected rows as CSV: the file's own columns plus Error (every problem of the row), so the
 * file can be fixed and imported again. Formula-like cells are neutralized as in exports (an
 * import reads them back).
 */
export async function writeRejectedRowsCsv(
  ctx: DirectoryContext,
  options: { id: string; output: ExportOutput },
): Promise<void> {
  const row = await findImport(ctx, options.id);
  const headers = row.headers ?? [];
  const sink = openCsvSink(options.output, [...headers, 'Error']);
  let after = 0;
  for (;;) {
    const page = await readRejections(ctx.db, { importId: row.id, afterRow: after, limit: 1000 });
    if (!page.length) break;
    for (const rejected of page) {
      const cells = headers.map((_, index) => rejected.cells[index] ?? '');
      const error = rejected.problems
        .map((p) => `${p.field}: ${p.message}${p.didYouMean ? ` (did you mean ${p.didYouMean}?)` : ''}`)
        .join('; ');
      sink.writeRow([...cells, error]);
    }
    after = page.at(-1)!.rowNumber;
    await sink.drain();
  }
  await sink.finish();
}

export type { ImportProgress } from './import-run.ts';
