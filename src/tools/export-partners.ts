import { Writable } from 'node:stream';
import {
  exportContentType,
  exportFileName,
  exportResult,
  writePartnersExport,
} from '../directory/exports/export.ts';
import {
  countExportRows,
  createExportLink,
  filtersOf,
  type PartnersExportRequest,
  partnersExportRequest,
} from '../directory/exports/export-links.ts';
import { defineTool, type ToolContext } from './define-tool.ts';

const EMBED_LIMIT_BYTES = 1024 * 1024;
/** Above this many rows the CSV cannot be under 1 MB, so it is not rendered for embedding. */
const EMBED_MAX_ROWS = 8_000;

/** Renders a small CSV export in memory; undefined when it reaches 1 MB. */
async function renderSmallCsv(ctx: ToolContext, request: PartnersExportRequest): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size < EMBED_LIMIT_BYTES) chunks.push(Buffer.from(chunk));
      done();
    },
  });
  await writePartnersExport(ctx, {
    filters: filtersOf(request),
    format: 'csv',
    columns: request.columns,
    output: sink,
  });
  // The download keeps its BOM (for Excel); embedded text is plain UTF-8 without it.
  return size < EMBED_LIMIT_BYTES
    ? Buffer.concat(chunks)
        .toString('utf8')
        .replace(/^\uFEFF/, '')
    : undefined;
}

export const exportPartnersTool = defineTool({
  name: 'export_partners',
  title: 'Export customers or suppliers to CSV or Excel',
  description:
    'Exports the records matching search filters (same filters as search_partners) as CSV or XLSX. Returns the row count and a download link valid for 1 hour (same Authorization header); a CSV under 1 MB is also attached. Spreadsheet formulas in data are neutralized. Use for "send me the list" or offline review. Example: {"kind":"customer","countries":["DE"],"format":"xlsx"}.',
  inputSchema: partnersExportRequest,
  outputSchema: exportResult,
  effect: 'read',
  idempotent: false,
  permission: 'read',
  async handler(input, ctx) {
    const format = input.format ?? 'csv';
    const rowCount = await countExportRows(ctx, input);
    const link = await createExportLink(ctx, { subject: 'partners', format, request: input, rowCount });
    const url = `${ctx.publicUrl}/exports/${link.id}`;
    const fileName = exportFileName({
      kind: input.kind,
      format,
      at: ctx.clock.now(),
      timeZone: ctx.timeZone,
    });
    const csv = format === 'csv' && rowCount <= EMBED_MAX_ROWS ? await renderSmallCsv(ctx, input) : undefined;
    const mimeType = exportContentType(format);
    return {
      structured: {
        rowCount,
        format,
        url,
        expiresAt: link.expiresAt.toISOString(),
        fileName,
        embedded: csv !== undefined,
      },
      text: `Exported ${rowCount.toLocaleString('en-US')} row(s) as ${format.toUpperCase()}: ${url} (valid 1 hour${csv ? '; the CSV is attached' : ''}).`,
      links: [
        {
          uri: url,
          name: fileName,
          mimeType,
          description: `${rowCount} rows, valid until ${link.expiresAt.toISOString()}`,
        },
      ],
      ...(csv ? { resources: [{ uri: url, mimeType, text: csv }] } : {}),
    };
  },
});
