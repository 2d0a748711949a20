import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { type ImportRow, imports } from '../../db/schema/index.ts';
import { requirePermission } from '../access/principal.ts';
import { writeAudit } from '../audit.ts';
import type { DirectoryContext } from '../context.ts';
import { toDirectoryError, uniqueViolation } from '../db-errors.ts';
import { DirectoryError } from '../errors.ts';
import { type ColumnPlan, parseColumnMap, planColumns } from './header-map.ts';
import {
  type ClassifyOptions,
  classifyBatch,
  type PreparedRow,
  prepareRow,
  type RowOutcome,
  rowKeys,
} from './import-classify.ts';
import type { ImportSource, RowReader } from './import-rows.ts';
import { clearRejections, deleteImportFile, readWrittenRows, saveImportState } from './import-store.ts';
import { saveRejections, storable, writeBatch } from './import-write.ts';
import { type CsvEncoding, detectEncoding, readCsv } from './read-csv.ts';
import { readXlsx } from './read-xlsx.ts';

/** Rows checked and written together (one lookup query, one insert, one transaction in skip mode). */
export const BATCH_ROWS = 500;

export interface ImportCounts {
  rowsRead: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

export interface ImportProgress extends ImportCounts {
  phase: 'validating' | 'writing';
  bytesRead: number;
  totalBytes?: number;
}

const emptyCounts = (): ImportCounts => ({ rowsRead: 0, created: 0, updated: 0, unchanged: 0, rejected: 0 });

/** A 48-bit hash of a key: the file's emails and codes are remembered in constant-size numbers. */
function keyHash(key: string): number {
  return createHash('md5').update(key).digest().readUIntBE(0, 6);
}

interface Pass {
  write: boolean;
  /** The one transaction of an all-or-nothing import's writing pass. */
  tx?: Tx;
}

class ImportRun {
  private encoding?: CsvEncoding;
  private plan?: ColumnPlan;
  private readonly opts: ImportRow['options'];
  private readonly classify: Omit<ClassifyOptions, 'plan'>;

  constructor(
    private readonly ctx: DirectoryContext,
    private readonly record: ImportRow,
    private readonly source: ImportSource,
    private readonly written: Map<number, 'created' | 'updated'>,
    private readonly onProgress?: (progress: ImportProgress) => void,
  ) {
    this.opts = record.options;
    this.classify = {
      kind: record.kind,
      principal: ctx.actor.principal,
      ...(record.options.match ? { match: record.options.match } : {}),
    };
  }

  private async open(): Promise<RowReader> {
    if (this.source.format === 'xlsx') return readXlsx(this.source, this.opts.sheet);
    this.encoding ??= await detectEncoding(this.source);
    return readCsv(this.source, this.encoding);
  }

  /** Reads the header row into the column plan (saved with the import on the first pass). */
  private async readPlan(headers: string[]): Promise<ColumnPlan> {
    if (this.plan) return this.plan;
    const trimmed = headers.map((header) => storable(header.trim()));
    const plan = planColumns({
      headers: trimmed,
      kind: this.record.kind,
      map: parseColumnMap(this.opts.map),
    });
    await saveImportState(this.ctx.db, this.record.id, { headers: trimmed, columns: plan.columns });
    const has = (field: 'email' | 'firstName' | 'name') => plan.fieldColumns.has(field);
    if (!has('email') || !(has('firstName') || has('name')))
      throw new DirectoryError(
        'validation',
        `The file has no ${has('email') ? 'first name (or Name)' : 'Email'} column; its headers: ${trimmed.join(', ') || 'none'}.`,
        {
          hint: 'Name the column (Email, First name or Name, ...) or map it: --map "Your header=email".',
          details: { columns: plan.columns },
        },
      );
    this.plan = plan;
    return plan;
  }

  /** Reads every row once, checking (and, in a writing pass, writing) them in batches. */
  async pass(pass: Pass): Promise<ImportCounts> {
    const counts = emptyCounts();
    const seen = new Map<number, number>();
    const reader = await this.open();
    let plan: ColumnPlan | undefined;
    let batch: PreparedRow[] = [];
    let batchKeys = new Set<string>();
    const phase = pass.write ? 'writing' : 'validating';
    const flush = async () => {
      if (!batch.length) return;
      const outcomes = await this.runBatch(batch, pass, seen);
      for (const outcome of outcomes) {
        if (outcome.type === 'create') counts.created++;
        else if (outcome.type === 'update') counts.updated++;
        else if (outcome.type === 'unchanged') counts.unchanged++;
        else counts.rejected++;
        if (outcome.type !== 'rejected')
          for (const key of rowKeys(outcome.prepared))
            if (!seen.has(keyHash(key))) seen.set(keyHash(key), outcome.prepared.row.rowNumber);
      }
      batch = [];
      batchKeys = new Set();
      const progress: ImportProgress = {
        phase,
        ...counts,
        bytesRead: reader.bytesRead(),
        ...(this.source.totalBytes !== undefined ? { totalBytes: this.source.totalBytes } : {}),
      };
      await saveImportState(pass.tx ?? this.ctx.db, this.record.id, {
        phase,
        bytesRead: progress.bytesRead,
        rowsRead: counts.rowsRead,
        created: counts.created,
        updated: counts.updated,
        unchanged: counts.unchanged,
        rejected: counts.rejected,
      });
      this.onProgress?.(progress);
    };
    for await (const row of reader.rows) {
      if (!plan) {
        plan = await this.readPlan(row.cells);
        continue;
      }
      counts.rowsRead++;
      const done = this.written.get(row.rowNumber);
      if (done) {
        // Written by an earlier attempt of this import, in the transaction that recorded it.
        counts[done]++;
        continue;
      }
      const prepared = prepareRow(row, { ...this.classify, plan });
      const keys = rowKeys(prepared);
      // A row naming a record an earlier row of this batch writes waits for that row's batch.
      if (keys.some((key) => batchKeys.has(key))) await flush();
      batch.push(prepared);
      for (const key of keys) batchKeys.add(key);
      if (batch.length >= BATCH_ROWS) await flush();
    }
    if (!plan) throw new DirectoryError('validation', 'The file is empty: no header row.');
    await flush();
    return counts;
  }

  private async runBatch(batch: PreparedRow[], pass: Pass, seen: Map<number, number>): Promise<RowOutcome[]> {
    const plan = this.plan!;
    const earlier = (key: string) => (pass.write ? undefined : seen.get(keyHash(key)));
    const classify = (db: Parameters<typeof classifyBatch>[0], rows: PreparedRow[]) =>
      classifyBatch(db, { ...this.classify, plan, batch: rows, forUpdate: pass.write, earlier });
    if (!pass.write) {
      const outcomes = await classify(this.ctx.db, batch);
      await saveRejections(this.ctx.db, this.record.id, outcomes);
      return outcomes;
    }
    const write = async (tx: Tx, rows: PreparedRow[]) => {
      const outcomes = await classify(tx, rows);
      const rejected = outcomes.find((outcome) => outcome.type === 'rejected');
      if (pass.tx && rejected?.type === 'rejected')
        throw new DirectoryError(
          'conflict',
          `Row ${rejected.prepared.row.rowNumber} can no longer be imported (${rejected.problems[0]?.message}); the directory changed during the import, and nothing was written.`,
          { hint: 'Run the import again.' },
        );
      await writeBatch(tx, this.ctx, { importId: this.record.id, kind: this.record.kind, outcomes });
      return outcomes;
    };
    if (pass.tx) return write(pass.tx, batch);
    try {
      return await this.ctx.db.transaction((tx) => write(tx, batch));
    } catch (error) {
      // A record created meanwhile by someone else: write row by row, rejecting the rows it hits.
      if (!uniqueViolation(error)) throw error;
      const outcomes: RowOutcome[] = [];
      for (const prepared of batch) {
        try {
          outcomes.push(...(await this.ctx.db.transaction((tx) => write(tx, [prepared]))));
        } catch (rowError) {
          const constraint = uniqueViolation(rowError);
          if (constraint === undefined) throw rowError;
          const field = constraint.includes('code') ? 'code' : 'email';
          const rejected: RowOutcome = {
            type: 'rejected',
            prepared,
            problems: [
              { field, code: 'duplicate', message: `This ${field} was taken while the import ran.` },
            ],
          };
          await saveRejections(this.ctx.db, this.record.id, [rejected]);
          outcomes.push(rejected);
        }
      }
      return outcomes;
    }
  }
}

/** Marks the import finished and, for a real import, writes its one history entry. */
async function finish(
  db: DirectoryContext['db'] | Tx,
  ctx: DirectoryContext,
  record: ImportRow,
  options: { status: 'completed' | 'rejected'; counts: ImportCounts; message?: string; audit: boolean },
): Promise<void> {
  const { counts } = options;
  await saveImportState(db, record.id, {
    status: options.status,
    phase: null,
    ...counts,
    message: options.message ?? null,
    finishedAt: ctx.clock.now(),
  });
  if (options.audit)
    await writeAudit(db, {
      actor: ctx.actor,
      action: 'import',
      details: {
        importId: record.id,
        kind: record.kind,
        fileName: record.fileName,
        counts,
        options: record.options,
      },
    });
  await deleteImportFile(db, record.id);
}

/**
 * Runs an import to its end, as its creator (the context's actor). A dry run reads every row and
 * writes nothing but the import's own report. `abort` (all or nothing) checks every row first
 * and then writes them all in one transaction, only when none is rejected; `skip` writes the
 * valid rows batch by batch, each batch in its own transaction. Rows written by an earlier
 * attempt of the same import (a retried job) are not written again. Resolves with the import as
 * it ended; a file that cannot be read fails the import with its reason (a DirectoryError).
 */
export async function runImport(
  ctx: DirectoryContext,
  options: {
    importId: string;
    source: ImportSource;
    onProgress?: (progress: ImportProgress) => void;
    /** False while the queue will try again after an unexpected failure (the import stays running). */
    finalAttempt?: boolean;
  },
): Promise<ImportRow> {
  const read = async () => (await ctx.db.select().from(imports).where(eq(imports.id, options.importId)))[0];
  const record = await read();
  if (!record) throw new DirectoryError('not_found', `Import ${options.importId} was not found.`);
  if (record.status !== 'queued' && record.status !== 'running') return record;
  requirePermission(ctx.actor.principal, 'write', 'import records');
  await saveImportState(ctx.db, record.id, { status: 'running', startedAt: ctx.clock.now(), message: null });
  const written = await readWrittenRows(ctx.db, record.id);
  await clearRejections(ctx.db, record.id);
  const run = new ImportRun(ctx, record, options.source, written, options.onProgress);
  const { dryRun, onError } = record.options;
  try {
    if (!dryRun && onError === 'skip') {
      const counts = await run.pass({ write: true });
      await ctx.db.transaction((tx) => finish(tx, ctx, record, { status: 'completed', counts, audit: true }));
    } else {
      const checked = await run.pass({ write: false });
      if (dryRun) {
        await finish(ctx.db, ctx, record, { status: 'completed', counts: checked, audit: false });
      } else if (checked.rejected > 0) {
        await finish(ctx.db, ctx, record, {
          status: 'rejected',
          counts: { ...checked, created: 0, updated: 0, unchanged: 0 },
          message: `${checked.rejected} row(s) rejected; nothing was written (on error: abort). Fix them, or import with on error: skip.`,
          audit: false,
        });
      } else {
        await ctx.db.transaction(async (tx) => {
          const counts = await run.pass({ write: true, tx });
          await finish(tx, ctx, record, { status: 'completed', counts, audit: true });
        });
      }
    }
  } catch (caught) {
    const error = toDirectoryError(caught);
    const expected = error.code !== 'internal' && !error.retryable;
    if (expected || options.finalAttempt !== false) {
      await saveImportState(ctx.db, record.id, {
        status: 'failed',
        phase: null,
        message: expected
          ? storable(error.message)
          : 'The import failed on our side; nothing more was written. Try again.',
        finishedAt: ctx.clock.now(),
      });
      await deleteImportFile(ctx.db, record.id);
    }
    if (!expected) throw caught;
  }
  return (await read())!;
}
