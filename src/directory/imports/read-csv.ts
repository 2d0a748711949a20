import { Transform } from 'node:stream';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import { DirectoryError } from '../errors.ts';
import {
  countingStream,
  type ImportSource,
  MAX_COLUMNS,
  MAX_ROW_CHARS,
  type RowReader,
} from './import-rows.ts';

export type CsvEncoding = 'utf-8' | 'windows-1252';

/**
 * Reads the whole file once (streaming, constant memory) and tells whether it is valid UTF-8
 * (with or without BOM); anything else is read as Windows-1252, what Excel on Windows saves as "CSV".
 */
export async function detectEncoding(source: ImportSource): Promise<CsvEncoding> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of source.open()) decoder.decode(chunk as Buffer, { stream: true });
    decoder.decode();
    return 'utf-8';
  } catch {
    return 'windows-1252';
  }
}

const delimiters = [',', ';', '\t', '|'] as const;

/** The delimiter of the header line: the candidate found most often outside quotes (comma on a tie). */
export function sniffDelimiter(text: string): string {
  const counts = new Map<string, number>(delimiters.map((d) => [d, 0]));
  let quoted = false;
  for (const char of text.replace(/^\uFEFF/, '')) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && counts.has(char)) counts.set(char, counts.get(char)! + 1);
  }
  let best = ',';
  for (const [delimiter, count] of counts) if (count > counts.get(best)!) best = delimiter;
  return best;
}

/** Decodes bytes to text in the detected encoding, chunk by chunk. */
function decoderStream(encoding: CsvEncoding): Transform {
  if (encoding === 'windows-1252') return iconv.decodeStream('win1252') as unknown as Transform;
  const decoder = new TextDecoder('utf-8');
  return new Transform({
    readableObjectMode: false,
    transform(chunk: Buffer, _encoding, done) {
      done(null, decoder.decode(chunk, { stream: true }));
    },
    flush(done) {
      done(null, decoder.decode());
    },
  });
}

async function firstText(source: ImportSource, encoding: CsvEncoding): Promise<string> {
  let text = '';
  const stream = source.open().pipe(decoderStream(encoding));
  for await (const chunk of stream) {
    text += String(chunk);
    if (text.length >= 64 * 1024 || /[\r\n]/.test(text)) break;
  }
  stream.destroy();
  return text;
}

/**
 * Rows of a CSV file with csv-parse (streaming): any of , ; tab | as delimiter (from the header
 * line), UTF-8 with or without BOM or Windows-1252, quoted fields with line breaks. Row numbers
 * count records, the header being row 1, as a spreadsheet program shows them.
 */
export async function readCsv(source: ImportSource, encoding?: CsvEncoding): Promise<RowReader> {
  const chosen = encoding ?? (await detectEncoding(source));
  const delimiter = sniffDelimiter(await firstText(source, chosen));
  const counter = countingStream();
  const parser = parse({
    delimiter,
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    max_record_size: MAX_ROW_CHARS,
  });
  const input = source.open();
  input.on('error', (error) => parser.destroy(error));
  input.pipe(counter).pipe(decoderStream(chosen)).pipe(parser);
  async function* rows() {
    let rowNumber = 0;
    try {
      for await (const record of parser as AsyncIterable<string[]>) {
        rowNumber++;
        if (record.length > MAX_COLUMNS)
          throw new DirectoryError(
            'validation',
            `Row ${rowNumber} has ${record.length} columns; at most ${MAX_COLUMNS} are read.`,
          );
        yield { rowNumber, cells: record };
      }
    } catch (error) {
      if (error instanceof DirectoryError) throw error;
      throw new DirectoryError(
        'validation',
        `The CSV file could not be read after row ${rowNumber}: ${(error as Error).message}`,
        { cause: error, hint: 'Check the quotes around that row, or save the file again as CSV.' },
      );
    } finally {
      input.destroy();
      parser.destroy();
    }
  }
  return { rows: rows(), bytesRead: () => counter.count };
}
