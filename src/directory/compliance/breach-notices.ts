import { and, asc, eq, gte, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { notifications, type PartnerRow } from '../../db/schema/index.ts';
import { todayIn } from '../activity/clock.ts';
import type { DirectoryContext } from '../context.ts';
import type { JobQueue, JobSender } from '../jobs/job-queue.ts';

/** A compliance breach as people are told of it. */
export interface BreachNotice {
  id: string;
  partnerCode: string;
  kind: string;
  name: string;
  etd: string;
  orderSharing: string;
  failing: { name: string; validTo: string; status: string }[];
  /** Who ran the check that found it. */
  checkedBy: string;
  createdAt: Date;
}

interface NoticePayload {
  signature?: string;
  kind?: string;
  name?: string;
  etd?: string;
  orderSharing?: string;
  failing?: BreachNotice['failing'];
  checkedBy?: string;
}

const DAY_MS = 86_400_000;
/** Notices older than this that never went out are not sent any more (the sweep looks no further back). */
const SWEEP_WINDOW_MS = 2 * DAY_MS;

/**
 * Records a breach notice unless the same one (partner, ETD, failing items) was recorded since
 * yesterday, and enqueues the job that posts it in the same transaction: the notice and its job
 * exist together or not at all. Without a queue at hand (a CLI call) the sweep enqueues it later.
 * Returns true when the breach is (or already was) noticed.
 */
export async function recordBreachNotice(
  ctx: DirectoryContext,
  options: {
    row: PartnerRow;
    etd: string;
    failing: BreachNotice['failing'];
    orderSharing: string;
  },
): Promise<boolean> {
  const { row, etd, failing, orderSharing } = options;
  const signature = `${etd}|${failing.map((f) => `${f.name}:${f.validTo}`).join(',')}`;
  const startOfToday = new Date(`${todayIn(ctx.timeZone, ctx.clock)}T00:00:00Z`);
  const [existing] = await ctx.db
    .select({ id: notifications.id })
    .from(notifications)
    .where(
      and(
        eq(notifications.partnerId, row.id),
        gte(notifications.createdAt, new Date(startOfToday.getTime() - DAY_MS)),
        sql`${notifications.payload}->>'signature' = ${signature}`,
      ),
    )
    .limit(1);
  if (existing) return true;
  await ctx.db.transaction(async (tx) => {
    const [notice] = await tx
      .insert(notifications)
      .values({
        kind: 'compliance_breach',
        partnerId: row.id,
        partnerCode: row.code,
        createdAt: ctx.clock.now(),
        payload: {
          signature,
          kind: row.kind,
          name: row.companyName ?? row.firstName,
          etd,
          orderSharing,
          failing,
          checkedBy: ctx.actor.principal.name,
          via: ctx.actor.via,
        },
      })
      .returning({ id: notifications.id });
    await ctx.jobs?.enqueue('breach-notice', { noticeId: notice!.id }, { key: notice!.id, tx });
  });
  return true;
}

/**
 * Hands one notice to `post` (the Slack side) unless it went out already, then records that it
 * did. `post` resolves with the message ts, or undefined when it could not post: then this throws,
 * so the queue retries the job.
 */
export async function deliverBreachNotice(
  deps: { db: Db; now: () => Date },
  options: { noticeId: string; post: (notice: BreachNotice) => Promise<string | undefined> },
): Promise<{ outcome: 'posted' | 'already_posted' | 'missing'; ts?: string }> {
  const [row] = await deps.db.select().from(notifications).where(eq(notifications.id, options.noticeId));
  if (!row) return { outcome: 'missing' };
  if (row.postedAt) return { outcome: 'already_posted' };
  const payload = row.payload as NoticePayload;
  const ts = await options.post({
    id: row.id,
    partnerCode: row.partnerCode ?? '',
    kind: payload.kind ?? '',
    name: payload.name ?? '',
    etd: payload.etd ?? '?',
    orderSharing: payload.orderSharing ?? 'unknown',
    failing: payload.failing ?? [],
    checkedBy: payload.checkedBy ?? 'a compliance check',
    createdAt: row.createdAt,
  });
  if (!ts) throw new Error('The breach notice could not be posted; the queue will try again.');
  await deps.db.update(notifications).set({ postedAt: deps.now() }).where(eq(notifications.id, row.id));
  return { outcome: 'posted', ts };
}

/** Ids of the notices of the last two days that have not gone out, oldest first (at most 500). */
export async function pendingBreachNoticeIds(deps: { db: Db; now: () => Date }): Promise<string[]> {
  const pending = await deps.db
    .select({ id: notifications.id })
    .from(notifications)
    .where(
      and(
        isNull(notifications.postedAt),
        gte(notifications.createdAt, new Date(deps.now().getTime() - SWEEP_WINDOW_MS)),
      ),
    )
    .orderBy(asc(notifications.createdAt))
    .limit(500);
  return pending.map((row) => row.id);
}

/**
 * Enqueues the pending notices (see pendingBreachNoticeIds). Each job is keyed by its notice, so
 * a notice that already has a job gets no second one. Returns how many were new.
 */
export async function sweepBreachNotices(deps: {
  db: Db;
  now: () => Date;
  jobs: JobSender;
}): Promise<number> {
  let created = 0;
  for (const id of await pendingBreachNoticeIds(deps)) {
    if ((await deps.jobs.enqueue('breach-notice', { noticeId: id }, { key: id })).created) created++;
  }
  return created;
}

/**
 * Takes breach-notice jobs on this replica: each notice is handed to `post` (the Slack side),
 * with the attempt number so a retry can look before posting again.
 */
export async function workBreachNotices(
  deps: { db: Db; now: () => Date; jobs: JobQueue },
  post: (notice: BreachNotice, attempt: number) => Promise<string | undefined>,
): Promise<void> {
  await deps.jobs.work('breach-notice', async (job) => {
    const delivered = await deliverBreachNotice(deps, {
      noticeId: job.data.noticeId,
      post: (notice) => post(notice, job.attempt),
    });
    return { ...delivered };
  });
}
