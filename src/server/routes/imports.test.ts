import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../test/database.ts';
import { roleTokens, testApp } from '../../../test/server.ts';
import { waitUntil } from '../../../test/wait-until.ts';
import type { Database } from '../../db/client.ts';
import { workImportJobs } from '../../directory/imports/import-jobs.ts';
import type { ImportView } from '../../directory/imports/imports.ts';
import { type JobQueue, startJobQueue } from '../../directory/jobs/job-queue.ts';

let database: Database & { url?: string };
let queue: JobQueue;
let tokens: Awaited<ReturnType<typeof roleTokens>>;
let app: ReturnType<typeof testApp>;
let queuedApp: ReturnType<typeof testApp>;

beforeAll(async () => {
  database = await openTestDatabase();
  tokens = await roleTokens(database);
  queue = await startJobQueue({
    database,
    connectionString: database.url,
    log: { warn: () => {}, error: () => {} },
    pollingIntervalSeconds: 0.5,
  });
  await workImportJobs({ db: database.db, now: () => new Date(), jobs: queue });
  app = testApp(database);
  queuedApp = testApp(database, { jobs: queue });
});
afterAll(async () => {
  await queue?.stop();
  await database?.close();
});

const upload = (
  target: ReturnType<typeof testApp>,
  options: { query: string; body: string | Uint8Array; token?: string; type?: string },
) =>
  target.request(`/api/imports?${options.query}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${options.token ?? tokens.editor}`,
      'content-type': options.type ?? 'text/csv',
    },
    body: options.body,
  });

async function finished(target: ReturnType<typeof testApp>, id: string, token = tokens.editor) {
  return waitUntil({
    what: `import ${id} finishing`,
    read: async () =>
      (await (
        await target.request(`/api/imports/${id}`, { headers: { authorization: `Bearer ${token}` } })
      ).json()) as ImportView,
    done: (view) => !['queued', 'running'].includes(view.status),
  });
}

describe('POST /api/imports', () => {
  it('answers 202 with the import at once; GET gives its counts and rejected rows; the CSV of rejected rows downloads', async () => {
    const csv =
      'Email,Name,Country,Phone,Total Sales\nh1@http.test,Hai One,VN,0912000011,5\nh2@http.test,Hai Two,Vietnum,,5\n';
    const response = await upload(app, { query: 'kind=customer&onError=skip&fileName=crm.csv', body: csv });
    expect(response.status).toBe(202);
    const started = (await response.json()) as ImportView;
    expect(response.headers.get('location')).toBe(`/api/imports/${started.id}`);
    expect(started).toMatchObject({ fileName: 'crm.csv', kind: 'customer', onError: 'skip' });
    const view = await finished(app, started.id);
    expect(view).toMatchObject({ status: 'completed', created: 1, rejected: 1 });
    expect(view.rejectedRows[0]).toMatchObject({ row: 3, problems: [{ field: 'country' }] });
    const download = await app.request(`/api/imports/${started.id}/rejected.csv`, {
      headers: { authorization: `Bearer ${tokens.editor}` },
    });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toContain('attachment');
    const text = (await download.text()).replace(/^\uFEFF/, '');
    expect(text.split('\r\n')[0]).toBe('Email,Name,Country,Phone,Total Sales,Error');
    expect(text).toContain('h2@http.test,Hai Two,Vietnum,,5,');
  });

  it('runs on the job queue when the server has one, and tells XLSX by its bytes', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Sheet1');
    sheet.addRow(['E-mail', 'First name', 'Organisation', 'ZIP', 'Total Purchases']);
    sheet.addRow(['q1@queue.test', 'Quy', 'Queue Co', '70000', 10]);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    const response = await upload(queuedApp, {
      query: 'kind=supplier',
      body: bytes,
      type: 'application/octet-stream',
    });
    expect(response.status).toBe(202);
    const started = (await response.json()) as ImportView;
    const view = await finished(queuedApp, started.id);
    expect(view).toMatchObject({ status: 'completed', format: 'xlsx', created: 1, rejected: 0 });
    const job = await queue.status(
      'partner-import',
      (await queue.find('partner-import', { data: { importId: started.id } }))[0]!.id,
    );
    expect(job?.state).toBe('completed');
  });

  it('a dry run writes nothing and reports what would happen', async () => {
    const csv = 'Email,Name,Total Sales\ndry@http.test,Dry Run,0\n';
    const started = (await (
      await upload(app, { query: 'kind=customer&dryRun=1', body: csv })
    ).json()) as ImportView;
    const view = await finished(app, started.id);
    expect(view).toMatchObject({ status: 'completed', dryRun: true, created: 1 });
    const search = await app.request('/api/tools/search_partners', {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.admin}` },
      body: JSON.stringify({ query: 'dry@http.test' }),
    });
    expect(((await search.json()) as { structured: { total: number } }).structured.total).toBe(0);
  });

  it('refuses a viewer (403), bad options (400) and shows an import to no other user (404)', async () => {
    const csv = 'Email,Name,Total Sales\nv@http.test,V,0\n';
    expect((await upload(app, { query: 'kind=customer', body: csv, token: tokens.viewer })).status).toBe(403);
    const bad = await upload(app, { query: 'kind=robot&onError=maybe', body: csv });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { problems: { field: string }[] }).problems.map((p) => p.field)).toEqual([
      'kind',
      'onError',
    ]);
    const started = (await (
      await upload(app, { query: 'kind=customer&dryRun=1', body: csv })
    ).json()) as ImportView;
    await finished(app, started.id);
    const other = await app.request(`/api/imports/${started.id}`, {
      headers: { authorization: `Bearer ${tokens.euEditor}` },
    });
    expect(other.status).toBe(404);
    expect((await app.request(`/api/imports/${started.id}`)).status).toBe(401);
  });

  it('takes a file over the general body limit', async () => {
    const rows = Array.from({ length: 30_000 }, (_, i) => `big${i}@http.test,Big Bigger Biggest ${i},1`).join(
      '\n',
    );
    const csv = `Email,Name,Total Sales\n${rows}\n`;
    expect(csv.length).toBeGreaterThan(1024 * 1024);
    const response = await upload(app, { query: 'kind=customer&dryRun=true', body: csv });
    expect(response.status).toBe(202);
    const view = await finished(app, ((await response.json()) as ImportView).id);
    expect(view).toMatchObject({ status: 'completed', rowsRead: 30_000, created: 30_000, rejected: 0 });
  });
});
