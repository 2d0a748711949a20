import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql as drizzleSql } from 'drizzle-orm';
import postgres from 'postgres';
import { type Database, rowsOf } from '../src/db/client.ts';
import { partners } from '../src/db/schema/index.ts';
import { type DemoPartner, demoKindCounts, generateDemoPartners } from '../src/demo/demo-data.ts';

/** Seconds per load phase, for the printout. */
export interface LoadTimings {
  dropIndexes: number;
  insert: number;
  createIndexes: number;
  vacuumAnalyze: number;
  total: number;
}

interface IndexDefinition {
  name: string;
  definition: string;
}

/** Every column COPY fills; id, version and the generated search/sort columns come from PostgreSQL. */
const copyColumns = [
  ['kind', (p) => p.kind],
  ['code', (p) => p.code],
  ['status', (p) => p.status],
  ['approved', (p) => p.approved],
  ['first_name', (p) => p.firstName],
  ['last_name', (p) => p.lastName],
  ['email', (p) => p.email],
  ['phone', (p) => p.phone],
  ['company_name', (p) => p.companyName],
  ['nickname', (p) => p.nickname],
  ['notes', (p) => p.notes],
  ['since', (p) => p.since],
  ['total', (p) => p.total],
  ['currency', (p) => p.currency],
  ['street', (p) => p.street],
  ['address2', (p) => p.address2],
  ['city', (p) => p.city],
  ['state', (p) => p.state],
  ['postal_code', (p) => p.postalCode],
  ['country', (p) => p.country],
  ['website', (p) => p.website],
  ['employees', (p) => p.employees],
  ['orders_count', (p) => p.ordersCount],
  ['last_order_date', (p) => p.lastOrderDate],
  ['access_groups', (p) => `{${(p.accessGroups ?? []).join(',')}}`],
  ['block_non_compliant_orders', (p) => p.blockNonCompliantOrders],
  ['notify_on_compliance_breach', (p) => p.notifyOnComplianceBreach],
  ['terms_accepted_at', (p) => p.termsAcceptedAt],
  ['created_by', (p) => p.createdBy],
  ['updated_by', (p) => p.updatedBy],
  ['disabled_at', (p) => p.disabledAt],
  ['disabled_reason', (p) => p.disabledReason],
  ['created_at', (p) => p.createdAt],
  ['updated_at', (p) => p.updatedAt],
] as const satisfies readonly (readonly [string, (p: DemoPartner) => unknown])[];

/** One value in COPY text format: \N for NULL; backslash, tab, newline and CR escaped. */
function copyValue(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'boolean') return value ? 't' : 'f';
  const text = String(value);
  return /[\\\t\n\r]/.test(text)
    ? text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')
    : text;
}

function copyLine(partner: DemoPartner): string {
  let line = '';
  for (let i = 0; i < copyColumns.length; i++) {
    if (i > 0) line += '\t';
    line += copyValue(copyColumns[i]![1](partner));
  }
  return `${line}\n`;
}

async function secondaryIndexes(run: (query: string) => Promise<unknown>): Promise<IndexDefinition[]> {
  const rows = rowsOf<{ name: string; definition: string }>(
    await run(
      `select indexname as name, indexdef as definition from pg_indexes
       where schemaname = 'public' and tablename = 'partners' and indexname <> 'partners_pkey'
       order by indexname`,
    ),
  );
  return rows;
}

/** Recreates indexes on `workers` connections at once, the slow GIN trigram index first. */
async function createIndexes(
  indexes: IndexDefinition[],
  workers: ((query: string) => Promise<unknown>)[],
): Promise<void> {
  const queue = [...indexes].sort(
    (a, b) => Number(/using gin/i.test(b.definition)) - Number(/using gin/i.test(a.definition)),
  );
  await Promise.all(
    workers.map(async (run) => {
      for (let next = queue.shift(); next; next = queue.shift()) await run(next.definition);
    }),
  );
}

const seconds = (since: number) => Math.round((performance.now() - since) / 100) / 10;

/**
 * Bulk-loads `rows` demo partners (half customers, half suppliers) into a migrated, empty
 * PostgreSQL database with COPY: secondary indexes dropped first (definitions read from
 * pg_indexes) and rebuilt after, then VACUUM ANALYZE. The orders table is not filled:
 * ordersCount and lastOrderDate are set directly. Advances the code sequences.
 */
export async function loadPostgres(options: {
  url: string;
  rows: number;
  seed: number;
  today: string;
  log: (line: string) => void;
}): Promise<LoadTimings> {
  const { url, rows, seed, today, log } = options;
  const sql = postgres(url, {
    max: 2,
    onnotice: () => {},
    connection: {
      maintenance_work_mem: '512MB',
      synchronous_commit: 'off',
      application_name: 'partnerbook-bench',
    },
  });
  const run = (query: string) => sql.unsafe(query);
  try {
    const started = performance.now();
    const indexes = await secondaryIndexes(run);
    for (const index of indexes) await sql.unsafe(`drop index "${index.name}"`);
    const dropIndexes = seconds(started);

    const insertStarted = performance.now();
    const columns = copyColumns.map(([name]) => name).join(', ');
    async function* chunks() {
      let text = '';
      for (const partner of generateDemoPartners({
        count: rows,
        seed,
        today,
        withOrders: false,
        actorName: 'bench',
      })) {
        text += copyLine(partner);
        if (text.length > 1_000_000) {
          yield text;
          text = '';
        }
      }
      if (text) yield text;
    }
    // COPY ... FREEZE into a table truncated in the same transaction writes the rows frozen and
    // all-visible: the VACUUM after is quick and index-only scans work at once.
    await sql.begin(async (tx) => {
      await tx.unsafe('truncate partners cascade');
      const writable = await tx.unsafe(`copy partners (${columns}) from stdin with (freeze)`).writable();
      await pipeline(Readable.from(chunks()), writable);
    });
    const kinds = demoKindCounts(rows);
    await sql`select setval('customer_code_seq', ${Math.max(1, kinds.customer)}), setval('supplier_code_seq', ${Math.max(1, kinds.supplier)})`;
    const insert = seconds(insertStarted);
    log(`  COPY ${rows.toLocaleString('en')} rows: ${insert} s`);

    const indexStarted = performance.now();
    const reserved = await Promise.all([sql.reserve(), sql.reserve()]);
    try {
      await createIndexes(
        indexes,
        reserved.map((connection) => (query: string) => connection.unsafe(query)),
      );
    } finally {
      for (const connection of reserved) connection.release();
    }
    const createIndexesSeconds = seconds(indexStarted);
    log(`  ${indexes.length} indexes rebuilt: ${createIndexesSeconds} s`);

    const vacuumStarted = performance.now();
    await sql.unsafe('vacuum analyze partners');
    const vacuumAnalyze = seconds(vacuumStarted);
    return {
      dropIndexes,
      insert,
      createIndexes: createIndexesSeconds,
      vacuumAnalyze,
      total: seconds(started),
    };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * Loads `rows` demo partners into PGlite with batched INSERTs of 1,000 rows (PGlite has no
 * COPY from a client stream), secondary indexes dropped first and rebuilt after.
 */
export async function loadPglite(options: {
  database: Database;
  rows: number;
  seed: number;
  today: string;
}): Promise<LoadTimings> {
  const { database, rows, seed, today } = options;
  const run = (query: string) => database.db.execute(drizzleSql.raw(query));
  const started = performance.now();
  await run(`set maintenance_work_mem = '256MB'`);
  const indexes = await secondaryIndexes(run);
  for (const index of indexes) await run(`drop index "${index.name}"`);
  const dropIndexes = seconds(started);

  const insertStarted = performance.now();
  let batch: Omit<DemoPartner, 'orders' | 'complianceItems'>[] = [];
  const flush = async () => {
    await database.db.insert(partners).values(batch);
    batch = [];
  };
  for (const { orders: _orders, complianceItems: _items, ...partner } of generateDemoPartners({
    count: rows,
    seed,
    today,
    withOrders: false,
    actorName: 'bench',
  })) {
    batch.push(partner);
    if (batch.length === 1000) await flush();
  }
  if (batch.length) await flush();
  const kinds = demoKindCounts(rows);
  await run(
    `select setval('customer_code_seq', ${Math.max(1, kinds.customer)}), setval('supplier_code_seq', ${Math.max(1, kinds.supplier)})`,
  );
  const insert = seconds(insertStarted);

  const indexStarted = performance.now();
  await createIndexes(indexes, [run]);
  const createIndexesSeconds = seconds(indexStarted);
  const vacuumStarted = performance.now();
  await run('vacuum analyze partners');
  return {
    dropIndexes,
    insert,
    createIndexes: createIndexesSeconds,
    vacuumAnalyze: seconds(vacuumStarted),
    total: seconds(started),
  };
}
