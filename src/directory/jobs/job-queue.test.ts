import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../test/database.ts';
import { waitUntil } from '../../../test/wait-until.ts';
import type { Database } from '../../db/client.ts';
import { notifications } from '../../db/schema/index.ts';
import { type JobQueue, type JobStatus, keyedJobId, startJobQueue } from './job-queue.ts';

let database: Database & { url?: string };
let queue: JobQueue;
let other: JobQueue;
const log = { warn: () => {}, error: () => {} };

const finished = (status: JobStatus | undefined) =>
  !!status && ['completed', 'failed', 'cancelled'].includes(status.state);

beforeAll(async () => {
  database = await openTestDatabase();
  // Two queues on one database, as two replicas would run them.
  queue = await startJobQueue({ database, connectionString: database.url, log, pollingIntervalSeconds: 0.5 });
  other = await startJobQueue({ database, connectionString: database.url, log, pollingIntervalSeconds: 0.5 });
});
afterAll(async () => {
  await queue?.stop();
  await other?.stop();
  await database?.close();
});

describe('the job queue', () => {
  it('runs an enqueued job and keeps its output and progress for the caller', async () => {
    await queue.work('job-progress-cleanup', async (job) => {
      await job.reportProgress({ done: 3, total: 4, message: 'almost' });
      return { attempt: job.attempt, cleaned: 0 };
    });
    const { id, created } = await queue.enqueue('job-progress-cleanup', {});
    expect(created).toBe(true);
    // Read from the other replica: status lives in the database, not in the process that ran it.
    const status = await waitUntil({
      what: 'the job finishing',
      read: () => other.status('job-progress-cleanup', id),
      done: finished,
    });
    expect(status).toMatchObject({
      id,
      name: 'job-progress-cleanup',
      state: 'completed',
      attempt: 0,
      output: { attempt: 0, cleaned: 0 },
      progress: { done: 3, total: 4, message: 'almost' },
    });
    expect(status?.completedAt).toBeInstanceOf(Date);
  });

  it('creates one job per key, whichever replica enqueues it and however often', async () => {
    const runs: string[] = [];
    const handler = async (job: { data: { channel: string; day: string } }) => {
      runs.push(`${job.data.channel}/${job.data.day}`);
      return {};
    };
    await queue.work('slack-digest', handler);
    await other.work('slack-digest', handler);
    const data = { channel: 'CKEYED', day: '2026-06-15' };
    const sent = await Promise.all([
      queue.enqueue('slack-digest', data, { key: 'CKEYED/2026-06-15' }),
      other.enqueue('slack-digest', data, { key: 'CKEYED/2026-06-15' }),
      queue.enqueue('slack-digest', data, { key: 'CKEYED/2026-06-15' }),
    ]);
    const id = keyedJobId('slack-digest', 'CKEYED/2026-06-15');
    expect(sent.map((s) => s.id)).toEqual([id, id, id]);
    expect(sent.filter((s) => s.created)).toHaveLength(1);
    await waitUntil({
      what: 'the job finishing',
      read: () => queue.status('slack-digest', id),
      done: finished,
    });
    expect(await queue.enqueue('slack-digest', data, { key: 'CKEYED/2026-06-15' })).toEqual({
      id,
      created: false,
    });
    // Another job had time to start, had there been one.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(runs).toEqual(['CKEYED/2026-06-15']);
    expect(await queue.find('slack-digest', { data: { channel: 'CKEYED' } })).toHaveLength(1);
  });

  it('enqueues inside a transaction: a rolled-back transaction leaves no job', async () => {
    const kept = keyedJobId('breach-notice', 'kept');
    const dropped = keyedJobId('breach-notice', 'dropped');
    await database.db.transaction(async (tx) => {
      await tx.insert(notifications).values({ kind: 'compliance_breach', payload: {} });
      await queue.enqueue('breach-notice', { noticeId: kept }, { key: 'kept', tx });
    });
    await expect(
      database.db.transaction(async (tx) => {
        await queue.enqueue('breach-notice', { noticeId: dropped }, { key: 'dropped', tx });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await queue.status('breach-notice', kept)).toMatchObject({ state: 'created' });
    expect(await queue.status('breach-notice', dropped)).toBeUndefined();
  });

  it('keeps a schedule per key and removes the ones no longer wanted', async () => {
    await queue.setSchedules('slack-digest-due', [
      { key: 'CA', cron: '0 9 * * *', timeZone: 'Asia/Ho_Chi_Minh', data: { channel: 'CA' } },
      { key: 'CB', cron: '30 8 * * *', timeZone: 'UTC', data: { channel: 'CB' } },
    ]);
    await other.setSchedules('slack-digest-due', [
      { key: 'CA', cron: '15 9 * * *', timeZone: 'Asia/Ho_Chi_Minh', data: { channel: 'CA' } },
    ]);
    const [only, ...rest] = await queue.schedules('slack-digest-due');
    expect(rest).toEqual([]);
    expect(only).toMatchObject({ key: 'CA', cron: '15 9 * * *', timeZone: 'Asia/Ho_Chi_Minh' });
  });
});
