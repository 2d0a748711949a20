import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import v8 from 'node:v8';
import vm from 'node:vm';
import { inflateRawSync } from 'node:zlib';
import { stringify } from 'csv-stringify/sync';
import { eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextFor, customerInput, supplierInput } from '../../../test/context.ts';
import { openTestDatabase } from '../../../test/database.ts';
import type { Database } from '../../db/client.ts';
import { auditEvents } from '../../db/schema/index.ts';
import type { Role } from '../access/principal.ts';
import { DirectoryError } from '../errors.ts';
import { createPartnerInput } from '../partners/partner-schema.ts';
import { createPartner, updatePartner } from '../partners/partner-write.ts';
import {
  describeChanges,
  exportFileName,
  neutralizeCell,
  type PartnersExportOptions,
  writeHistoryExport,
  writePartnersExport,
} from './export.ts';
import { defaultExportColumns, exportColumnIds, isoTimestamp } from './export-columns.ts';
import { csvRecord, openCsvSink } from './export-writers.ts';

v8.setFlagsFromString('--expose-gc');
/** A full garbage collection, so memory samples count live objects only. */
const collectGarbage = vm.runInNewContext('gc') as () => void;

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
  const admin = contextFor(database);
  const add = (input: Record<string, unknown>) => createPartner(admin, createPartnerInput.parse(input));
  await add(
    customerInput({
      firstName: 'Nguyễn',
      lastName: 'Văn An',
      code: 'VN-1',
      companyName: 'Đà Nẵng Textiles, Ltd. "Best"',
      notes: 'Line one\nLine two, with "quotes"\r\nLine three',
      country: 'VN',
      city: 'Da Nang',
      totalSales: '1234.50',
      customerSince: '2020-02-29',
    }),
  );
  await add(
    customerInput({
      firstName: '=HYPERLINK("http://evil.example","click")',
      code: 'EVIL-1',
      companyName: '+1 Trading',
      notes: '@SUM(A1:A9)',
      city: '-2+3',
      country: 'DE',
      totalSales: 0,
      accessGroups: ['eu'],
    }),
  );
  await add(customerInput({ firstName: 'Asia', lastName: 'Only', code: 'ASIA-1', accessGroups: ['asia'] }));
  await add(supplierInput({ firstName: 'Binh', code: 'SUP-X', totalPurchases: 99.99, country: 'VN' }));
  const { partner } = await add(
    customerInput({ firstName: 'Hans', code: 'DE-2', country: 'DE', city: 'Berlin' }),
  );
  await updatePartner(admin, {
    ref: { id: partner.id },
    changes: { city: 'München', notes: 'x'.repeat(300) },
  });
});
afterAll(async () => {
  await database?.close();
});

/** A writable that keeps everything written to it. */
function memorySink(): Writable & { buffer: () => Buffer } {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  }) as Writable & { buffer: () => Buffer };
  sink.buffer = () => Buffer.concat(chunks);
  return sink;
}

/** A small RFC 4180 reader for checking what the export wrote. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      record.push(field);
      field = '';
    } else if (char === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else field += char;
  }
  if (field || record.length) throw new Error(`unterminated record: ${JSON.stringify(record)}`);
  return records;
}

/** The entries of a zip file (central directory), inflated. */
function unzip(zip: Buffer): Map<string, string> {
  let end = zip.length - 22;
  while (end >= 0 && zip.readUInt32LE(end) !== 0x06054b50) end--;
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const entries = new Map<string, string>();
  for (let n = 0; n < count; n++) {
    const method = zip.readUInt16LE(offset + 10);
    const size = zip.readUInt32LE(offset + 20);
    const nameLength = zip.readUInt16LE(offset + 28);
    const skip = nameLength + zip.readUInt16LE(offset + 30) + zip.readUInt16LE(offset + 32);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    const local = zip.readUInt32LE(offset + 42);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + size);
    entries.set(name, (method === 8 ? inflateRawSync(data) : data).toString('utf8'));
    offset += 46 + skip;
  }
  return entries;
}

async function exportPartners(
  options: Omit<PartnersExportOptions, 'output'>,
  as: { role?: Role; groups?: string[] } = {},
) {
  const output = memorySink();
  const result = await writePartnersExport(contextFor(database, as), { ...options, output });
  return { ...result, bytes: output.buffer() };
}

async function csvOf(options: Omit<PartnersExportOptions, 'output' | 'format'>, as = {}) {
  const { bytes, rowCount } = await exportPartners({ ...options, format: 'csv' }, as);
  const text = bytes.toString('utf8');
  expect(text.startsWith('\uFEFF')).toBe(true);
  const [header, ...rows] = parseCsv(text.slice(1));
  return { header: header!, rows, rowCount, text };
}

async function xlsxOf(options: Omit<PartnersExportOptions, 'output' | 'format'>, as = {}) {
  const { bytes, rowCount } = await exportPartners({ ...options, format: 'xlsx' }, as);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  return { workbook, files: unzip(bytes), rowCount };
}

function sheetValues(sheet: ExcelJS.Worksheet): unknown[][] {
  const rows: unknown[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row) => {
    rows.push((row.values as unknown[]).slice(1));
  });
  return rows;
}

describe('neutralizeCell', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+84912345678', "'+84912345678"],
    ['-5', "'-5"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['\rx', "'\rx"],
    ['\nx', "'\nx"],
    ['Acme = good', 'Acme = good'],
    ["'already", "'already"],
    ['', ''],
  ])('turns %j into %j', (input, expected) => {
    expect(neutralizeCell(input)).toBe(expected);
  });
});

describe('csvRecord', () => {
  it('writes what csv-stringify writes for awkward values (RFC 4180)', () => {
    const awkward = [
      'plain',
      'comma, inside',
      'quote " inside',
      '"fully quoted"',
      'line\nbreak',
      'carriage\rreturn',
      'crlf\r\nin field',
      ' leading space',
      'Nguyễn Văn An',
      '',
      'semi;colon',
    ];
    const reference = stringify([awkward], { record_delimiter: 'windows', quoted_match: /[\r\n]/ });
    expect(csvRecord(awkward)).toBe(reference);
    expect(csvRecord([null, 12, 0, '3.50'])).toBe(',12,0,3.50\r\n');
  });
});

describe('openCsvSink', () => {
  it('writes the next batch only once the output has drained', async () => {
    const pending: (() => void)[] = [];
    const output = new Writable({
      highWaterMark: 8,
      write(_chunk, _encoding, callback) {
        pending.push(callback);
      },
    });
    const sink = openCsvSink(output, ['A']);
    for (let batch = 0; batch < 2; batch++) {
      sink.writeRow(['x'.repeat(64)]);
      let settled = false;
      const drained = sink.drain().then(() => {
        settled = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(settled).toBe(false);
      expect(pending).toHaveLength(1);
      pending.shift()!();
      await drained;
    }
  });
});

describe('writePartnersExport as CSV', () => {
  it('names the columns by kind, with a BOM and CRLF line endings', async () => {
    const customers = await csvOf({ filters: { kind: 'customer' } });
    expect(customers.header).toEqual([
      'Customer',
      'Code',
      'Email',
      'Phone',
      'Company',
      'Total Sales',
      'Currency',
      'Customer Since',
      'Street',
      'Address 2',
      'City',
      'State',
      'Postal Code',
      'Country',
      'Country Code',
      'Website',
      'Employees',
      'Orders',
      'Last Order',
      'Status',
      'Approved',
      'Access Groups',
      'Created',
      'Updated',
    ]);
    // Outside quoted fields every line ends with CRLF.
    expect(customers.text.replace(/"(?:[^"]|"")*"/g, '')).not.toMatch(/[^\r]\n|\r(?!\n)/);
    const suppliers = await csvOf({ filters: { kind: 'supplier' } });
    expect(suppliers.header.slice(0, 8)).toEqual([
      'Supplier',
      'Code',
      'Email',
      'Phone',
      'Company',
      'Total Purchases',
      'Currency',
      'Supplier Since',
    ]);
    const both = await csvOf({ filters: {} });
    expect(both.header.slice(0, 9)).toEqual([
      'Name',
      'Kind',
      'Code',
      'Email',
      'Phone',
      'Company',
      'Total',
      'Currency',
      'Since',
    ]);
    expect(both.rows.map((row) => row[1]).sort()).toEqual([
      'Customer',
      'Customer',
      'Customer',
      'Customer',
      'Supplier',
    ]);
  });

  it('quotes commas, quotes and line breaks so every field reads back exactly', async () => {
    const { header, rows } = await csvOf({
      filters: { kind: 'customer', countries: ['VN'] },
      columns: ['code', 'name', 'companyName', 'notes', 'total', 'since', 'country', 'countryCode'],
    });
    expect(header).toEqual([
      'Code',
      'Customer',
      'Company',
      'Notes',
      'Total Sales',
      'Customer Since',
      'Country',
      'Country Code',
    ]);
    expect(rows).toEqual([
      [
        'VN-1',
        'Nguyễn Văn An',
        'Đà Nẵng Textiles, Ltd. "Best"',
        'Line one\nLine two, with "quotes"\r\nLine three',
        '1234.50',
        '2020-02-29',
        'Viet Nam',
        'VN',
      ],
    ]);
  });

  it('neutralizes formulas in every text cell', async () => {
    const { rows } = await csvOf({
      filters: { query: 'EVIL-1' },
      columns: ['name', 'companyName', 'notes', 'city', 'total'],
    });
    expect(rows).toEqual([
      ['\'=HYPERLINK("http://evil.example","click") Nguyen', "'+1 Trading", "'@SUM(A1:A9)", "'-2+3", '0.00'],
    ]);
  });

  it('exports only what the caller may see, with the search filters', async () => {
    const codes = async (options: Parameters<typeof csvOf>[0], as: { role?: Role; groups?: string[] }) =>
      (await csvOf({ ...options, columns: ['code'] }, as)).rows.map((row) => row[0]).sort();
    expect(await codes({ filters: { kind: 'customer' } }, { role: 'editor', groups: ['eu'] })).toEqual([
      'DE-2',
      'EVIL-1',
      'VN-1',
    ]);
    expect(await codes({ filters: { kind: 'customer' } }, { role: 'viewer' })).toEqual(['DE-2', 'VN-1']);
    expect(await codes({ filters: { countries: ['Vietnam'] } }, { role: 'admin' })).toEqual([
      'SUP-X',
      'VN-1',
    ]);
    expect(await codes({ filters: { kind: 'customer', minTotal: 1000 } }, { role: 'admin' })).toEqual([
      'ASIA-1',
      'DE-2',
      'VN-1',
    ]);
  });

  it('records who exported what in the audit log', async () => {
    const before = await database.db.select().from(auditEvents).where(eq(auditEvents.action, 'export'));
    const { rowCount } = await csvOf(
      { filters: { kind: 'supplier' }, columns: ['code', 'name'] },
      { role: 'viewer' },
    );
    expect(rowCount).toBe(1);
    const after = await database.db.select().from(auditEvents).where(eq(auditEvents.action, 'export'));
    expect(after).toHaveLength(before.length + 1);
    const event = after.at(-1)!;
    expect(event.actorName).toBe('viewer-user');
    expect(event.partnerId).toBeNull();
    expect(event.details).toEqual({
      filters: { kind: 'supplier' },
      format: 'csv',
      rows: 1,
      columns: ['code', 'name'],
    });
  });

  it('refuses a bad filter before writing anything', async () => {
    const output = memorySink();
    const attempt = writePartnersExport(contextFor(database), {
      filters: { countries: ['Vietnum'] },
      format: 'csv',
      output,
    });
    await expect(attempt).rejects.toMatchObject({ code: 'validation' });
    expect(output.buffer().length).toBe(0);
    expect(output.writableEnded).toBe(false);
  });

  it('writes only the header when nothing matches', async () => {
    const { header, rows, rowCount } = await csvOf({
      filters: { query: 'nobody-matches-this' },
      columns: ['code'],
    });
    expect([header, rows, rowCount]).toEqual([['Code'], [], 0]);
  });

  it.each(['csv', 'xlsx'] as const)(
    'fails (%s), without hanging or crashing, when the output fails',
    async (format) => {
      const output = new Writable({
        write(_chunk, _encoding, callback) {
          callback(new Error('the client went away'));
        },
      });
      const attempt = writePartnersExport(contextFor(database), { filters: {}, format, output });
      await expect(attempt).rejects.toBeInstanceOf(DirectoryError);
      expect(output.destroyed).toBe(true);
    },
  );
});

describe('writePartnersExport as XLSX', () => {
  it('writes text as plain strings (no formulas), numbers as numbers, headers by kind', async () => {
    const { workbook, files } = await xlsxOf({
      filters: { kind: 'customer' },
      columns: ['code', 'name', 'companyName', 'notes', 'city', 'total', 'ordersCount', 'since'],
    });
    const sheet = workbook.worksheets[0]!;
    expect(sheet.name).toBe('Customers');
    const [header, ...rows] = sheetValues(sheet);
    expect(header).toEqual([
      'Code',
      'Customer',
      'Company',
      'Notes',
      'City',
      'Total Sales',
      'Orders',
      'Customer Since',
    ]);
    const byCode = new Map(rows.map((row) => [row[0], row]));
    expect(byCode.get('EVIL-1')).toEqual([
      'EVIL-1',
      '\'=HYPERLINK("http://evil.example","click") Nguyen',
      "'+1 Trading",
      "'@SUM(A1:A9)",
      "'-2+3",
      0,
      0,
      '2026-06-15', // no since date given: the creation day
    ]);
    expect(byCode.get('VN-1')).toEqual([
      'VN-1',
      'Nguyễn Văn An',
      'Đà Nẵng Textiles, Ltd. "Best"',
      'Line one\nLine two, with "quotes"\r\nLine three',
      'Da Nang',
      1234.5,
      0,
      '2020-02-29',
    ]);
    for (const cell of sheet.getColumn(2).values) {
      if (cell) expect(typeof cell).toBe('string');
    }
    const sheetXml = files.get('xl/worksheets/sheet1.xml')!;
    expect(sheetXml).toContain('<sheetData>');
    expect(sheetXml).not.toMatch(/<f[\s>]/);
    expect(sheetXml).toContain('t="inlineStr"');
  });

  it('continues on a new sheet, header repeated, past the rows a sheet may hold', async () => {
    const output = memorySink();
    const { rowCount } = await writePartnersExport(contextFor(database), {
      filters: {},
      format: 'xlsx',
      columns: ['code'],
      output,
      xlsxRowsPerSheet: 2,
    });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(output.buffer() as unknown as ExcelJS.Buffer);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual([
      'Partners',
      'Partners (2)',
      'Partners (3)',
    ]);
    const values = workbook.worksheets.map(sheetValues);
    expect(values.map((rows) => rows[0])).toEqual([['Code'], ['Code'], ['Code']]);
    expect(values.flatMap((rows) => rows.slice(1)).length).toBe(rowCount);
    expect(rowCount).toBe(5);
  });
});

describe('every export column', () => {
  beforeAll(async () => {
    await createPartner(
      contextFor(database),
      createPartnerInput.parse(
        customerInput({
          code: 'FULL-1',
          firstName: 'Chloé',
          lastName: 'Durand',
          email: 'chloe@durand.fr',
          phone: '+33 1 23 45 67 89',
          companyName: 'Durand SA',
          customerSince: '2019-03-01',
          totalSales: '2500.75',
          currency: 'EUR',
          street: '1 Rue de Rivoli',
          address2: 'Bât. B',
          city: 'Paris',
          state: 'IDF',
          postalCode: '75001',
          country: 'France',
          website: 'durand.fr',
          employees: 42,
          approved: false,
          accessGroups: ['eu', 'fr'],
          notes: 'Prefers email',
        }),
      ),
    );
  });

  const expected = {
    name: 'Chloé Durand',
    kind: 'Customer',
    code: 'FULL-1',
    email: 'chloe@durand.fr',
    // Every E.164 number starts with +: neutralized like any formula-looking cell (and Excel
    // would otherwise read it as the number 33123456789).
    phone: "'+33123456789",
    companyName: 'Durand SA',
    total: '2500.75',
    currency: 'EUR',
    since: '2019-03-01',
    street: '1 Rue de Rivoli',
    address2: 'Bât. B',
    city: 'Paris',
    state: 'IDF',
    postalCode: '75001',
    country: 'France',
    countryCode: 'FR',
    website: 'https://durand.fr',
    employees: '42',
    ordersCount: '0',
    lastOrderDate: '',
    status: 'Enabled',
    approved: 'No',
    accessGroups: 'eu, fr',
    createdAt: '2026-06-15T12:00:00Z',
    updatedAt: '2026-06-15T12:00:00Z',
    notes: 'Prefers email',
  };

  it('writes each column of a record as text in CSV', async () => {
    const { header, rows } = await csvOf({ filters: { query: 'FULL-1' }, columns: [...exportColumnIds] });
    expect(header).toHaveLength(exportColumnIds.length);
    expect(Object.fromEntries(exportColumnIds.map((id, index) => [id, rows[0]![index]]))).toEqual(expected);
  });

  it('writes numbers as number cells in XLSX', async () => {
    const { workbook } = await xlsxOf({ filters: { query: 'FULL-1' }, columns: [...exportColumnIds] });
    const [, row] = sheetValues(workbook.worksheets[0]!);
    expect(Object.fromEntries(exportColumnIds.map((id, index) => [id, row![index]]))).toEqual({
      ...expected,
      total: 2500.75,
      employees: 42,
      ordersCount: 0,
      lastOrderDate: undefined,
    });
  });
});

describe('writeHistoryExport', () => {
  it('is for admins only; viewers may export partners', async () => {
    for (const role of ['viewer', 'editor'] as const) {
      await expect(
        writeHistoryExport(contextFor(database, { role }), { format: 'csv', output: memorySink() }),
      ).rejects.toMatchObject({ code: 'forbidden' });
    }
    await expect(csvOf({ filters: {} }, { role: 'viewer' })).resolves.toMatchObject({ rowCount: 3 });
  });

  it('lists events oldest first with compact before → after changes, in CSV and XLSX', async () => {
    const output = memorySink();
    const { rowCount } = await writeHistoryExport(contextFor(database), { format: 'csv', output });
    const [header, ...rows] = parseCsv(output.buffer().toString('utf8').slice(1));
    expect(header).toEqual([
      'Time',
      'Action',
      'Kind',
      'Code',
      'Version',
      'Actor',
      'Via',
      'Client',
      'Changes',
    ]);
    expect(rows).toHaveLength(rowCount);
    const update = rows.find((row) => row[1] === 'update')!;
    expect(update.slice(1, 8)).toEqual(['update', 'customer', 'DE-2', '2', 'admin-user', 'cli', '']);
    expect(update[8]).toMatch(/city: Berlin → München/);
    expect(update[8]).toMatch(/notes: \(empty\) → x{199}…/);
    const created = rows.find((row) => row[3] === 'EVIL-1')!;
    expect(created[8]).toMatch(/firstName: \(empty\) → =HYPERLINK/);

    const xlsx = memorySink();
    await writeHistoryExport(contextFor(database), {
      format: 'xlsx',
      output: xlsx,
      from: new Date('2000-01-01T00:00:00Z'),
    });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.buffer() as unknown as ExcelJS.Buffer);
    expect(workbook.worksheets[0]!.name).toBe('Change history');
    const [xlsxHeader, ...xlsxRows] = sheetValues(workbook.worksheets[0]!);
    expect(xlsxHeader).toEqual(header);
    expect(xlsxRows.length).toBeGreaterThanOrEqual(rowCount);
    expect(xlsxRows.find((row) => row[3] === 'DE-2' && row[1] === 'update')?.[4]).toBe(2);
  });

  it('refuses a range that ends before it starts', async () => {
    await expect(
      writeHistoryExport(contextFor(database), {
        format: 'csv',
        output: memorySink(),
        from: new Date('2026-02-01'),
        to: new Date('2026-01-01'),
      }),
    ).rejects.toMatchObject({ code: 'validation' });
  });
});

describe('describeChanges', () => {
  it('falls back to the details of an event that changed no field', () => {
    expect(describeChanges(null, { reason: 'closed', orders: 3 })).toBe('reason: closed; orders: 3');
    expect(describeChanges({ accessGroups: { before: [], after: ['eu', 'asia'] } }, null)).toBe(
      'accessGroups: (empty) → eu, asia',
    );
    expect(describeChanges({}, null)).toBeNull();
  });
});

describe('isoTimestamp', () => {
  it.each([
    ['2026-06-15 12:00:00+00', '2026-06-15T12:00:00Z'],
    ['2026-06-15 12:00:00.123456+00', '2026-06-15T12:00:00Z'],
    ['2026-06-15 14:00:00+02', '2026-06-15T12:00:00Z'],
    ['2026-06-15 17:30:00.5+05:30', '2026-06-15T12:00:00Z'],
  ])('reads %j as %j', (text, iso) => {
    expect(isoTimestamp(text)).toBe(iso);
  });
});

describe('exportFileName', () => {
  it('builds safe names from fixed words and the date', () => {
    const at = new Date('2026-11-22T23:30:00Z');
    expect(exportFileName({ kind: 'customer', format: 'csv', at })).toBe(
      'partnerbook-customers-2026-11-22.csv',
    );
    expect(exportFileName({ kind: 'supplier', format: 'xlsx', at })).toBe(
      'partnerbook-suppliers-2026-11-22.xlsx',
    );
    expect(exportFileName({ format: 'csv', at, timeZone: 'Asia/Ho_Chi_Minh' })).toBe(
      'partnerbook-partners-2026-11-23.csv',
    );
    expect(exportFileName({ kind: 'history', format: 'xlsx', at })).toBe(
      'partnerbook-history-2026-11-22.xlsx',
    );
  });
});

describe('exports of 100,000 rows', () => {
  const total = 100_000;

  beforeAll(async () => {
    // One INSERT ... SELECT in the database: several times faster than binding 100k rows from here.
    await database.db.execute(sql`
      insert into partners (kind, code, first_name, last_name, email, company_name, notes, total, city,
        country, access_groups, terms_accepted_at, created_by, updated_by)
      select case when i % 2 = 1 then 'supplier' else 'customer' end::partner_kind,
        'BULK-' || i, 'Bulk ' || i, case when i % 3 <> 0 then 'Nguyễn' end, 'bulk' || i || '@example.com',
        'Company ' || i || ', Ltd', case when i % 1000 = 0 then E'\t=cmd|calc' end, (i || '.25')::numeric,
        'Hanoi', 'VN', '{bulk}'::text[], '2026-06-01T00:00:00Z'::timestamptz, 'test', 'test'
      from generate_series(0, ${total - 1}) as i`);
  }, 300_000);

  /** A sink that counts bytes and CRLF line endings without keeping anything. */
  function countingSink() {
    const counts = { bytes: 0, lines: 0 };
    const output = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        counts.bytes += chunk.length;
        for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) counts.lines++;
        callback();
      },
    });
    return { output, counts };
  }

  /**
   * Runs an export while sampling live memory (heap + array buffers right after a full GC)
   * every 200 ms; returns the largest growth over what was live before, and the RSS growth.
   */
  async function measured<T>(work: () => Promise<T>) {
    const live = () => {
      collectGarbage();
      const usage = process.memoryUsage();
      return usage.heapUsed + usage.arrayBuffers;
    };
    const baseLive = live();
    const baseRss = process.memoryUsage.rss();
    let peakLive = baseLive;
    let peakRss = baseRss;
    const timer = setInterval(() => {
      peakLive = Math.max(peakLive, live());
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
    }, 200);
    try {
      const result = await work();
      return {
        result,
        liveGrowthMb: (peakLive - baseLive) / 2 ** 20,
        rssGrowthMb: (peakRss - baseRss) / 2 ** 20,
      };
    } finally {
      clearInterval(timer);
    }
  }

  it('streams a CSV of every row with bounded memory', async () => {
    const { output, counts } = countingSink();
    const ctx = contextFor(database, { role: 'viewer', groups: ['bulk'] });
    const { result, liveGrowthMb, rssGrowthMb } = await measured(() =>
      writePartnersExport(ctx, {
        filters: { query: 'bulk' },
        format: 'csv',
        columns: ['code', 'name', 'companyName', 'notes', 'total', 'city', 'country', 'createdAt'],
        output,
      }),
    );
    expect(result.rowCount).toBe(total);
    expect(counts.lines).toBe(total + 1);
    expect(counts.bytes).toBeGreaterThan(total * 50);
    // Two batches of rows and a chunk of text are live at a time, whatever the size.
    expect(liveGrowthMb).toBeLessThan(48);
    expect(rssGrowthMb).toBeLessThan(150);
  }, 120_000);

  it('streams an XLSX of every row with bounded memory', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'pb-export-')), 'bulk.xlsx');
    const ctx = contextFor(database);
    const { result, liveGrowthMb, rssGrowthMb } = await measured(() =>
      writePartnersExport(ctx, {
        filters: { countries: ['VN'], query: 'bulk' },
        format: 'xlsx',
        columns: [...defaultExportColumns('mixed'), 'notes'],
        output: createWriteStream(file),
      }),
    );
    expect(result.rowCount).toBe(total);
    // The sheet's XML is about 120 MB: holding it, or the compressor's backlog, would show here.
    expect(liveGrowthMb).toBeLessThan(64);
    expect(rssGrowthMb).toBeLessThan(200);
    const zip = await readFile(file);
    await rm(file);
    const sheetXml = unzip(zip).get('xl/worksheets/sheet1.xml')!;
    expect(sheetXml.match(/<row /g)).toHaveLength(total + 1);
    expect(sheetXml).not.toMatch(/<f[\s>]/);
    expect(sheetXml).toContain("<t>'\t=cmd|calc</t>");
  }, 120_000);

  /** A reader taking `bytesPerSecond`: a slow client download. */
  function slowSink(bytesPerSecond: number) {
    const output = new Writable({
      highWaterMark: 64 * 1024,
      write(chunk: Buffer, _encoding, callback) {
        setTimeout(callback, (chunk.length / bytesPerSecond) * 1000);
      },
    });
    return { output };
  }

  it('waits for a slow XLSX reader instead of queueing the sheet in memory', async () => {
    // 50,000 rows: about 60 MB of sheet XML, compressed to about 4 MB read at 2 MB/s.
    const { output } = slowSink(2_000_000);
    const { result, liveGrowthMb } = await measured(() =>
      writePartnersExport(contextFor(database), {
        filters: { query: 'bulk', maxTotal: 49_999.5 },
        format: 'xlsx',
        output,
      }),
    );
    expect(result.rowCount).toBe(50_000);
    // Without the pause on exceljs's queue this reached about 45 MB.
    expect(liveGrowthMb).toBeLessThan(24);
  }, 120_000);
});
