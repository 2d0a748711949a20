import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextFor } from '../../../test/context.ts';
import { openTestDatabase } from '../../../test/database.ts';
import type { Database } from '../../db/client.ts';
import { importFile } from './imports.ts';

let database: Database;
let dir: string;
beforeAll(async () => {
  database = await openTestDatabase();
  dir = mkdtempSync(join(tmpdir(), 'pb-import-scale-'));
});
afterAll(async () => {
  await database?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function writeRows(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  out.write('Company,Name,Email,Phone,City,Country,Total Purchases,Notes\n');
  for (let i = 0; i < rows; i++) {
    const line = `Supplier ${i} Co. Ltd,Lan Tran ${i},s${i}@scale.test,09${String(12000000 + i).padStart(8, '0')},Hanoi,${i % 3 ? 'VN' : 'Viet Nam'},${i % 1000},"notes for ${i}, with a comma"\n`;
    if (!out.write(line)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
}

describe('importFile at scale and with hostile input', () => {
  it('checks 100,000 rows with flat memory', async () => {
    const path = join(dir, '100k.csv');
    await writeRows(path, 100_000);
    const base = process.memoryUsage().heapUsed;
    let peak = base;
    const started = Date.now();
    const view = await importFile(contextFor(database), {
      path,
      input: { kind: 'supplier', dryRun: true },
      onProgress: () => {
        peak = Math.max(peak, process.memoryUsage().heapUsed);
      },
    });
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `100,000-row dry run: ${seconds.toFixed(1)} s, ${Math.round(100_000 / seconds)} rows/s, JS heap peak +${Math.round((peak - base) / 1024 / 1024)} MB`,
    );
    expect(view).toMatchObject({ status: 'completed', rowsRead: 100_000, created: 100_000, rejected: 0 });
    // The file is about 11 MB; what the import holds does not grow with it (the in-file key
    // hashes, about 2 numbers a row, are the only per-row memory).
    expect(peak - base).toBeLessThan(150 * 1024 * 1024);
  }, 600_000);

  it('refuses NUL and control characters per row, and a binary file or an endless row as a whole', async () => {
    const nul = join(dir, 'nul.csv');
    writeFileSync(
      nul,
      'Email,Name,Total Purchases\nok@hostile.test,Ok,0\nnul@hostile.test,Bad\u0000Name,0\n',
    );
    const view = await importFile(contextFor(database), {
      path: nul,
      input: { kind: 'supplier', dryRun: true },
    });
    expect(view).toMatchObject({ status: 'completed', created: 1, rejected: 1 });
    expect(view.rejectedRows[0]!.problems[0]).toMatchObject({ field: 'firstName' });

    const binary = join(dir, 'binary.csv');
    writeFileSync(binary, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
    const garbage = await importFile(contextFor(database), {
      path: binary,
      input: { kind: 'supplier', dryRun: true },
    });
    expect(garbage.status).toBe('failed');
    expect(garbage.message).toMatch(/could not be read|no Email column/);

    const endless = join(dir, 'endless.csv');
    writeFileSync(endless, `Email,Name,Notes\na@hostile.test,A,"${'x'.repeat(1_100_000)}\n`);
    const long = await importFile(contextFor(database), {
      path: endless,
      input: { kind: 'supplier', dryRun: true },
    });
    expect(long.status).toBe('failed');
    expect(long.message).toMatch(/could not be read after row 1/);
  }, 600_000);
});
