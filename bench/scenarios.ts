import { sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../src/db/client.ts';
import { fixedClock } from '../src/directory/activity/clock.ts';
import type { DirectoryContext } from '../src/directory/context.ts';
import { DirectoryError } from '../src/directory/errors.ts';
import { type SearchInput, searchPartners } from '../src/directory/search/search.ts';
import { countPartners } from '../src/directory/summary/summary.ts';
import { type Measurement, sample, summarize, type Target } from './stats.ts';

/** The targets at 1M rows on PostgreSQL (ms). */
export const targets = {
  text: { p95: 20, p99: 30 },
  filter: { p99: 10 },
  keyset: { p99: 10 },
  summary: { p99: 50 },
} satisfies Record<string, Target>;

const commonTerms = [
  'nguyen',
  'tran',
  'textile',
  'muller',
  'smith',
  'wang',
  'garcia',
  'packaging',
  'kumar',
  'gmbh',
];
const shortTerms = ['ng', 'wu', 'le', 'li', 'ma', 'an', 'ho', 'vo', 'lu', 'ko'];
const filterCombos = (['supplier', 'customer'] as const).flatMap((kind) =>
  ['VN', 'DE', 'US', 'CN', 'IN', 'JP'].flatMap((country) =>
    (['inactive', 'active', 'new'] as const).map((activity) => ({ kind, countries: [country], activity })),
  ),
);

/** An admin context with "today" fixed to the day the data was generated for. */
export function benchContext(db: Db, today: string): DirectoryContext {
  return {
    db,
    clock: fixedClock(`${today}T12:00:00Z`),
    timeZone: 'UTC',
    complianceWindowDays: 30,
    actor: { principal: { id: 'bench', name: 'bench', role: 'admin', accessGroups: [] }, via: 'cli' },
  };
}

/** Rare terms: emails and codes of random rows (each matches one or a few records). */
async function rareTerms(db: Db, count: number): Promise<string[]> {
  const rows = rowsOf<{ email: string; code: string }>(
    await db.execute(sql`select email, code from partners order by md5(id::text) limit ${count}`),
  );
  return rows.flatMap((row, index) => (index % 2 === 0 ? [row.email] : [row.code.toLowerCase()]));
}

/**
 * A cursor for sort by total (desc) starting `depth` rows deep, in the form searchPartners
 * returns (base64url JSON [sortBy, dir, value, id]); found once with a slow OFFSET query.
 */
async function cursorAtDepth(db: Db, depth: number): Promise<string> {
  const [row] = rowsOf<{ value: string; id: string }>(
    await db.execute(
      sql`select total::text as value, id from partners order by total desc, id desc offset ${depth} limit 1`,
    ),
  );
  return Buffer.from(JSON.stringify(['total', 'desc', row!.value, row!.id])).toString('base64url');
}

/** Follows nextCursor page by page (sort by total, 200 a page); one sample per page. */
async function keysetPages(
  ctx: DirectoryContext,
  options: { start?: string; pages: number },
): Promise<number[]> {
  const samples: number[] = [];
  let cursor = options.start;
  for (let page = 0; page < options.pages; page++) {
    const input: SearchInput = { sortBy: 'total', limit: 200, ...(cursor ? { cursor } : {}) };
    const started = performance.now();
    const result = await searchPartners(ctx, input);
    samples.push(performance.now() - started);
    if (!result.nextCursor) break;
    cursor = result.nextCursor;
  }
  return samples;
}

/** Runs every scenario against one loaded database; targets are checked on PostgreSQL only. */
export async function runScenarios(options: {
  ctx: DirectoryContext;
  database: Measurement['database'];
  rows: number;
  iterations: number;
  log: (line: string) => void;
}): Promise<Measurement[]> {
  const { ctx, database, rows, iterations, log } = options;
  const warmup = Math.max(5, Math.round(iterations / 10));
  const withTarget = (target: Target) => (database === 'postgres' ? target : undefined);
  const results: Measurement[] = [];
  const record = (measurement: Measurement) => {
    results.push(measurement);
    const verdict = measurement.pass === undefined ? '' : measurement.pass ? '  pass' : '  FAIL';
    log(
      `  ${measurement.scenario.padEnd(40)} p50 ${measurement.p50.toFixed(1).padStart(7)}  p95 ${measurement.p95.toFixed(1).padStart(7)}  p99 ${measurement.p99.toFixed(1).padStart(7)} ms${verdict}`,
    );
  };
  const textScenario = async (scenario: string, terms: string[]) => {
    const samples = await sample({
      iterations,
      warmup,
      run: (i) => searchPartners(ctx, { query: terms[i % terms.length]! }),
    });
    record(
      summarize(samples, {
        database,
        rows,
        scenario,
        detail: `query over ${terms.length} terms, e.g. ${terms.slice(0, 3).join(', ')}; sort name, 25 a page`,
        target: withTarget(targets.text),
      }),
    );
  };

  await textScenario('text search, common term', commonTerms);
  await textScenario('text search, rare term', await rareTerms(ctx.db, 200));
  await textScenario('text search, 2-letter term', shortTerms);

  const filterSamples = await sample({
    iterations,
    warmup,
    run: (i) => searchPartners(ctx, filterCombos[i % filterCombos.length]!),
  });
  record(
    summarize(filterSamples, {
      database,
      rows,
      scenario: 'country + activity filter',
      detail: `kind x country (VN, DE, US, CN, IN, JP) x activity (inactive, active, new); sort name, 25 a page`,
      target: withTarget(targets.filter),
    }),
  );

  await keysetPages(ctx, { pages: warmup });
  record(
    summarize(await keysetPages(ctx, { pages: iterations }), {
      database,
      rows,
      scenario: 'sort by total, keyset pages from top',
      detail: `${iterations} consecutive pages of 200 following nextCursor from the first page`,
      target: withTarget(targets.keyset),
    }),
  );
  const depth = Math.floor(rows / 2);
  try {
    const start = await cursorAtDepth(ctx.db, depth);
    await keysetPages(ctx, { start, pages: warmup });
    record(
      summarize(await keysetPages(ctx, { start, pages: iterations }), {
        database,
        rows,
        scenario: `sort by total, keyset pages at ${depth.toLocaleString('en')}`,
        detail: `${iterations} consecutive pages of 200 from a cursor ${depth.toLocaleString('en')} rows deep`,
        target: withTarget(targets.keyset),
      }),
    );
  } catch (error) {
    // The cursor format is search.ts's own; if it changes, this scenario reports it instead of failing the run.
    const message = error instanceof DirectoryError ? error.message : String(error);
    log(`  deep keyset skipped: ${message}`);
    results.push({
      database,
      rows,
      scenario: `sort by total, keyset pages at ${depth.toLocaleString('en')}`,
      detail: 'cursor built from the row at that depth',
      iterations: 0,
      p50: Number.NaN,
      p95: Number.NaN,
      p99: Number.NaN,
      max: Number.NaN,
      error: message,
    });
  }

  const summarySamples = await sample({ iterations, warmup, run: () => countPartners(ctx) });
  record(
    summarize(summarySamples, {
      database,
      rows,
      scenario: 'summary counts (both kinds)',
      detail: 'countPartners: all, new, active, inactive, enabled, disabled per kind',
      target: withTarget(targets.summary),
    }),
  );
  return results;
}
