/**
 * What each kind of background job carries: the one list of job kinds. A new kind (an import, a
 * large export) is added here and in `jobQueues` below; `enqueue` and `work` are typed from it.
 */
export interface JobData {
  /** Post one recorded compliance breach notice to COMPLIANCE_CHANNEL (keyed by the notice id). */
  'breach-notice': { noticeId: string };
  /** Enqueue breach notices recorded where no queue was at hand (a CLI call). */
  'breach-notice-sweep': Record<string, never>;
  /** DIGEST_TIME has come in TIMEZONE: enqueue today's digest for the channel. */
  'slack-digest-due': { channel: string };
  /** Post one day's digest to one channel (keyed by channel and day: at most one such job). */
  'slack-digest': { channel: string; day: string };
  /** Delete the progress of jobs finished long ago. */
  'job-progress-cleanup': Record<string, never>;
  /** Run one import of a stored file (keyed by the import id: at most one job per import). */
  'partner-import': { importId: string };
}

export type JobName = keyof JobData;

/** How a kind's queue retries and keeps its jobs. */
export interface QueueSettings {
  /** Attempts after the first before the job is failed for good. */
  retryLimit: number;
  /** Seconds before the first retry; doubled (with jitter) for each later one. */
  retryDelaySeconds: number;
  /**
   * A running job's worker touches it this often (halfway, in practice); a job not touched for
   * this long (its process died) is failed and retried by another replica. At least 10.
   */
  heartbeatSeconds: number;
  /** A running job taking longer than this is failed and retried. */
  expireInSeconds: number;
  /** How often an idle worker on a replica asks for a job of this kind. */
  pollSeconds: number;
  /**
   * How long a finished job is kept. Keys (enqueue's `key`) are unique while the job is kept, so
   * this is also how long a keyed job cannot be enqueued again.
   */
  keepFinishedSeconds: number;
}

const DAY = 24 * 3600;

/** Queue settings per kind. */
export const jobQueues: { readonly [N in JobName]: QueueSettings } = {
  // Polled every 2 s: a breach is posted within seconds of the check that found it.
  'breach-notice': {
    pollSeconds: 2,
    retryLimit: 6,
    retryDelaySeconds: 10,
    heartbeatSeconds: 10,
    expireInSeconds: 300,
    keepFinishedSeconds: 14 * DAY,
  },
  'breach-notice-sweep': {
    pollSeconds: 15,
    retryLimit: 0,
    retryDelaySeconds: 0,
    heartbeatSeconds: 10,
    expireInSeconds: 120,
    keepFinishedSeconds: DAY,
  },
  'slack-digest-due': {
    pollSeconds: 15,
    retryLimit: 3,
    retryDelaySeconds: 10,
    heartbeatSeconds: 10,
    expireInSeconds: 120,
    keepFinishedSeconds: 7 * DAY,
  },
  // Kept 35 days: the last completed digest tells the next one since when to count.
  'slack-digest': {
    pollSeconds: 2,
    retryLimit: 5,
    retryDelaySeconds: 10,
    heartbeatSeconds: 10,
    expireInSeconds: 600,
    keepFinishedSeconds: 35 * DAY,
  },
  'job-progress-cleanup': {
    pollSeconds: 15,
    retryLimit: 1,
    retryDelaySeconds: 60,
    heartbeatSeconds: 10,
    expireInSeconds: 600,
    keepFinishedSeconds: 7 * DAY,
  },
  // A retry resumes: rows already written are recorded with the import and skipped.
  'partner-import': {
    pollSeconds: 2,
    retryLimit: 2,
    retryDelaySeconds: 10,
    heartbeatSeconds: 30,
    expireInSeconds: 6 * 3600,
    keepFinishedSeconds: 7 * DAY,
  },
};
