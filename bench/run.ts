/**
 * npm run bench: loads 1,000,000 demo partners into a fresh PostgreSQL database (COPY) and
 * 100,000 into in-memory PGlite, then measures p50/p95/p99 of text search, filters, keyset
 * paging and the summary counts through the domain functions, against the targets.
 *
 * Environment (all optional):
 *   BENCH_DATABASE_URL  database to (re)create, default postgres://postgres@127.0.0.1:5432/pb_bench;
 *                       its name must contain "bench" (it is dropped first)
 *   BENCH_ROWS          PostgreSQL rows, default 1000000 (e.g. 100000 for a quick run)
 *   BENCH_PGLITE_ROWS   PGlite rows, default 100000 (at most BENCH_ROWS)
 *   BENCH_ITERATIONS    timed iterations per scenario, default 200
 *   BENCH_ONLY          postgres or pglite: run one side only
 *   BENCH_REUSE=1       keep an existing pb_bench with the right row count instead of reloading
 *                       (pending migrations are applied to it)
 *   BENCH_DROP=1        drop the database at the end (kept by default, for EXPLAIN)
 *   BENCH_HTTP=0        skip the HTTP load (MCP calls with autocannon, exports over HTTP)
 *   BENCH_HTTP_SECONDS  seconds per HTTP scenario, default 10
 *   BENCH_SOAK_SECONDS  seconds of the mixed-call soak, default 0 (the README's figure used 600)
 *
 * Writes .bench/results.json and prints a markdown table for the README.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import postgres from 'postgres';
import { openDatabase } from '../src/db/client.ts';
import { migrateDatabase } from '../src/db/migrate.ts';
import { systemClock, todayIn } from '../src/directory/activity/clock.ts';
import { benchHttp, type HttpBenchResult, httpMarkdown } from './http-phase.ts';
import { type LoadTimings, loadPglite, loadPostgres } from './load.ts';
import { benchContext, runScenarios } from './scenarios.ts';
import { type Measurement, markdownTable } from './stats.ts';

const env = process.env;
const url = env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/pb_bench';
const rows = Number(env.BENCH_ROWS ?? 1_000_000);
const pgliteRows = Math.min(Number(env.BENCH_PGLITE_ROWS ?? 100_000), rows);
const iterations = Number(env.BENCH_ITERATIONS ?? 200);
const only = env.BENCH_ONLY;
const seed = 20_240_601;
const today = todayIn('UTC', systemClock);
const log = (line: string) => console.log(line);

interface SideResult {
  http?: HttpBenchResult;
  rows: number;
  load?: LoadTimings & { reused?: boolean; note: string };
  measurements: Measurement[];
}

async function benchPostgres(): Promise<SideResult> {
  const target = new URL(url);
  const name = target.pathname.slice(1);
  if (!/^[a-z_][a-z0-9_]*$/.test(name) || !name.includes('bench')) {
    throw new Error(`Refusing to recreate database "${name}": its name must contain "bench".`);
  }
  const admin = serverClient(target);
  log(`PostgreSQL ${redact(target)}: ${rows.toLocaleString('en')} partners`);
  let reused = false;
  try {
    if (env.BENCH_REUSE === '1') reused = await hasRows(url, rows);
    if (!reused) {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.unsafe(`create database ${name}`);
    }
  } finally {
    await admin.end();
  }
  const database = await openDatabase({ driver: 'postgres', url, maxConnections: 10 });
  try {
    let load: SideResult['load'];
    if (reused) {
      log('  reusing the loaded database (BENCH_REUSE=1); applying pending migrations');
      await migrateDatabase(database);
      load = {
        dropIndexes: 0,
        insert: 0,
        createIndexes: 0,
        vacuumAnalyze: 0,
        total: 0,
        reused,
        note: 'reused',
      };
    } else {
      await migrateDatabase(database);
      const timings = await loadPostgres({ url, rows, seed, today, log });
      const note =
        'COPY ... FREEZE with secondary indexes dropped and rebuilt, then VACUUM ANALYZE; orders table not filled (ordersCount and lastOrderDate set directly)';
      log(
        `  seeded in ${timings.total} s (COPY ${timings.insert} s, indexes ${timings.createIndexes} s, vacuum analyze ${timings.vacuumAnalyze} s)${timings.total <= 120 ? '' : '  over the 2-minute budget'}`,
      );
      log('  orders table not filled for the benchmark: ordersCount and lastOrderDate are set directly');
      load = { ...timings, note };
    }
    const [server] = await database.sql!`select current_setting('server_version') as version`;
    log(`  server ${server!.version}; measuring (${iterations} iterations per scenario, today ${today})`);
    const measurements = await runScenarios({
      ctx: benchContext(database.db, today),
      database: 'postgres',
      rows,
      iterations,
      log,
    });
    await database.close();
    let http: HttpBenchResult | undefined;
    if (env.BENCH_HTTP !== '0') {
      log('  HTTP: partnerbook serve on this database, MCP tools/call with autocannon over loopback');
      http = await benchHttp({
        databaseUrl: url,
        seconds: Number(env.BENCH_HTTP_SECONDS ?? 10),
        soakSeconds: Number(env.BENCH_SOAK_SECONDS ?? 0),
        log,
      });
    }
    return { rows, load, measurements, http };
  } finally {
    await database.close().catch(() => undefined);
    if (env.BENCH_DROP === '1') {
      const cleanup = serverClient(target);
      await cleanup.unsafe(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    }
  }
}

async function benchPglite(): Promise<SideResult> {
  log(`PGlite (in memory): ${pgliteRows.toLocaleString('en')} partners`);
  const database = await openDatabase({ driver: 'pglite' });
  try {
    await migrateDatabase(database);
    const timings = await loadPglite({ database, rows: pgliteRows, seed, today });
    log(
      `  seeded in ${timings.total} s (INSERT batches of 1,000 ${timings.insert} s, indexes ${timings.createIndexes} s)`,
    );
    const measurements = await runScenarios({
      ctx: benchContext(database.db, today),
      database: 'pglite',
      rows: pgliteRows,
      iterations,
      log,
    });
    return {
      rows: pgliteRows,
      load: { ...timings, note: 'batched INSERTs of 1,000 rows, secondary indexes rebuilt after; no orders' },
      measurements,
    };
  } finally {
    await database.close();
  }
}

/** A client on the server's "postgres" database, to drop and create the bench database. */
function serverClient(target: URL) {
  const server = new URL(target);
  server.pathname = '/postgres';
  return postgres(server.toString(), { max: 1, onnotice: () => {} });
}

function redact(target: URL): string {
  const copy = new URL(target);
  if (copy.password) copy.password = '***';
  return copy.toString();
}

async function hasRows(databaseUrl: string, expected: number): Promise<boolean> {
  const probe = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const [row] = await probe`select count(*)::int as n from partners`;
    return row?.n === expected;
  } catch {
    return false;
  } finally {
    await probe.end();
  }
}

const started = new Date();
const loadAtStart = os.loadavg();
const load = loadAtStart.map((value) => value.toFixed(2));
log(
  `partnerbook bench, ${started.toISOString()}: Node ${process.version}, ${os.cpus().length} CPUs, load average ${load.join(' ')}`,
);
const results: { postgres?: SideResult; pglite?: SideResult } = {};
if (only !== 'pglite') results.postgres = await benchPostgres();
if (only !== 'postgres') results.pglite = await benchPglite();
const measurements = [...(results.postgres?.measurements ?? []), ...(results.pglite?.measurements ?? [])];
await mkdir('.bench', { recursive: true });
await writeFile(
  '.bench/results.json',
  `${JSON.stringify(
    {
      startedAt: started.toISOString(),
      today,
      node: process.version,
      cpus: os.cpus().length,
      loadAverageAtStart: loadAtStart,
      loadAverageAtEnd: os.loadavg(),
      iterations,
      command: 'npm run bench',
      ...results,
    },
    null,
    2,
  )}\n`,
);
log('');
log(markdownTable(measurements));
log('');
if (results.postgres?.http) {
  log(httpMarkdown(results.postgres.http));
  log('');
}
const httpFailed = [...(results.postgres?.http?.scenarios ?? []), ...(results.postgres?.http?.exports ?? [])]
  .filter((m) => !m.pass)
  .map((m) => ('name' in m ? `${m.name} at ${m.connections} connections` : `export ${m.format}`));
const failed = [
  ...measurements.filter((m) => m.pass === false || m.error).map((m) => ({ scenario: m.scenario })),
  ...httpFailed.map((scenario) => ({ scenario })),
];
log(
  failed.length
    ? `${failed.length} scenario(s) missed the target: ${failed.map((m) => m.scenario).join('; ')}`
    : 'All targets met.',
);
log('Results written to .bench/results.json');
