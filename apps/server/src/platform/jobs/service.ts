import type { Kysely } from 'kysely';
import type { Clock } from '../../adapters/clock.ts';
import type { DB } from '../../db/schema.ts';
import {
  claimDueJobs,
  confirmClaim,
  deleteFinishedJobs,
  extendLeases,
  hasPendingJob,
  insertJob,
  markHandedOff,
  type QueueKindStats,
  queueStats,
  releaseClaims,
  updateJob,
} from './store.ts';

export type { QueueKindStats };

/** What a handler knows of its job run. */
export interface JobRun {
  id: string;
  attempt: number;
  /** When an earlier run of this job handed its work to the outside (null: never). */
  handedOffAt: Date | null;
  /** Records that this run handed its work to the outside, so a retry does not do it again. */
  markHandedOff(): Promise<void>;
}

/** A job handler; throw to retry later, throw `PermanentJobError` to give up at once. */
export type JobHandler = (payload: Record<string, unknown>, job: JobRun) => Promise<void>;

export interface JobDefinition {
  handler: JobHandler;
  /** Called once when the job gives up (after the last attempt or a permanent error). */
  onFailure?: (payload: Record<string, unknown>, error: unknown) => Promise<void>;
}

/** An error that retrying cannot fix (a rejected recipient, a deleted conversation). */
export class PermanentJobError extends Error {
  override name = 'PermanentJobError';
}

export interface EnqueueOptions {
  runAt?: Date;
  maxAttempts?: number;
}

/**
 * The job queue: rows in the `jobs` table, shared by every process (PostgreSQL) or the one
 * embedded process (PGlite). Retries back off exponentially (30 s, 1 min, 2 min, …). Payloads
 * are erased when a job finishes or gives up, so sealed secrets in them do not outlive the job.
 */
export interface JobQueue {
  define(kind: string, definition: JobDefinition): void;
  /** Adds a job; pass a transaction as `db` to enqueue atomically with other writes. */
  enqueue(
    kind: string,
    payload: Record<string, unknown>,
    options?: EnqueueOptions,
    db?: Kysely<DB>,
  ): Promise<string>;
  /** Enqueues a job of this kind unless one is already waiting (recurring maintenance). */
  ensureScheduled(kind: string): Promise<void>;
  /** Claims and runs every due job (in batches) until none is due; returns how many ran. */
  runDueJobs(): Promise<number>;
  /** Polls every `intervalMs` until `stop()`. */
  start(intervalMs?: number): void;
  /**
   * Stops polling: the job running now finishes, claimed jobs that have not started are handed
   * back at once (lease released, attempt not counted), and no new batch is claimed.
   */
  stop(): Promise<void>;
  /** Depth, age and failures per kind, for health and metrics. */
  stats(): Promise<QueueKindStats[]>;
}

/**
 * A claim lasts this long and is renewed every third of it while the process works on the batch,
 * so the jobs of a process that dies are picked up by another within about half a minute.
 */
const LEASE_MS = 30_000;
const BATCH = 20;
export const RETRY_BASE_MS = 30_000;

/** What may be kept of an error: its kind and SMTP-style code, never its message (may hold addresses). */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return 'error';
  const e = error as Error & { code?: unknown; responseCode?: unknown };
  return [
    e.name,
    typeof e.code === 'string' ? e.code : '',
    typeof e.responseCode === 'number' ? e.responseCode : '',
  ]
    .filter(Boolean)
    .join(' ')
    .slice(0, 200);
}

type ClaimedJob = Awaited<ReturnType<typeof claimDueJobs>>[number];

interface Runner {
  db: Kysely<DB>;
  clock: Clock;
  definitions: Map<string, JobDefinition>;
  log: (message: string) => void;
  /** True once the queue is stopping: run no further job of the batch. */
  stopping: () => boolean;
}

/** Runs one job: done, retried later with backoff, or given up (then `onFailure`). */
async function runOne({ db, clock, definitions, log }: Runner, job: ClaimedJob): Promise<void> {
  const definition = definitions.get(job.kind);
  const now = () => clock.now();
  if (!definition) {
    await updateJob(db, job.id, { failed_at: now(), last_error: 'no handler', payload: '{}' });
    return;
  }
  try {
    await definition.handler(job.payload, {
      id: job.id,
      attempt: job.attempts,
      handedOffAt: job.handed_off_at,
      markHandedOff: () => markHandedOff(db, job.id, now()),
    });
    await updateJob(db, job.id, { finished_at: now(), locked_until: null, last_error: null, payload: '{}' });
  } catch (error) {
    if (error instanceof PermanentJobError || job.attempts >= job.max_attempts) {
      await updateJob(db, job.id, {
        failed_at: now(),
        locked_until: null,
        last_error: describeError(error),
        payload: '{}',
      });
      log(`job ${job.kind} ${job.id} gave up: ${describeError(error)}`);
      await definition.onFailure?.(job.payload, error);
    } else {
      const delay = RETRY_BASE_MS * 2 ** (job.attempts - 1);
      await updateJob(db, job.id, {
        run_at: new Date(now().getTime() + delay),
        locked_until: null,
        last_error: describeError(error),
      });
    }
  }
}

/** Runs a claimed batch one by one, renewing the lease of those not done yet. */
async function runBatch(runner: Runner, jobs: ClaimedJob[]): Promise<void> {
  const { db, clock, log } = runner;
  const waiting = new Set(jobs.map((j) => j.id));
  const heartbeat = setInterval(() => {
    extendLeases(db, [...waiting], new Date(clock.now().getTime() + LEASE_MS)).catch((error) =>
      log(`job heartbeat: ${describeError(error)}`),
    );
  }, LEASE_MS / 3);
  heartbeat.unref();
  try {
    for (const job of jobs) {
      if (runner.stopping()) break;
      const until = new Date(clock.now().getTime() + LEASE_MS);
      if (await confirmClaim(db, job.id, job.attempts, until)) await runOne(runner, job);
      waiting.delete(job.id);
    }
  } finally {
    clearInterval(heartbeat);
  }
  // Stopping: the rest of the batch goes back to the queue for another process.
  await releaseClaims(db, [...waiting]);
}

export function createJobQueue(
  db: Kysely<DB>,
  clock: Clock,
  log: (message: string) => void = () => {},
): JobQueue {
  const definitions = new Map<string, JobDefinition>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = true;
  let stopping = false;

  async function runDueJobs(): Promise<number> {
    let total = 0;
    while (!stopping) {
      const jobs = await claimDueJobs(db, clock.now(), LEASE_MS, BATCH);
      if (jobs.length === 0) return total;
      await runBatch({ db, clock, definitions, log, stopping: () => stopping }, jobs);
      total += jobs.length;
    }
    return total;
  }

  return {
    define(kind, definition) {
      definitions.set(kind, definition);
    },
    async enqueue(kind, payload, options = {}, executor = db) {
      const id = crypto.randomUUID();
      const now = clock.now();
      await insertJob(executor, {
        id,
        kind,
        payload,
        runAt: options.runAt ?? now,
        maxAttempts: options.maxAttempts ?? 6,
        now,
      });
      return id;
    },
    async ensureScheduled(kind) {
      if (!(await hasPendingJob(db, kind))) await this.enqueue(kind, {});
    },
    runDueJobs,
    start(intervalMs = 1000) {
      if (!stopped) return;
      stopped = false;
      stopping = false;
      const tick = () => {
        running = runDueJobs()
          .then(() => deleteFinishedJobs(db, new Date(clock.now().getTime() - 7 * 86_400_000)))
          .catch((error) => log(`job poller: ${describeError(error)}`))
          .finally(() => {
            if (!stopped) timer = setTimeout(tick, intervalMs);
          });
      };
      timer = setTimeout(tick, 0);
    },
    async stop() {
      stopped = true;
      stopping = true;
      if (timer) clearTimeout(timer);
      await running;
    },
    stats: () => queueStats(db, clock.now()),
  };
}
