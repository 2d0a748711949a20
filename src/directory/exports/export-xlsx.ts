import type { Stream } from 'node:stream';
import { finished } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import type { ExportCell } from './export-columns.ts';
import {
  CHUNK_CHARS,
  closedError,
  type ExportOutput,
  isClosed,
  neutralizeCell,
  type TableSink,
} from './export-writers.ts';

/** Data rows per sheet: Excel's limit of 1,048,576 rows, less the header row. */
export const XLSX_MAX_ROWS_PER_SHEET = 1_048_575;
/** Excel shows at most 32,767 characters in a cell; longer text makes it "repair" the file. */
const XLSX_MAX_CELL_CHARS = 32_767;

// biome-ignore lint/suspicious/noControlCharactersInRegex: characters XML forbids, and those it must escape
const xmlSpecial = /[&<>\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|_x[0-9A-Fa-f]{4}_/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: these characters are not allowed in XML 1.0
const xmlInvalid = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/**
 * Text as XML character data: &, < and > escaped, CR kept as &#13; (a parser turns a literal
 * CR LF into LF), characters XML 1.0 forbids dropped, and "_x0041_"-like text escaped as
 * "_x005F_x0041_" (OOXML reads _xHHHH_ in strings as a character code).
 */
function xmlText(text: string): string {
  if (!xmlSpecial.test(text)) return text;
  return text
    .replace(xmlInvalid, '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('\r', '&#13;')
    .replace(/_(x[0-9A-Fa-f]{4}_)/g, '_x005F_$1');
}

/** A text cell as XLSX needs it: neutralized and within Excel's 32,767 characters. */
function xlsxText(value: string): string {
  const text = neutralizeCell(value);
  return text.length > XLSX_MAX_CELL_CHARS ? `${text.slice(0, XLSX_MAX_CELL_CHARS - 1)}…` : text;
}

const decimalPattern = /^\d+(\.\d+)?$/;

/** Column letters: 0 -> A, 25 -> Z, 26 -> AA. */
export function columnLetters(index: number): string {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) {
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  }
  return letters;
}

/**
 * One <row> of SpreadsheetML. Text is an inline string (t="inlineStr"), never a formula;
 * numbers and amounts (exact decimal strings) are number cells; empty cells are left out.
 */
function xlsxRow(options: {
  cells: readonly ExportCell[];
  rowNumber: number;
  letters: readonly string[];
  amountColumns: readonly boolean[];
}): string {
  const { cells, rowNumber, letters, amountColumns } = options;
  let xml = `<row r="${rowNumber}">`;
  for (let index = 0; index < cells.length; index++) {
    const cell = cells[index];
    if (cell === null || cell === undefined || cell === '') continue;
    const ref = `${letters[index]}${rowNumber}`;
    if (typeof cell === 'number' || (amountColumns[index] && decimalPattern.test(cell))) {
      xml += `<c r="${ref}"><v>${cell}</v></c>`;
    } else {
      const text = xmlText(xlsxText(cell));
      const space = /^\s|\s$/.test(text) ? ' xml:space="preserve"' : '';
      xml += `<c r="${ref}" t="inlineStr"><is><t${space}>${text}</t></is></c>`;
    }
  }
  return `${xml}</row>`;
}

/** The internals of exceljs's streaming writer the pressure gauge reads (see openXlsxSink). */
interface StreamState {
  length?: number;
}
interface SheetStreamInternals {
  /** XML exceljs holds before the zip takes the sheet (or while a 64 KB block fills). */
  buffers?: { length: number }[];
  /** archiver's PassThrough (readable-stream 2: no writableLength getter, hence the states). */
  pipes?: { _writableState?: StreamState; _readableState?: StreamState }[];
}

/**
 * Bytes of sheet XML written but not yet taken by the compressor: exceljs's own buffers plus
 * the queue of the PassThrough archiver reads the sheet from (exceljs ignores its write result).
 */
export function pendingSheetBytes(worksheet: ExcelJS.Worksheet): number {
  const stream = (worksheet as unknown as { stream?: SheetStreamInternals }).stream;
  let pending = 0;
  for (const buffer of stream?.buffers ?? []) pending += buffer.length;
  for (const pipe of stream?.pipes ?? []) {
    pending += (pipe._writableState?.length ?? 0) + (pipe._readableState?.length ?? 0);
  }
  return pending;
}

/**
 * zlib level of the zip: 1 compresses these sheets about 25% less than the default 6 but takes
 * about half the CPU, and the compressor is what limits an XLSX export.
 */
export const XLSX_COMPRESSION_LEVEL = 1;

/** Above this much uncompressed XML waiting for the compressor the producer pauses, until below the resume mark. */
const XLSX_PAUSE_BYTES = 4 * 1024 * 1024;
const XLSX_RESUME_BYTES = 1024 * 1024;

export interface XlsxSinkOptions {
  headers: readonly string[];
  /** Per column: amount cells (decimal strings) are written as numbers. */
  amountColumns: readonly boolean[];
  /** Name of the first sheet; later ones are "<name> (2)", "<name> (3)". */
  sheetName: string;
  /** Data rows per sheet before continuing on a new one (default: Excel's limit). */
  rowsPerSheet?: number;
  /** zlib level of the XLSX zip (1 fastest to 9 smallest). */
  compressionLevel?: number;
}

/**
 * XLSX through exceljs's streaming workbook writer (no shared strings, no styles): exceljs
 * writes the package (workbook, relations, content types) and the sheet frame; the rows'
 * XML is ours, written into the sheet's stream. exceljs's row model costs about 15 µs a row
 * at 24 columns, which alone kept the export under 50k rows/s; a template string costs ~2 µs.
 * Text cells are inline strings, never formulas: the sheet holds no <f> element. Past Excel's
 * 1,048,575 data rows per sheet the export continues on a new sheet with the same header.
 *
 * exceljs applies no backpressure: what it is given is queued in front of the zip compressor,
 * which is slower than the database. So after each batch the producer waits while more than
 * XLSX_PAUSE_BYTES of XML are queued; the queue drains only as fast as the output takes the
 * compressed bytes (the zip is piped to it with backpressure), so a slow reader slows the
 * database reads instead of filling memory.
 */
export function openXlsxSink(output: ExportOutput, options: XlsxSinkOptions): TableSink {
  const rowsPerSheet = Math.min(options.rowsPerSheet ?? XLSX_MAX_ROWS_PER_SHEET, XLSX_MAX_ROWS_PER_SHEET);
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: output as Stream,
    useStyles: false,
    useSharedStrings: false,
    zip: { zlib: { level: options.compressionLevel ?? XLSX_COMPRESSION_LEVEL } },
  });
  let failure: Error | undefined;
  // The zip stream's errors would otherwise be unhandled (exceljs listens only while committing).
  (workbook as unknown as { zip: NodeJS.EventEmitter }).zip.on('error', (error: Error) => {
    failure ??= error;
  });
  const letters = options.headers.map((_, index) => columnLetters(index));
  const noAmounts = options.headers.map(() => false);
  let sheetCount = 0;
  let sheet: ExcelJS.Worksheet | undefined;
  let rowNumber = 0;

  const sheetStream = (worksheet: ExcelJS.Worksheet) =>
    (worksheet as unknown as { stream: { write(xml: string): void } }).stream;

  let xml = '';
  const flush = () => {
    if (sheet && xml) sheetStream(sheet).write(xml);
    xml = '';
  };

  const openSheet = () => {
    flush();
    sheet?.commit();
    sheetCount++;
    sheet = workbook.addWorksheet(
      sheetCount === 1 ? options.sheetName : `${options.sheetName} (${sheetCount})`,
    );
    // An empty committed row makes exceljs write the sheet's opening up to <sheetData>.
    sheet.addRow([]).commit();
    xml = xlsxRow({ cells: options.headers, rowNumber: 1, letters, amountColumns: noAmounts });
    rowNumber = 1;
    return sheet;
  };

  const check = () => {
    if (failure) throw failure;
    if (isClosed(output)) throw closedError();
  };

  return {
    writeRow(cells) {
      if (!sheet || rowNumber > rowsPerSheet) openSheet();
      rowNumber++;
      xml += xlsxRow({ cells, rowNumber, letters, amountColumns: options.amountColumns });
      if (xml.length >= CHUNK_CHARS) flush();
    },
    async drain() {
      flush();
      check();
      if (!sheet || pendingSheetBytes(sheet) <= XLSX_PAUSE_BYTES) return;
      // Polled: exceljs ignores the compressor's write results, so no 'drain' reaches us.
      while (pendingSheetBytes(sheet) > XLSX_RESUME_BYTES) {
        await new Promise((resolve) => setTimeout(resolve, 2));
        check();
      }
    },
    async finish() {
      if (!sheet) openSheet();
      flush();
      check();
      // exceljs's commit waits for the output's 'finish' only: if the output fails first it
      // never settles, so `finished` (which rejects on an error or an early close) races it.
      const committed = workbook.commit();
      committed.catch(() => {});
      await Promise.all([committed, finished(output)]);
      if (failure) throw failure;
    },
  };
}
