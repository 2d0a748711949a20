import { sql } from 'drizzle-orm';
import { type DbOrTx, rowsOf, type Tx } from '../db/client.ts';
import { auditEvents, complianceItems, orders, partners } from '../db/schema/index.ts';
import { requirePermission } from '../directory/access/principal.ts';
import { todayIn } from '../directory/activity/clock.ts';
import { diffPartner } from '../directory/audit.ts';
import type { DirectoryContext } from '../directory/context.ts';
import { toDirectoryError } from '../directory/db-errors.ts';
import { DirectoryError } from '../directory/errors.ts';
import type { PartnerKind } from '../directory/partners/partner-schema.ts';
import { isIsoDate } from '../directory/values/text.ts';
import { type DemoPartner, demoKindCounts, generateDemoPartners } from './demo-data.ts';

/** Partners `partnerbook seed --demo` loads when no count is given (half customers, half suppliers). */
export const DEFAULT_DEMO_COUNT = 400;
export const MAX_DEMO_COUNT = 1_000_000;
/** Partners per transaction (with their orders, compliance items and audit events). */
const BATCH_SIZE = 250;

export interface SeedDemoOptions {
  /** How many partners, half customers and half suppliers; default 400. */
  count?: number;
  /** YYYY-MM-DD the orders and the 30-day window count back from; default today in the workspace time zone. */
  today?: string;
  /** PRNG seed: the same seed, count and today give the same directory; default 1. */
  seed?: number;
  /** Add demo records even though the directory already has partners (colliding ones are skipped). */
  force?: boolean;
  /** Called after each saved batch with the partners done so far and the count (progress bars). */
  onProgress?: (progress: { done: number; total: number }) => void;
}

export interface SeedDemoResult {
  today: string;
  seed: number;
  customers: number;
  suppliers: number;
  orders: number;
  complianceItems: number;
  auditEvents: number;
  /** Generated records skipped because their code or email was already taken (force only). */
  skipped: number;
}

/** Reserves `count` numbers of a kind's code sequence; returns the first. */
async function reserveCodes(db: DbOrTx, kind: PartnerKind, count: number): Promise<number> {
  if (count === 0) return 1;
  const sequence = kind === 'customer' ? sql.raw(`'customer_code_seq'`) : sql.raw(`'supplier_code_seq'`);
  const [row] = rowsOf<{ last: string }>(
    await db.execute(sql`select setval(${sequence}, nextval(${sequence}) + ${count - 1})::text as last`),
  );
  return Number(row!.last) - count + 1;
}

function partnerValues(demo: DemoPartner) {
  const { orders: demoOrders, complianceItems: _items, ...row } = demo;
  // ordersCount and lastOrderDate are facts about the order rows inserted beside them.
  const lastOrderDate = demoOrders.reduce<string | null>(
    (last, order) => (last === null || order.orderDate > last ? order.orderDate : last),
    null,
  );
  return { ...row, ordersCount: demoOrders.length, lastOrderDate };
}

async function insertInChunks<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  // Stays far below PostgreSQL's 65,535 bind parameters per statement.
  for (let start = 0; start < rows.length; start += 2000) await insert(rows.slice(start, start + 2000));
}

async function insertBatch(
  ctx: DirectoryContext,
  tx: Tx,
  options: { batch: DemoPartner[]; now: Date; seed: number },
): Promise<{ partners: Record<PartnerKind, number>; orders: number; complianceItems: number }> {
  const { batch, now, seed } = options;
  const { principal } = ctx.actor;
  const inserted = await tx
    .insert(partners)
    .values(batch.map(partnerValues))
    .onConflictDoNothing()
    .returning();
  const byCode = new Map(inserted.map((row) => [`${row.kind}:${row.code}`, row]));
  const kept = batch.flatMap((demo) => {
    const row = byCode.get(`${demo.kind}:${demo.code}`);
    return row ? [{ demo, row }] : [];
  });
  const orderRows = kept.flatMap(({ demo, row }) =>
    demo.orders.map((order) => ({ ...order, partnerId: row.id, createdAt: now, createdBy: principal.name })),
  );
  const itemRows = kept.flatMap(({ demo, row }) =>
    demo.complianceItems.map((item) => ({ ...item, partnerId: row.id, createdAt: now, updatedAt: now })),
  );
  await insertInChunks(orderRows, (chunk) => tx.insert(orders).values(chunk));
  await insertInChunks(itemRows, (chunk) => tx.insert(complianceItems).values(chunk));
  await insertInChunks(kept, (chunk) =>
    tx.insert(auditEvents).values(
      chunk.map(({ demo, row }) => ({
        at: now,
        action: 'create' as const,
        partnerId: row.id,
        partnerKind: row.kind,
        partnerCode: row.code,
        partnerVersion: row.version,
        actorId: principal.id,
        actorName: principal.name,
        via: 'system' as const,
        clientName: ctx.actor.clientName,
        changes: diffPartner(undefined, row),
        details: {
          source: 'demo',
          seed,
          orders: demo.orders.length,
          complianceItems: demo.complianceItems.length,
        },
      })),
    ),
  );
  return {
    partners: {
      customer: inserted.filter((row) => row.kind === 'customer').length,
      supplier: inserted.filter((row) => row.kind === 'supplier').length,
    },
    orders: orderRows.length,
    complianceItems: itemRows.length,
  };
}

/**
 * Loads a realistic demo directory (admin only): customers and suppliers across many countries,
 * their orders over the last year (ordersCount and lastOrderDate agree with them), compliance
 * items and one "create" audit event per partner, in transactions of a few hundred partners.
 * Refuses (conflict) when the directory already has partners unless `force` is set; codes come
 * from the code sequences, so later generated codes never collide with demo ones.
 */
export async function seedDemo(
  ctx: DirectoryContext,
  options: SeedDemoOptions = {},
): Promise<SeedDemoResult> {
  requirePermission(ctx.actor.principal, 'manage', 'load the demo directory');
  const count = options.count ?? DEFAULT_DEMO_COUNT;
  if (!Number.isInteger(count) || count < 1 || count > MAX_DEMO_COUNT) {
    throw new DirectoryError(
      'validation',
      `The demo count must be a whole number from 1 to ${MAX_DEMO_COUNT}.`,
      {
        problems: [
          { field: 'count', code: 'range', message: `Use a count from 1 to ${MAX_DEMO_COUNT}, e.g. 400.` },
        ],
      },
    );
  }
  const today = options.today ?? todayIn(ctx.timeZone, ctx.clock);
  if (!isIsoDate(today)) {
    throw new DirectoryError('validation', `"${today}" is not a date written YYYY-MM-DD.`, {
      problems: [
        { field: 'today', code: 'invalid_date', message: 'Give today as YYYY-MM-DD, e.g. 2026-06-15.' },
      ],
    });
  }
  try {
    const [{ existing } = { existing: 0 }] = await ctx.db
      .select({ existing: sql<number>`count(*)::int` })
      .from(partners);
    if (existing > 0 && !options.force) {
      throw new DirectoryError(
        'conflict',
        `The directory already has ${existing} partner${existing === 1 ? '' : 's'}; demo data is loaded only into an empty directory.`,
        {
          hint: 'Use a new, empty database for the demo, or pass force to add demo records beside the existing ones.',
        },
      );
    }
    // A second demo load needs other names and emails than the first: vary the default seed.
    const seed = options.seed ?? existing + 1;
    const kinds = demoKindCounts(count);
    const codeStart = {
      customer: await reserveCodes(ctx.db, 'customer', kinds.customer),
      supplier: await reserveCodes(ctx.db, 'supplier', kinds.supplier),
    };
    const now = ctx.clock.now();
    const result: SeedDemoResult = {
      today,
      seed,
      customers: 0,
      suppliers: 0,
      orders: 0,
      complianceItems: 0,
      auditEvents: 0,
      skipped: 0,
    };
    let batch: DemoPartner[] = [];
    const flush = async () => {
      const work = batch;
      batch = [];
      const saved = await ctx.db.transaction((tx) => insertBatch(ctx, tx, { batch: work, now, seed }));
      const added = saved.partners.customer + saved.partners.supplier;
      result.customers += saved.partners.customer;
      result.suppliers += saved.partners.supplier;
      result.orders += saved.orders;
      result.complianceItems += saved.complianceItems;
      result.auditEvents += added;
      result.skipped += work.length - added;
      options.onProgress?.({ done: result.customers + result.suppliers + result.skipped, total: count });
    };
    for (const demo of generateDemoPartners({
      count,
      seed,
      today,
      codeStart,
      now,
      actorName: ctx.actor.principal.name,
    })) {
      batch.push(demo);
      if (batch.length >= BATCH_SIZE) await flush();
    }
    if (batch.length) await flush();
    return result;
  } catch (error) {
    throw toDirectoryError(error);
  }
}
