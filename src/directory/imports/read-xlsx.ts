import ExcelJS from 'exceljs';
import { DirectoryError } from '../errors.ts';
import {
  countingStream,
  type ImportSource,
  MAX_COLUMNS,
  type RowReader,
  type SheetRow,
} from './import-rows.ts';

/** A date cell as the date (YYYY-MM-DD), or the instant when it has a time of day. */
function dateText(date: Date): string {
  const iso = date.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
}

/** One cell's value as text; undefined for a formula (refused: its result may hide anything). */
export function cellText(value: unknown): string | undefined {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : dateText(value);
  if (typeof value === 'object') {
    const cell = value as Record<string, unknown>;
    if ('formula' in cell || 'sharedFormula' in cell) return undefined;
    if (Array.isArray(cell.richText))
      return (cell.richText as { text?: string }[]).map((part) => part.text ?? '').join('');
    if (typeof cell.text === 'string') return cell.text;
    if ('error' in cell) return '';
  }
  return String(value);
}

/**
 * Rows of one sheet of an XLSX file, with exceljs's streaming reader (sheets that arrive before
 * the shared strings go to a temporary file, not to memory): the first sheet, or the one named.
 * Row numbers are the sheet's own.
 */
export async function readXlsx(source: ImportSource, sheet?: string): Promise<RowReader> {
  const counter = countingStream();
  const input = source.open();
  input.on('error', (error) => counter.destroy(error));
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input.pipe(counter), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache',
    entries: 'ignore',
  });
  async function* rows(): AsyncGenerator<SheetRow> {
    const seen: string[] = [];
    let found = false;
    try {
      for await (const worksheet of reader) {
        const name = (worksheet as unknown as { name?: string }).name ?? `Sheet${seen.length + 1}`;
        seen.push(name);
        const wanted = sheet === undefined ? !found : name.toLowerCase() === sheet.toLowerCase();
        if (!wanted || found) {
          for await (const _row of worksheet) {
            // Drained: the reader moves on only once a sheet has been read.
          }
          continue;
        }
        found = true;
        for await (const row of worksheet) {
          const values = (row.values as unknown[]) ?? [];
          if (values.length - 1 > MAX_COLUMNS)
            throw new DirectoryError(
              'validation',
              `Row ${row.number} has ${values.length - 1} columns; at most ${MAX_COLUMNS} are read.`,
            );
          const cells: string[] = [];
          const formulas: number[] = [];
          for (let column = 1; column < values.length; column++) {
            const text = cellText(values[column]);
            if (text === undefined) formulas.push(column - 1);
            cells.push(text ?? '');
          }
          if (cells.every((cell) => cell.trim() === '') && formulas.length === 0) continue;
          yield { rowNumber: row.number, cells, ...(formulas.length ? { formulas } : {}) };
        }
        if (sheet === undefined) break;
      }
    } catch (error) {
      if (error instanceof DirectoryError) throw error;
      throw new DirectoryError('validation', `The XLSX file could not be read: ${(error as Error).message}`, {
        cause: error,
        hint: 'Open it in a spreadsheet program and save it again as .xlsx, or export it as CSV.',
      });
    } finally {
      input.destroy();
    }
    if (!found)
      throw new DirectoryError(
        'validation',
        sheet === undefined
          ? 'The XLSX file has no sheet.'
          : `The XLSX file has no sheet named "${sheet}"; its sheets: ${seen.join(', ') || 'none'}.`,
        { problems: [{ field: 'sheet', code: 'not_found', message: `No sheet "${sheet}".`, allowed: seen }] },
      );
  }
  return { rows: rows(), bytesRead: () => counter.count };
}
