import type { Stream, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import type { ExportCell } from './export-columns.ts';

export const exportFormats = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof exportFormats)[number];

/** Where an export is written: a file, an HTTP response, a PassThrough. The export ends it. */
export type ExportOutput = NodeJS.WritableStream | Writable;

/** Excel's limit: 1,048,576 rows per sheet, the header row included. */
export const XLSX_MAX_ROWS_PER_SHEET = 1_048_575;
/** Excel shows at most 32,767 characters in a cell; longer text makes it "repair" the file. */
const XLSX_MAX_CELL_CHARS = 32_767;

/**
 * Neutralizes spreadsheet formulas (OWASP CSV injection; ASVS 5.0 V1.2.10): a cell starting
 * with = + - @, tab, carriage return or line feed gets a leading single quote, so Excel,
 * LibreOffice and Sheets show it as text instead of evaluating it.
 */
export function neutralizeCell(value: string): string {
  switch (value.charCodeAt(0)) {
    case 0x3d: // =
    case 0x2b: // +
    case 0x2d: // -
    case 0x40: // @
    case 0x09: // tab
    case 0x0d: // CR
    case 0x0a: // LF
      return `'${value}`;
    default:
      return value;
  }
}

/** A table being written: the rows of each batch, then finish. */
export interface TableSink {
  /** Writes one batch of rows; resolves when the output can take more (backpressure). */
  writeRows(rows: readonly ExportCell[][]): Promise<void>;
  /** Ends the file and the output; resolves once everything is flushed. */
  finish(): Promise<void>;
}

/** Resolves when a writable has drained; rejects when it errors or closes first. */
export function waitForDrain(output: ExportOutput): Promise<void> {
  return new Promise((resolve, reject) => {
    if (isClosed(output)) {
      reject(closedError());
      return;
    }
    const cleanup = () => {
      output.off('drain', onDrain);
      output.off('error', onError);
      output.off('close', onClose);
    };
    const onDrain = () => {
      cleanup();
      resolve();
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onClose = () => {
      cleanup();
      reject(closedError());
    };
    output.on('drain', onDrain);
    output.on('error', onError);
    output.on('close', onClose);
  });
}

/** Whether the output was destroyed (e.g. the HTTP client went away): writing more is pointless. */
function isClosed(output: ExportOutput): boolean {
  const state = output as Partial<Writable>;
  return state.destroyed === true || state.writableEnded === true;
}

function closedError(): Error {
  return new Error('The export output was closed before the export finished.');
}

async function endOutput(output: ExportOutput): Promise<void> {
  output.end();
  await finished(output);
}

const csvNeedsQuotes = /[",\r\n]/;

/** One RFC 4180 field: quoted when it holds a comma, a quote or a line break, quotes doubled. */
export function csvField(cell: ExportCell): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return String(cell);
  const text = neutralizeCell(cell);
  return csvNeedsQuotes.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV record with its CRLF line ending. */
export function csvRecord(cells: readonly ExportCell[]): string {
  let line = '';
  for (let index = 0; index < cells.length; index++) {
    if (index > 0) line += ',';
    line += csvField(cells[index]!);
  }
  return `${line}\r\n`;
}

/**
 * CSV as RFC 4180: a header row, fields with commas, quotes or line breaks quoted, quotes
 * doubled, CRLF line endings. The file starts with a UTF-8 byte order mark: without it Excel
 * reads a CSV in the local ANSI code page and garbles accents (Nguyễn, Müller).
 *
 * The encoding is ours, not csv-stringify's: at 24 columns csv-stringify costs about 8 µs a
 * row here (a cast callback and several scans per field), more than reading the row from
 * PostgreSQL, which alone caps the export near 120k rows/s; this loop costs about 1 µs. The
 * tests check it against csv-stringify on awkward values.
 */
export function openCsvSink(output: ExportOutput, headers: readonly string[]): TableSink {
  let started = false;
  const write = async (chunk: string) => {
    if (isClosed(output)) throw closedError();
    if (!output.write(chunk)) await waitForDrain(output);
  };
  const start = async () => {
    if (started) return;
    started = true;
    await write(`\uFEFF${csvRecord(headers)}`);
  };
  return {
    async writeRows(rows) {
      await start();
      let chunk = '';
      for (const row of rows) chunk += csvRecord(row);
      if (chunk) await write(chunk);
    },
    async finish() {
      await start();
      await endOutput(output);
    },
  };
}

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

  const openSheet = () => {
    sheet?.commit();
    sheetCount++;
    sheet = workbook.addWorksheet(
      sheetCount === 1 ? options.sheetName : `${options.sheetName} (${sheetCount})`,
    );
    // An empty committed row makes exceljs write the sheet's opening up to <sheetData>.
    sheet.addRow([]).commit();
    sheetStream(sheet).write(
      xlsxRow({ cells: options.headers, rowNumber: 1, letters, amountColumns: noAmounts }),
    );
    rowNumber = 1;
    return sheet;
  };

  const check = () => {
    if (failure) throw failure;
    if (isClosed(output)) throw closedError();
  };
  const relievePressure = async (current: ExcelJS.Worksheet) => {
    check();
    if (pendingSheetBytes(current) <= XLSX_PAUSE_BYTES) return;
    // Polled: exceljs ignores the compressor's write results, so no 'drain' reaches us.
    while (pendingSheetBytes(current) > XLSX_RESUME_BYTES) {
      await new Promise((resolve) => setTimeout(resolve, 2));
      check();
    }
  };

  return {
    async writeRows(rows) {
      let current = sheet ?? openSheet();
      let xml = '';
      for (const cells of rows) {
        if (rowNumber > rowsPerSheet) {
          sheetStream(current).write(xml);
          xml = '';
          await relievePressure(current);
          current = openSheet();
        }
        rowNumber++;
        xml += xlsxRow({ cells, rowNumber, letters, amountColumns: options.amountColumns });
      }
      if (xml) sheetStream(current).write(xml);
      await relievePressure(current);
    },
    async finish() {
      if (!sheet) openSheet();
      await workbook.commit();
      await finished(output);
    },
  };
}
