import { type Readable, Transform } from 'node:stream';

/** One row of a spreadsheet: its number as the spreadsheet shows it, its cells as text. */
export interface SheetRow {
  rowNumber: number;
  cells: string[];
  /** Columns (0-based) holding a formula: never imported (paste values instead). */
  formulas?: number[];
}

/** A file to import, opened as often as the import needs to read it (once per pass). */
export interface ImportSource {
  fileName: string;
  format: 'csv' | 'xlsx';
  totalBytes?: number;
  open(): Readable;
}

/** Rows of a file: the header row first, then every data row; bytesRead follows the file. */
export interface RowReader {
  rows: AsyncIterable<SheetRow>;
  bytesRead(): number;
}

/** At most this many columns: a wider "header" is not a spreadsheet of partners. */
export const MAX_COLUMNS = 200;
/** At most this many characters in one row (the longest field, notes, is 5,000). */
export const MAX_ROW_CHARS = 1_000_000;

/** A pass-through that counts the bytes of the file read so far (for progress). */
export function countingStream(): Transform & { count: number } {
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      (counter as Transform & { count: number }).count += chunk.length;
      done(null, chunk);
    },
  }) as Transform & { count: number };
  counter.count = 0;
  return counter;
}

/** XLSX files are zip archives: they start with PK\x03\x04. */
export function looksLikeXlsx(firstBytes: Uint8Array): boolean {
  return firstBytes[0] === 0x50 && firstBytes[1] === 0x4b && firstBytes[2] === 0x03 && firstBytes[3] === 0x04;
}
