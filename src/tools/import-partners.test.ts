import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextFor } from '../../test/context.ts';
import { openTestDatabase } from '../../test/database.ts';
import type { Database } from '../db/client.ts';
import { partners } from '../db/schema/index.ts';
import { findTool, runTool } from './index.ts';

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const csv =
  'Company,Name,Email,Country,Total Purchases\nAcme Ltd,Lan Tran,lan@tool.test,Viet Nam,0\nBad Co,Bao,bao@tool.test,Vietnum,0\n';

describe('import_partners', () => {
  it('is a dry run by default: says what would happen, with the suggestion, and writes nothing', async () => {
    const result = await runTool(
      findTool('import_partners')!,
      { kind: 'supplier', csv },
      contextFor(database),
    );
    expect(result.isError).toBe(false);
    if (result.isError) return;
    expect(result.structured).toMatchObject({ dryRun: true, status: 'completed', created: 1, rejected: 1 });
    expect(result.text).toMatch(
      /^Dry run, nothing written .*would create 1, would update 0, unchanged 0, rejected 1/,
    );
    const problem = (result.structured as { rejectedRows: { problems: { didYouMean?: string }[] }[] })
      .rejectedRows[0]!.problems[0]!;
    expect(problem.didYouMean).toMatch(/VN/);
    expect(await database.db.select().from(partners).where(eq(partners.email, 'lan@tool.test'))).toHaveLength(
      0,
    );
  });

  it('writes with dryRun false and onError skip; get_import reads it back', async () => {
    const ctx = contextFor(database, { role: 'editor' });
    const result = await runTool(
      findTool('import_partners')!,
      { kind: 'supplier', csv, dryRun: false, onError: 'skip' },
      ctx,
    );
    if (result.isError) throw new Error(result.text);
    expect(result.structured).toMatchObject({ created: 1, rejected: 1 });
    const [row] = await database.db.select().from(partners).where(eq(partners.email, 'lan@tool.test'));
    expect(row).toMatchObject({ companyName: 'Acme Ltd', country: 'VN', kind: 'supplier' });
    const read = await runTool(
      findTool('get_import')!,
      { id: (result.structured as { id: string }).id },
      ctx,
    );
    expect(read.isError).toBe(false);
    expect(read.text).toMatch(/^Imported/);
  });

  it('refuses a viewer before reading anything', async () => {
    const result = await runTool(
      findTool('import_partners')!,
      { kind: 'supplier', csv },
      contextFor(database, { role: 'viewer' }),
    );
    expect(result).toMatchObject({ isError: true, error: { error: 'forbidden' } });
  });

  it('sends more than 5,000 rows to the upload or the CLI', async () => {
    const big = `Email,Name\n${Array.from({ length: 5_002 }, (_, i) => `b${i}@tool.test,B`).join('\n')}\n`;
    const result = await runTool(
      findTool('import_partners')!,
      { kind: 'customer', csv: big },
      contextFor(database),
    );
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/up to 5000 rows.*POST \/api\/imports/);
  });
});
