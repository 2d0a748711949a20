/**
 * Export benchmark: fills a scratch PostgreSQL database with `rows` partners (COPY), then
 * times full exports of them (CSV and XLSX by default), each in a fresh child process so its
 * peak RSS (getrusage maxrss) is the export's alone. Drops the database afterwards.
 *
 *   node --import tsx bench/export.ts [postgres://postgres@127.0.0.1:5432/postgres] [1000000]
 *
 * BENCH_HOST=tsx runs the children through tsx (as bin/partnerbook.js does) instead of an
 * esbuild bundle on plain Node; tsx's loader thread adds about 80 MB of RSS before any work.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { openDatabase } from '../src/db/client.ts';
import { migrateDatabase } from '../src/db/migrate.ts';
import { systemClock } from '../src/directory/activity/clock.ts';
import type { DirectoryContext } from '../src/directory/context.ts';
import { type ExportFormat, writePartnersExport } from '../src/directory/exports/export.ts';
import { defaultExportColumns, type ExportColumnId } from '../src/directory/exports/export-columns.ts';

/** One export to time: a format and the columns (default: the default export, 25 columns). */
export interface ExportBenchCase {
  format: ExportFormat;
  columns?: ExportColumnId[];
}

/** How the child process runs: an esbuild bundle on plain Node, or the sources through tsx. */
export type BenchHost = 'node' | 'tsx';

export interface ExportBenchRun {
  format: ExportFormat;
  columns: number;
  host: BenchHost;
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  /** Peak resident set size of the process that ran only this export. */
  peakRssMb: number;
  /** RSS of that process once loaded, before the export started. */
  baselineRssMb: number;
  outputMb: number;
  target: { rowsPerSecond: number; peakRssMb: number };
  met: boolean;
}

export interface ExportBenchResult {
  rows: number;
  fillSeconds: number;
  runs: ExportBenchRun[];
}

/** The issue's targets on the 2-core reference machine. */
export const exportTargets: Record<ExportFormat, { rowsPerSecond: number; peakRssMb: number }> = {
  csv: { rowsPerSecond: 200_000, peakRssMb: 150 },
  xlsx: { rowsPerSecond: 50_000, peakRssMb: 250 },
};

/** The default export in both formats, then a narrow one (the issue's example columns). */
export const defaultBenchCases: ExportBenchCase[] = [
  { format: 'csv' },
  { format: 'xlsx' },
  {
    format: 'csv',
    columns: ['name', 'phone', 'companyName', 'total', 'city', 'country', 'ordersCount', 'lastOrderDate'],
  },
  {
    format: 'xlsx',
    columns: ['name', 'phone', 'companyName', 'total', 'city', 'country', 'ordersCount', 'lastOrderDate'],
  },
];

const here = fileURLToPath(import.meta.url);
const projectRoot = fileURLToPath(new URL('..', import.meta.url));

function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

const kinds = ['customer', 'supplier'] as const;
const countries = ['VN', 'US', 'DE', 'FR', 'JP', 'GB', 'SG', 'TH', 'CN', 'IN'];
const cities = ['Hanoi', 'Ho Chi Minh City', 'Berlin', 'Paris', 'Tokyo', 'London', 'Singapore', 'Bangkok'];
const firstNames = ['Anna', 'Binh', 'Chloé', 'David', 'Émile', 'Fatima', 'Giang', 'Hiro', 'Ivan', 'Józef'];
const lastNames = ['Nguyen', 'Tran', 'Müller', 'Smith', 'Dubois', 'Sato', 'Le', 'Pham', 'García', 'Kowalski'];

/** COPY text-format line for partner number i (realistic widths; some fields need CSV quoting). */
function copyLine(i: number): string {
  const kind = kinds[i % 2]!;
  const code = `${kind === 'customer' ? 'C' : 'S'}${String(i).padStart(8, '0')}`;
  const day = String((i % 28) + 1).padStart(2, '0');
  const month = String((i % 12) + 1).padStart(2, '0');
  const company = i % 7 === 0 ? `"Acme, ${i}" Trading Co.` : `Company ${i % 50_000} Ltd`;
  return [
    kind,
    code,
    firstNames[i % 10],
    lastNames[(i >> 3) % 10],
    `user${i}@example${i % 97}.com`,
    `+8491${String(i).padStart(7, '0')}`,
    company,
    `${(i % 1_000_000) * 3}.50`,
    'USD',
    `${i % 999} Nguyen Trai Street`,
    cities[i % cities.length],
    String(10_000 + (i % 90_000)),
    countries[i % countries.length],
    `https://www.company${i % 50_000}.example`,
    String(i % 5000),
    `20${10 + (i % 16)}-${month}-${day}`,
    `2026-${month}-${day}`,
    String(i % 300),
    i % 5 === 0 ? '{eu}' : '{}',
    '2026-01-01 00:00:00+00',
    'bench',
    'bench',
  ].join('\t');
}

const copyColumns =
  'kind, code, first_name, last_name, email, phone, company_name, total, currency, street, city, postal_code, country, website, employees, since, last_order_date, orders_count, access_groups, terms_accepted_at, created_by, updated_by';

/** Bulk-loads `rows` synthetic partners with COPY (about 10k rows/s here: the generated search columns and indexes). */
export async function fillBenchPartners(sql: postgres.Sql, rows: number): Promise<void> {
  async function* lines() {
    const chunk = 2_000;
    for (let start = 0; start < rows; start += chunk) {
      let text = '';
      for (let i = start; i < Math.min(rows, start + chunk); i++) text += `${copyLine(i)}\n`;
      yield text;
    }
  }
  const writable = await sql.unsafe(`copy partners (${copyColumns}) from stdin`).writable();
  await pipeline(Readable.from(lines()), writable);
  await sql.unsafe('vacuum analyze partners');
}

/** A sink that only counts bytes (so the disk does not limit what is measured). */
function nullSink(): Writable & { bytes: number } {
  const sink = new Writable({
    highWaterMark: 1024 * 1024,
    write(chunk: Buffer, _encoding, callback) {
      sink.bytes += chunk.length;
      callback();
    },
  }) as Writable & { bytes: number };
  sink.bytes = 0;
  return sink;
}

type Measured = Omit<ExportBenchRun, 'target' | 'met' | 'host'>;

/** Runs one export of every partner in this process (the child side) and measures it. */
async function measureOne(url: string, benchCase: ExportBenchCase): Promise<Measured> {
  const database = await openDatabase({ driver: 'postgres', url, maxConnections: 2 });
  try {
    const ctx: DirectoryContext = {
      db: database.db,
      clock: systemClock,
      timeZone: 'UTC',
      complianceWindowDays: 30,
      actor: { principal: { id: 'bench', name: 'bench', role: 'admin', accessGroups: [] }, via: 'cli' },
    };
    const output = nullSink();
    const baselineRssMb = Math.round(process.memoryUsage.rss() / 2 ** 20);
    const started = performance.now();
    const { rowCount } = await writePartnersExport(ctx, {
      filters: {},
      format: benchCase.format,
      columns: benchCase.columns,
      output,
    });
    const seconds = (performance.now() - started) / 1000;
    return {
      format: benchCase.format,
      columns: (benchCase.columns ?? defaultExportColumns('mixed')).length,
      rows: rowCount,
      seconds: Math.round(seconds * 100) / 100,
      rowsPerSecond: Math.round(rowCount / seconds),
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      baselineRssMb,
      outputMb: Math.round(output.bytes / 1024 / 102.4) / 10,
    };
  } finally {
    await database.close();
  }
}

/** Bundles this file (packages left in node_modules, JSON inlined) into .bench/ for plain Node. */
async function bundleForNode(): Promise<string | undefined> {
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch {
    return undefined; // esbuild comes with tsx; without it the children run through tsx
  }
  const outfile = join(projectRoot, '.bench', 'export-bench.mjs');
  await esbuild.build({
    entryPoints: [here],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'warning',
    plugins: [
      {
        name: 'external-packages',
        setup(builder) {
          // JSON imported with attributes (i18n-iso-countries) is inlined: the attribute would be lost.
          builder.onResolve({ filter: /^[^./]/ }, (args) =>
            args.path.endsWith('.json') ? undefined : { path: args.path, external: true },
          );
        },
      },
    ],
  });
  return outfile;
}

async function measureInChild(options: {
  url: string;
  benchCase: ExportBenchCase;
  host: BenchHost;
  bundle?: string;
  nodeFlags?: string[];
}): Promise<ExportBenchRun> {
  const { url, benchCase, bundle } = options;
  const host = options.host === 'node' && bundle ? 'node' : 'tsx';
  const child = ['--child', url, JSON.stringify(benchCase)];
  const args = [
    ...(options.nodeFlags ?? []),
    ...(host === 'node' ? [bundle!, ...child] : ['--import', 'tsx', here, ...child]),
  ];
  const { stdout } = await promisify(execFile)(process.execPath, args, {
    maxBuffer: 1024 * 1024,
    cwd: projectRoot,
  });
  const measured = JSON.parse(stdout.trim().split('\n').at(-1)!) as Measured;
  const target = exportTargets[benchCase.format];
  return {
    ...measured,
    host,
    target,
    met: measured.rowsPerSecond >= target.rowsPerSecond && measured.peakRssMb <= target.peakRssMb,
  };
}

/**
 * Times full exports of every partner of an existing database (e.g. the 1M-row database of
 * bench/run.ts), each case in its own child process.
 */
export async function measureExports(options: {
  databaseUrl: string;
  cases?: ExportBenchCase[];
  host?: BenchHost;
  /** Node flags for the children, e.g. ["--max-old-space-size=96"] to cap the heap. */
  nodeFlags?: string[];
  log?: (line: string) => void;
}): Promise<ExportBenchRun[]> {
  const host = options.host ?? 'node';
  const bundle = host === 'node' ? await bundleForNode() : undefined;
  const runs: ExportBenchRun[] = [];
  for (const benchCase of options.cases ?? defaultBenchCases) {
    const run = await measureInChild({
      url: options.databaseUrl,
      benchCase,
      host,
      bundle,
      nodeFlags: options.nodeFlags,
    });
    options.log?.(
      `export bench: ${run.format}, ${run.columns} columns, on ${run.host}${options.nodeFlags?.length ? ` ${options.nodeFlags.join(' ')}` : ''}: ${run.rows.toLocaleString('en')} rows in ${run.seconds} s = ${run.rowsPerSecond.toLocaleString('en')} rows/s, peak RSS ${run.peakRssMb} MB (${run.baselineRssMb} MB before), ${run.outputMb} MB (target >= ${run.target.rowsPerSecond.toLocaleString('en')} rows/s, <= ${run.target.peakRssMb} MB: ${run.met ? 'met' : 'MISSED'})`,
    );
    runs.push(run);
  }
  return runs;
}

/**
 * Creates the database `pb_export_bench` (dropped first if left over, and again at the end)
 * on the PostgreSQL server of `url`, fills it with `rows` partners, and times full exports of
 * them (throughput and peak RSS, each in its own child process).
 */
export async function benchExports(options: {
  url: string;
  rows: number;
  cases?: ExportBenchCase[];
  host?: BenchHost;
  nodeFlags?: string[];
  /** Scratch database name (default pb_export_bench). */
  database?: string;
  log?: (line: string) => void;
}): Promise<ExportBenchResult> {
  const name = options.database ?? 'pb_export_bench';
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Unsafe database name: ${name}`);
  const log = options.log ?? (() => {});
  const admin = postgres(options.url, { max: 1, onnotice: () => {} });
  const url = databaseUrl(options.url, name);
  try {
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.unsafe(`CREATE DATABASE ${name}`);
    const database = await openDatabase({ driver: 'postgres', url });
    const fillStarted = performance.now();
    try {
      await migrateDatabase(database);
      log(`export bench: filling ${options.rows.toLocaleString('en')} partners`);
      await fillBenchPartners(database.sql!, options.rows);
    } finally {
      await database.close();
    }
    const fillSeconds = Math.round((performance.now() - fillStarted) / 100) / 10;
    const runs = await measureExports({
      databaseUrl: url,
      cases: options.cases,
      host: options.host,
      nodeFlags: options.nodeFlags,
      log,
    });
    return { rows: options.rows, fillSeconds, runs };
  } finally {
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
    await admin.end();
  }
}

if (process.argv[1] === here) {
  const [flag, ...rest] = process.argv.slice(2);
  if (flag === '--child') {
    const [url, benchCase] = rest as [string, string];
    console.log(JSON.stringify(await measureOne(url, JSON.parse(benchCase) as ExportBenchCase)));
  } else {
    const url = flag ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    const rows = Number(rest[0] ?? 1_000_000);
    const host = (process.env.BENCH_HOST as BenchHost | undefined) ?? 'node';
    const result = await benchExports({ url, rows, host, log: (line) => console.error(line) });
    console.log(JSON.stringify(result, null, 2));
  }
}
