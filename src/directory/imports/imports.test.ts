import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextFor, principal } from '../../../test/context.ts';
import { openTestDatabase } from '../../../test/database.ts';
import type { Database } from '../../db/client.ts';
import { auditEvents, importRecords, imports, partners } from '../../db/schema/index.ts';
import { writePartnersExport } from '../exports/export.ts';
import { partnerFilters } from '../search/search-filters.ts';
import { runImport } from './import-run.ts';
import { fileSource, importFile, importView, writeRejectedRowsCsv } from './imports.ts';

let database: Database;
let dir: string;

beforeAll(async () => {
  database = await openTestDatabase();
  dir = mkdtempSync(join(tmpdir(), 'pb-import-'));
});
afterAll(async () => {
  await database?.close();
  rmSync(dir, { recursive: true, force: true });
});

const file = (name: string, content: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

async function countOf(table: typeof partners | typeof auditEvents) {
  const [row] = await database.db.select({ n: sql<number>`count(*)::int` }).from(table);
  return row!.n;
}

async function byEmail(email: string) {
  const [row] = await database.db.select().from(partners).where(eq(partners.email, email));
  return row;
}

describe('importFile (CSV)', () => {
  it('dry run of UTF-8 with BOM, semicolons and quoted line breaks: reports every row, writes nothing', async () => {
    const path = file(
      'bom-semicolons.csv',
      '\uFEFFFirst name;Last name;E-mail;Telephone;Company name;Country;Total purchases;Notes\r\n' +
        'Lan;Tran;lan@dry.vn;0912345678;Sông Hồng JSC;Viet Nam;100;"two\nlines; with semicolon"\r\n' +
        'Minh;Le;minh@dry.vn;0912345679;Minh Co;Vietnum;0;\r\n' +
        'Hoa;;not-an-email;;;VN;5;\r\n',
    );
    const partnersBefore = await countOf(partners);
    const auditBefore = await countOf(auditEvents);
    const view = await importFile(contextFor(database), {
      path,
      input: { kind: 'supplier', dryRun: true },
    });
    expect(view).toMatchObject({ status: 'completed', dryRun: true, rowsRead: 3, created: 1, rejected: 2 });
    expect(view.rejectedRows.map((r) => r.row)).toEqual([3, 4]);
    const country = view.rejectedRows[0]!.problems.find((p) => p.field === 'country');
    expect(country?.didYouMean ?? country?.message).toMatch(/VN|Vietnam/);
    expect(view.rejectedRows[1]!.problems.map((p) => p.field)).toContain('email');
    expect(await countOf(partners)).toBe(partnersBefore);
    expect(await countOf(auditEvents)).toBe(auditBefore);
  });

  it('reads Windows-1252 and keeps quoted line breaks in notes', async () => {
    const csv =
      'Name,Email,Company,Country,Total Purchases,Notes\r\nJosé Müller,jose@cp1252.de,Café Straße GmbH,DE,10,"first\r\nsecond"\r\n';
    const path = file('cp1252.csv', iconv.encode(csv, 'win1252'));
    const view = await importFile(contextFor(database), { path, input: { kind: 'supplier' } });
    expect(view).toMatchObject({ status: 'completed', created: 1, rejected: 0 });
    const row = await byEmail('jose@cp1252.de');
    expect(row).toMatchObject({ firstName: 'José', lastName: 'Müller', companyName: 'Café Straße GmbH' });
    expect(row!.notes).toMatch(/^first\r?\nsecond$/);
  });

  it('abort (default): one rejected row and nothing is written', async () => {
    const path = file(
      'abort.csv',
      'email,firstName,country,totalSales\na1@abort.test,Ann,US,1\na2@abort.test,,US,1\n',
    );
    const before = await countOf(partners);
    const view = await importFile(contextFor(database), { path, input: { kind: 'customer' } });
    expect(view).toMatchObject({ status: 'rejected', created: 0, rejected: 1 });
    expect(view.rejectedRows[0]).toMatchObject({
      row: 3,
      problems: [{ field: 'firstName', code: 'required' }],
    });
    expect(await countOf(partners)).toBe(before);
  });

  it('skip: writes the valid rows, each audited with the import, and the import is one history entry', async () => {
    const path = file(
      'skip.csv',
      'email,firstName,country,phone,totalSales\ns1@skip.test,Sam,VN,0912000001,1\ns2@skip.test,Sue,VN,12,1\ns3@skip.test,Sid,VN,0912000003,1\n',
    );
    const view = await importFile(contextFor(database), {
      path,
      input: { kind: 'customer', onError: 'skip' },
    });
    expect(view).toMatchObject({ status: 'completed', created: 2, rejected: 1 });
    expect(view.rejectedRows[0]).toMatchObject({ row: 3, problems: [{ field: 'phone' }] });
    const created = await byEmail('s1@skip.test');
    // As create_partner: no since date given, so the relationship starts today.
    expect(created).toMatchObject({
      phone: '+84912000001',
      country: 'VN',
      createdBy: 'admin-user',
      since: '2026-06-15',
    });
    const events = await database.db.select().from(auditEvents).where(eq(auditEvents.partnerId, created!.id));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: 'create', details: { importId: view.id, row: 2 } });
    const history = await database.db.select().from(auditEvents).where(eq(auditEvents.action, 'import'));
    expect(history.filter((e) => e.details?.importId === view.id)).toHaveLength(1);

    const output = new PassThrough();
    const chunks: Buffer[] = [];
    output.on('data', (chunk) => chunks.push(chunk));
    await writeRejectedRowsCsv(contextFor(database), { id: view.id, output });
    const rejectedCsv = Buffer.concat(chunks).toString('utf8');
    expect(rejectedCsv.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe(
      'email,firstName,country,phone,totalSales,Error',
    );
    expect(rejectedCsv).toContain('s2@skip.test,Sue,VN,12,1,"phone: ""12"" is not a valid phone number');
    // The rejected rows, fixed, import again.
    const fixed = file('fixed.csv', rejectedCsv.replace(',12,1,', ',0912000002,1,'));
    expect(
      await importFile(contextFor(database), { path: fixed, input: { kind: 'customer' } }),
    ).toMatchObject({
      status: 'completed',
      created: 1,
      columns: expect.arrayContaining([{ header: 'Error', ignored: 'unknown column' }]),
    });
  });

  it('match email: updates instead of duplicating; the same file again changes nothing', async () => {
    const path = file(
      'match.csv',
      'Email,Name,City,Total Sales\ns1@skip.test,Sam Smith,Hue,1\nnew@match.test,Nia Noor,Hanoi,0\nnew@match.test,Nia Noor,Da Nang,0\n',
    );
    const first = await importFile(contextFor(database), {
      path,
      input: { kind: 'customer', match: 'email' },
    });
    expect(first).toMatchObject({ status: 'completed', created: 1, updated: 2, rejected: 0 });
    expect(await byEmail('s1@skip.test')).toMatchObject({ lastName: 'Smith', city: 'Hue', version: 2 });
    expect(await byEmail('new@match.test')).toMatchObject({ firstName: 'Nia', city: 'Da Nang' });
    const again = await importFile(contextFor(database), {
      path,
      input: { kind: 'customer', match: 'email' },
    });
    // Rows 3 and 4 name one record: each sets its own city, as they did the first time.
    expect(again).toMatchObject({ created: 0, updated: 2, unchanged: 1 });
    const withoutMatch = await importFile(contextFor(database), {
      path,
      input: { kind: 'customer', dryRun: true },
    });
    expect(withoutMatch.rejectedRows[0]!.problems[0]).toMatchObject({ field: 'email', code: 'duplicate' });
  });

  it('refuses a viewer, and an editor giving groups it does not have', async () => {
    const path = file('groups.csv', 'email,first name,access groups,total sales\ng@groups.test,Gia,eu,0\n');
    await expect(
      importFile(contextFor(database, { role: 'viewer' }), {
        path,
        input: { kind: 'customer', dryRun: true },
      }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    const view = await importFile(contextFor(database, { principal: principal('editor', ['asia']) }), {
      path,
      input: { kind: 'customer' },
    });
    expect(view.rejectedRows[0]!.problems[0]).toMatchObject({
      field: 'accessGroups',
      code: 'group_not_yours',
    });
  });

  it('reports unknown columns by name and follows --map', async () => {
    const path = file('mapped.csv', 'Contact mail,Given,Favourite colour,Revenue\nm@map.test,Mo,blue,7\n');
    const view = await importFile(contextFor(database), {
      path,
      input: { kind: 'customer', map: 'Contact mail=email,Given=firstName,Revenue=total' },
    });
    expect(view).toMatchObject({ status: 'completed', created: 1 });
    expect(view.columns).toContainEqual({ header: 'Favourite colour', ignored: 'unknown column' });
    expect(await byEmail('m@map.test')).toMatchObject({ firstName: 'Mo', total: '7.00' });
  });

  it('refuses a file without an email column, naming its headers', async () => {
    const path = file('no-email.csv', 'Name,Phone\nA,1\n');
    const view = await importFile(contextFor(database), { path, input: { kind: 'customer' } });
    expect(view).toMatchObject({ status: 'failed', created: 0 });
    expect(view.message).toMatch(/no Email column; its headers: Name, Phone/);
  });

  it('a retried import skips the rows an earlier attempt wrote', async () => {
    const path = file('retry.csv', 'email,first name,total sales\nr1@retry.test,R1,0\nr2@retry.test,R2,0\n');
    const ctx = contextFor(database);
    const view = await importFile(ctx, { path, input: { kind: 'customer', onError: 'skip' } });
    expect(view.created).toBe(2);
    // As if the worker died after writing and before marking the import done.
    await database.db.update(imports).set({ status: 'running' }).where(eq(imports.id, view.id));
    const again = await runImport(ctx, { importId: view.id, source: fileSource(path) });
    expect(again).toMatchObject({ status: 'completed', created: 2, rejected: 0 });
    const records = await database.db.select().from(importRecords).where(eq(importRecords.importId, view.id));
    expect(records).toHaveLength(2);
  });
});

describe('importFile (XLSX)', () => {
  it('reads a named sheet written by exceljs, refusing formula cells', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Notes').addRow(['not this sheet']);
    const sheet = workbook.addWorksheet('Suppliers');
    sheet.addRow(['Company', 'Contact', 'Mail', 'Tel', 'Country code', 'Supplier since', 'Total Purchases']);
    sheet.addRow([
      'Xlsx One Ltd',
      'Kim Lee',
      'kim@xlsx.test',
      '+82 2 1234 5678',
      'KR',
      new Date('2024-02-01T00:00:00Z'),
      1500,
    ]);
    sheet.addRow(['Xlsx Two', 'Bad Formula', 'bf@xlsx.test', { formula: '1+1', result: 2 }, 'KR', null, 0]);
    const path = join(dir, 'suppliers.xlsx');
    await workbook.xlsx.writeFile(path);
    const view = await importFile(contextFor(database), {
      path,
      input: { kind: 'supplier', sheet: 'suppliers', onError: 'skip' },
    });
    expect(view).toMatchObject({ format: 'xlsx', status: 'completed', created: 1, rejected: 1 });
    expect(view.rejectedRows[0]).toMatchObject({ row: 3, problems: [{ field: 'phone', code: 'formula' }] });
    expect(await byEmail('kim@xlsx.test')).toMatchObject({
      companyName: 'Xlsx One Ltd',
      firstName: 'Kim',
      lastName: 'Lee',
      since: '2024-02-01',
      total: '1500.00',
      country: 'KR',
    });
    const missing = await importFile(contextFor(database), {
      path,
      input: { kind: 'supplier', sheet: 'Nope', dryRun: true },
    });
    expect(missing).toMatchObject({ status: 'failed' });
    expect(missing.message).toMatch(/no sheet named "Nope"; its sheets: Notes, Suppliers/);
  });

  it('reads an XLSX from another producer (inline strings, no shared strings)', async () => {
    const zip = new JSZip();
    zip.file(
      '[Content_Types].xml',
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    );
    zip.file(
      '_rels/.rels',
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    );
    zip.file(
      'xl/workbook.xml',
      '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>',
    );
    zip.file(
      'xl/_rels/workbook.xml.rels',
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    );
    const cell = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
    zip.file(
      'xl/worksheets/sheet1.xml',
      `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">${cell('A1', 'Email')}${cell('B1', 'Name')}${cell('C1', 'Total Sales')}</row><row r="2">${cell('A2', 'other@producer.test')}${cell('B2', 'Otto Producer')}<c r="C2"><v>42.5</v></c></row></sheetData></worksheet>`,
    );
    const path = file('other-producer.xlsx', await zip.generateAsync({ type: 'nodebuffer' }));
    const view = await importFile(contextFor(database), { path, input: { kind: 'customer' } });
    expect(view).toMatchObject({ format: 'xlsx', status: 'completed', created: 1 });
    expect(await byEmail('other@producer.test')).toMatchObject({ firstName: 'Otto', total: '42.50' });
  });

  it('an export of partnerbook, edited, imports back as updates matched by code', async () => {
    const ctx = contextFor(database);
    for (const format of ['xlsx', 'csv'] as const) {
      const path = join(dir, `export.${format}`);
      const chunks: Buffer[] = [];
      const output = new PassThrough();
      output.on('data', (chunk) => chunks.push(chunk));
      await writePartnersExport(ctx, {
        filters: partnerFilters.parse({ kind: 'customer', query: 'skip.test' }),
        format,
        output,
      });
      writeFileSync(path, Buffer.concat(chunks));
      const unchanged = await importFile(ctx, { path, input: { kind: 'customer', match: 'code' } });
      expect(unchanged).toMatchObject({ status: 'completed', created: 0, updated: 0, rejected: 0 });
      expect(unchanged.unchanged).toBeGreaterThanOrEqual(2);
      expect(unchanged.columns).toContainEqual({
        header: 'Orders',
        ignored: 'kept by partnerbook itself, not imported',
      });
    }
    const csvPath = join(dir, 'export.csv');
    writeFileSync(csvPath, readFileSync(csvPath, 'utf8').replace(',Hue,', ',Huế,'));
    const edited = await importFile(ctx, { path: csvPath, input: { kind: 'customer', match: 'code' } });
    expect(edited).toMatchObject({ updated: 1, rejected: 0 });
    expect(await byEmail('s1@skip.test')).toMatchObject({ city: 'Huế' });
  });
});

describe('importView', () => {
  it('shows an import only to its creator or an admin', async () => {
    const editor = principal('editor', [], 'importer');
    const path = file('mine.csv', 'email,first name,total sales\nmine@view.test,Me,0\n');
    const view = await importFile(contextFor(database, { principal: editor }), {
      path,
      input: { kind: 'customer', dryRun: true },
    });
    await expect(
      importView(contextFor(database, { principal: principal('editor', [], 'someone') }), view.id),
    ).rejects.toMatchObject({
      code: 'not_found',
    });
    expect((await importView(contextFor(database), view.id)).id).toBe(view.id);
  });
});
