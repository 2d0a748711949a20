import type { CallToolResult, Client } from '@modelcontextprotocol/client';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextFor } from '../../../test/context.ts';
import { openTestDatabase } from '../../../test/database.ts';
import { ADMIN_TOKEN, mcpClient, roleTokens, testApp } from '../../../test/server.ts';
import type { Database } from '../../db/client.ts';
import { createPartnerInput } from '../../directory/partners/partner-schema.ts';
import { createPartner } from '../../directory/partners/partner-write.ts';

let database: Database;
let app: ReturnType<typeof testApp>;
let tokens: Awaited<ReturnType<typeof roleTokens>>;
const clients: Client[] = [];

beforeAll(async () => {
  database = await openTestDatabase();
  app = testApp(database);
  tokens = await roleTokens(database);
  const ctx = contextFor(database);
  const add = (input: Record<string, unknown>) =>
    createPartner(ctx, createPartnerInput.parse({ termsAccepted: true, ...input }));
  await add({
    kind: 'customer',
    firstName: '=HYPERLINK("http://evil.example","click")',
    email: 'f1@example.com',
    totalSales: 10,
    companyName: '+cmd|calc',
    city: '@SUM(A1)',
  });
  await add({
    kind: 'customer',
    firstName: 'Quote "Q" Person',
    email: 'q@example.com',
    totalSales: 20.5,
    companyName: 'Comma, Inc.',
    notes: 'line one\nline two',
  });
  await add({
    kind: 'customer',
    firstName: 'Asia',
    email: 'asia@example.com',
    totalSales: 1,
    accessGroups: ['asia'],
  });
  await add({ kind: 'supplier', firstName: 'Sup', email: 'sup@example.com', totalPurchases: 5 });
});
afterAll(async () => {
  for (const c of clients) await c.close();
  await database?.close();
});

async function exportVia(token: string, args: Record<string, unknown>, tool = 'export_partners') {
  const client = await mcpClient(app, token);
  clients.push(client);
  const result = (await client.callTool({ name: tool, arguments: args })) as CallToolResult;
  return result;
}

const download = (url: string, token: string) =>
  app.request(new URL(url).pathname + new URL(url).search, { headers: { authorization: `Bearer ${token}` } });

describe('export_partners', () => {
  it('returns the row count, a resource link and the CSV attached, with formulas neutralized', async () => {
    const result = await exportVia(tokens.viewer, { kind: 'customer' });
    expect(result.isError).toBeFalsy();
    const structured = result.structuredContent as {
      rowCount: number;
      url: string;
      embedded: boolean;
      fileName: string;
    };
    expect(structured).toMatchObject({ rowCount: 2, embedded: true });
    expect(structured.fileName).toMatch(/^partnerbook-customers-\d{4}-\d{2}-\d{2}\.csv$/);
    const link = result.content.find((c) => c.type === 'resource_link');
    expect(link).toMatchObject({ uri: structured.url, mimeType: 'text/csv; charset=utf-8' });
    const embedded = result.content.find((c) => c.type === 'resource') as { resource: { text: string } };
    const csv = embedded.resource.text;
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(csv).toContain("'+cmd|calc");
    expect(csv).toContain("'@SUM(A1)");
    expect(csv).toContain('"Comma, Inc."');
    expect(csv).toMatch(/Customer.*Total Sales/);
    expect(csv).not.toContain('Asia'); // viewer without groups cannot see the asia record

    const response = await download(structured.url, tokens.viewer);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(
      /attachment; filename="partnerbook-customers-/,
    );
    expect((await response.text()).replace(/^\uFEFF/, '')).toBe(csv);
  });

  it('serves the link only to the principal that made it, with auth', async () => {
    const result = await exportVia(tokens.viewer, { kind: 'supplier' });
    const { url } = result.structuredContent as { url: string };
    expect((await download(url, tokens.editor)).status).toBe(404);
    expect((await app.request(new URL(url).pathname)).status).toBe(401);
  });

  it('writes XLSX with neutralized text cells and no formulas', async () => {
    const result = await exportVia(tokens.editor, { kind: 'customer', format: 'xlsx' });
    const { url } = result.structuredContent as { url: string };
    const response = await download(url, tokens.editor);
    expect(response.headers.get('content-type')).toMatch(/spreadsheetml/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as unknown as ArrayBuffer);
    const values = workbook.worksheets[0]!.getSheetValues()
      .flat()
      .filter((v) => typeof v === 'string') as string[];
    expect(values).toContain('\'=HYPERLINK("http://evil.example","click")');
    expect(values.some((v) => v.startsWith('='))).toBe(false);
    workbook.eachSheet((sheet) =>
      sheet.eachRow((row) => row.eachCell((cell) => expect(cell.formula).toBeUndefined())),
    );
  });

  it('refuses bad filters with field problems', async () => {
    const result = await exportVia(tokens.viewer, { countries: ['Germny'], format: 'pdf' });
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toBeUndefined();
    const details = JSON.parse((result.content as { text: string }[])[1]!.text);
    const fields = (details as { problems: { field: string }[] }).problems.map((p) => p.field);
    expect(fields).toEqual(expect.arrayContaining(['format']));
  });
});

describe('GET /api/export', () => {
  it('streams a filtered CSV for curl users', async () => {
    const response = await app.request('/api/export?kind=customer&format=csv&minTotal=15', {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text.trim().split(/\r\n/)).toHaveLength(2);
    expect(text).toContain('Quote ""Q"" Person');
  });

  it('answers bad parameters with 400 and the problems', async () => {
    const response = await app.request('/api/export?kind=clients', {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      problems: [expect.objectContaining({ field: 'kind', allowed: ['customer', 'supplier'] })],
    });
  });
});

describe('export_history', () => {
  it('is for admins, and gives a CSV of audit events', async () => {
    const refused = await exportVia(tokens.editor, {}, 'export_history');
    expect(refused.isError).toBe(true);
    const result = await exportVia(ADMIN_TOKEN, { format: 'csv' }, 'export_history');
    const { url, rowCount } = result.structuredContent as { url: string; rowCount: number };
    expect(rowCount).toBeGreaterThanOrEqual(4);
    const text = await (await download(url, ADMIN_TOKEN)).text();
    expect(text).toMatch(/create/);
  });
});
