import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { and, asc, eq, gt } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.ts';
import {
  type ImportRow,
  importFileChunks,
  importRecords,
  importRejections,
  imports,
  type StoredImportOptions,
} from '../../db/schema/index.ts';
import { requirePermission } from '../access/principal.ts';
import type { DirectoryContext } from '../context.ts';
import { notFound } from '../errors.ts';
import type { PartnerKind } from '../partners/partner-schema.ts';
import type { ImportSource } from './import-rows.ts';

const CHUNK_BYTES = 1024 * 1024;

/** Records a new import (queued), as the context's actor. Needs the write permission, dry runs too. */
export async function createImportRecord(
  ctx: DirectoryContext,
  options: {
    kind: PartnerKind;
    fileName: string;
    format: 'csv' | 'xlsx';
    options: StoredImportOptions;
    totalBytes?: number;
  },
): Promise<ImportRow> {
  requirePermission(ctx.actor.principal, 'write', 'import records');
  const { principal, via, clientName } = ctx.actor;
  const [row] = await ctx.db
    .insert(imports)
    .values({
      kind: options.kind,
      fileName: options.fileName.slice(0, 255),
      format: options.format,
      options: options.options,
      actor: { principal, via, ...(clientName ? { clientName } : {}) },
      timeZone: ctx.timeZone,
      totalBytes: options.totalBytes ?? null,
      createdAt: ctx.clock.now(),
    })
    .returning();
  return row!;
}

/** Stores an uploaded file in 1 MB pieces, reading it as it arrives; returns its size in bytes. */
export async function storeImportFile(
  db: Db,
  options: {
    importId: string;
    body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
    maxBytes: number;
    onTooLarge: () => Error;
  },
): Promise<{ bytes: number; firstBytes: Uint8Array }> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let total = 0;
  let seq = 0;
  let firstBytes = new Uint8Array();
  const flush = async () => {
    if (!pendingBytes) return;
    await db
      .insert(importFileChunks)
      .values({ importId: options.importId, seq: seq++, data: Buffer.concat(pending) });
    pending = [];
    pendingBytes = 0;
  };
  for await (const chunk of options.body) {
    if (total === 0) firstBytes = chunk.slice(0, 8);
    total += chunk.length;
    if (total > options.maxBytes) throw options.onTooLarge();
    pending.push(Buffer.from(chunk));
    pendingBytes += chunk.length;
    if (pendingBytes >= CHUNK_BYTES) await flush();
  }
  await flush();
  await db.update(imports).set({ totalBytes: total }).where(eq(imports.id, options.importId));
  return { bytes: total, firstBytes };
}

/** The stored file of an import as a source any replica can read, one piece at a time. */
export function storedSource(
  db: Db,
  row: Pick<ImportRow, 'id' | 'fileName' | 'format' | 'totalBytes'>,
): ImportSource {
  return {
    fileName: row.fileName,
    format: row.format as 'csv' | 'xlsx',
    ...(row.totalBytes !== null ? { totalBytes: row.totalBytes } : {}),
    open: () =>
      Readable.from(
        (async function* () {
          for (let seq = 0; ; seq++) {
            const [piece] = await db
              .select({ data: importFileChunks.data })
              .from(importFileChunks)
              .where(and(eq(importFileChunks.importId, row.id), eq(importFileChunks.seq, seq)));
            if (!piece) return;
            yield piece.data;
          }
        })(),
      ),
  };
}

/**
 * Runs `work` on a copy of the source in a temporary file (removed afterwards): an import reads
 * its file once per pass, and the writing pass of an all-or-nothing import holds a transaction
 * that the database cannot serve other reads beside (PGlite has one connection).
 */
export async function withLocalCopy<T>(
  source: ImportSource,
  work: (local: ImportSource) => Promise<T>,
): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'partnerbook-import-'));
  const path = join(dir, 'file');
  try {
    await pipeline(source.open(), createWriteStream(path));
    return await work({ ...source, open: () => createReadStream(path, { highWaterMark: 256 * 1024 }) });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function deleteImportFile(db: DbOrTx, importId: string): Promise<void> {
  await db.delete(importFileChunks).where(eq(importFileChunks.importId, importId));
}

/** An import the caller may read: its own, or any for admins; others are not found. */
export async function findImport(ctx: DirectoryContext, id: string): Promise<ImportRow> {
  requirePermission(ctx.actor.principal, 'read', 'read imports');
  const valid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
  const [row] = valid ? await ctx.db.select().from(imports).where(eq(imports.id, id.toLowerCase())) : [];
  const { principal } = ctx.actor;
  if (!row || (principal.role !== 'admin' && row.actor.principal.id !== principal.id))
    throw notFound(`Import ${id}`);
  return row;
}

export interface RejectedRow {
  rowNumber: number;
  cells: string[];
  problems: { field: string; code: string; message: string; didYouMean?: string }[];
}

/** Rejected rows of an import in row order, after `afterRow`, at most `limit`. */
export async function readRejections(
  db: DbOrTx,
  options: { importId: string; afterRow?: number; limit: number },
): Promise<RejectedRow[]> {
  return db
    .select({
      rowNumber: importRejections.rowNumber,
      cells: importRejections.cells,
      problems: importRejections.problems,
    })
    .from(importRejections)
    .where(
      and(
        eq(importRejections.importId, options.importId),
        gt(importRejections.rowNumber, options.afterRow ?? 0),
      ),
    )
    .orderBy(asc(importRejections.rowNumber))
    .limit(options.limit);
}

/** Row numbers an import already wrote (a retried import skips them) and what each did. */
export async function readWrittenRows(
  db: DbOrTx,
  importId: string,
): Promise<Map<number, 'created' | 'updated'>> {
  const rows = await db
    .select({ rowNumber: importRecords.rowNumber, action: importRecords.action })
    .from(importRecords)
    .where(eq(importRecords.importId, importId));
  return new Map(rows.map((row) => [row.rowNumber, row.action as 'created' | 'updated']));
}

/** Updates an import's standing (status, phase, counts, ...). */
export async function saveImportState(
  db: DbOrTx,
  importId: string,
  values: Partial<Omit<ImportRow, 'id' | 'kind' | 'options' | 'actor'>>,
): Promise<void> {
  await db.update(imports).set(values).where(eq(imports.id, importId));
}

/** Forgets the rejected rows of an earlier attempt (a retry reads every row again). */
export async function clearRejections(db: DbOrTx, importId: string): Promise<void> {
  await db.delete(importRejections).where(eq(importRejections.importId, importId));
}
