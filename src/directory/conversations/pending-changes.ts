import { and, eq, gt } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { slackPendingChanges } from '../../db/schema/index.ts';

/**
 * Changes asked for in words in Slack, waiting for the asking user's Confirm or Cancel. This
 * module owns slack_pending_changes; nothing runs here, the caller runs the change's tool once
 * the decision is taken.
 */

/** A proposal can be confirmed for this long. */
export const PENDING_TTL_MS = 60 * 60 * 1000;

export type PendingChange = typeof slackPendingChanges.$inferSelect;

/** Stores a proposed change for the asking user; returns its id (the value of its buttons). */
export async function savePendingChange(
  db: Db,
  change: {
    slackUserId: string;
    channel: string;
    /** The tool that makes the change, and its arguments. */
    tool: string;
    args: Record<string, unknown>;
    /** The change in words, as shown to the user. */
    summary: string;
    /** From the injected clock, like the decision's `now`: the hour to decide is counted from it. */
    now: Date;
  },
): Promise<string> {
  const { now, ...values } = change;
  const [row] = await db
    .insert(slackPendingChanges)
    .values({ ...values, createdAt: now })
    .returning({ id: slackPendingChanges.id });
  return row!.id;
}

/** A pending change by id; undefined for an unknown or malformed id. */
export async function findPendingChange(db: Db, id: string): Promise<PendingChange | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const [row] = await db.select().from(slackPendingChanges).where(eq(slackPendingChanges.id, id));
  return row;
}

/**
 * Takes the decision on a pending change exactly once (a double click or two replicas cannot
 * both run it): true when this call moved it from pending to `status` within its hour.
 */
export async function decidePendingChange(
  db: Db,
  options: { id: string; status: 'confirmed' | 'cancelled'; now: Date },
): Promise<boolean> {
  const rows = await db
    .update(slackPendingChanges)
    .set({ status: options.status, decidedAt: options.now })
    .where(
      and(
        eq(slackPendingChanges.id, options.id),
        eq(slackPendingChanges.status, 'pending'),
        gt(slackPendingChanges.createdAt, new Date(options.now.getTime() - PENDING_TTL_MS)),
      ),
    )
    .returning({ id: slackPendingChanges.id });
  return rows.length === 1;
}

/** Marks a confirmed change whose tool refused or could not run. */
export async function markPendingChangeFailed(db: Db, id: string): Promise<void> {
  await db.update(slackPendingChanges).set({ status: 'failed' }).where(eq(slackPendingChanges.id, id));
}
