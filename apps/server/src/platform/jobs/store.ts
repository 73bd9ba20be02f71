import { type Kysely, sql } from 'kysely';
import type { DB, JobsTable } from '../../db/schema.ts';

export type JobRow = {
  id: string;
  kind: string;
  payload: Record<string, unknown>;
  attempts: number;
  max_attempts: number;
  handed_off_at: Date | null;
};

export async function insertJob(
  db: Kysely<DB>,
  job: {
    id: string;
    kind: string;
    payload: Record<string, unknown>;
    runAt: Date;
    maxAttempts: number;
    now: Date;
  },
): Promise<void> {
  await db
    .insertInto('jobs')
    .values({
      id: job.id,
      kind: job.kind,
      payload: JSON.stringify(job.payload),
      run_at: job.runAt,
      max_attempts: job.maxAttempts,
      created_at: job.now,
    })
    .execute();
}

/**
 * Claims up to `limit` due jobs for `leaseMs`: one statement, `FOR UPDATE SKIP LOCKED`, so
 * several processes polling at once never take the same job. A job whose lease ran out (its
 * process died) becomes due again.
 */
export async function claimDueJobs(db: Kysely<DB>, now: Date, leaseMs: number, limit: number) {
  const leaseUntil = new Date(now.getTime() + leaseMs);
  const result = await sql<JobRow>`
    UPDATE jobs SET locked_until = ${leaseUntil}, attempts = attempts + 1
    WHERE id IN (
      SELECT id FROM jobs
      WHERE finished_at IS NULL AND failed_at IS NULL AND run_at <= ${now}
        AND (locked_until IS NULL OR locked_until <= ${now})
      ORDER BY run_at
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    )
    RETURNING id, kind, payload, attempts, max_attempts, handed_off_at`.execute(db);
  return result.rows;
}

export async function updateJob(
  db: Kysely<DB>,
  id: string,
  changes: Partial<
    Pick<JobsTable, 'run_at' | 'locked_until' | 'last_error' | 'finished_at' | 'failed_at'>
  > & {
    payload?: string;
  },
): Promise<void> {
  await db.updateTable('jobs').set(changes).where('id', '=', id).execute();
}

export async function deleteFinishedJobs(db: Kysely<DB>, before: Date): Promise<void> {
  await db.deleteFrom('jobs').where('finished_at', '<', before).execute();
}

export async function hasPendingJob(db: Kysely<DB>, kind: string): Promise<boolean> {
  const row = await db
    .selectFrom('jobs')
    .select('id')
    .where('kind', '=', kind)
    .where('finished_at', 'is', null)
    .where('failed_at', 'is', null)
    .executeTakeFirst();
  return row !== undefined;
}

/** Keeps the lease of jobs this process is still working on (the heartbeat). */
export async function extendLeases(db: Kysely<DB>, ids: readonly string[], until: Date): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('jobs')
    .set({ locked_until: until })
    .where('id', 'in', ids)
    .where('finished_at', 'is', null)
    .where('failed_at', 'is', null)
    .execute();
}

/** Records that a job handed its work to the outside (a mail to the relay). */
export async function markHandedOff(db: Kysely<DB>, id: string, now: Date): Promise<void> {
  await db.updateTable('jobs').set({ handed_off_at: now }).where('id', '=', id).execute();
}

/**
 * Renews the claim on one job of a batch just before it runs, if it is still this process's
 * claim: another process that took the job over after the lease ran out counted another attempt.
 */
export async function confirmClaim(
  db: Kysely<DB>,
  id: string,
  attempts: number,
  until: Date,
): Promise<boolean> {
  const row = await db
    .updateTable('jobs')
    .set({ locked_until: until })
    .where('id', '=', id)
    .where('attempts', '=', attempts)
    .where('finished_at', 'is', null)
    .where('failed_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Hands claimed jobs that never started back to the queue (a stopping process): the lease ends
 * now and the attempt the claim counted is taken back, so another process runs them at once.
 */
export async function releaseClaims(db: Kysely<DB>, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('jobs')
    .set((eb) => ({ locked_until: null, attempts: eb('attempts', '-', 1) }))
    .where('id', 'in', ids)
    .where('finished_at', 'is', null)
    .where('failed_at', 'is', null)
    .execute();
}

export interface QueueKindStats {
  kind: string;
  /** Waiting and due, not claimed by any process. */
  due: number;
  /** Claimed by a process now. */
  running: number;
  /** Waiting for a later time (retries, scheduled maintenance). */
  scheduled: number;
  /** Gave up (kept for the record until deleted). */
  failed: number;
  /** When the longest-waiting due job became due (null: none due). */
  oldestDueAt: Date | null;
}

/** Counts per kind for health and metrics: no payloads, no ids. */
export async function queueStats(db: Kysely<DB>, now: Date): Promise<QueueKindStats[]> {
  const result = await sql<{
    kind: string;
    due: number | string;
    running: number | string;
    scheduled: number | string;
    failed: number | string;
    oldest_due_at: Date | string | null;
  }>`
    SELECT kind,
      count(*) FILTER (WHERE done = false AND run_at <= ${now} AND NOT claimed) AS due,
      count(*) FILTER (WHERE done = false AND claimed) AS running,
      count(*) FILTER (WHERE done = false AND run_at > ${now} AND NOT claimed) AS scheduled,
      count(*) FILTER (WHERE failed_at IS NOT NULL) AS failed,
      min(run_at) FILTER (WHERE done = false AND run_at <= ${now} AND NOT claimed) AS oldest_due_at
    FROM (
      SELECT kind, run_at, failed_at,
        (finished_at IS NOT NULL OR failed_at IS NOT NULL) AS done,
        (locked_until IS NOT NULL AND locked_until > ${now}) AS claimed
      FROM jobs WHERE finished_at IS NULL
    ) j
    GROUP BY kind ORDER BY kind`.execute(db);
  return result.rows.map((r) => ({
    kind: r.kind,
    due: Number(r.due),
    running: Number(r.running),
    scheduled: Number(r.scheduled),
    failed: Number(r.failed),
    oldestDueAt: r.oldest_due_at === null ? null : new Date(r.oldest_due_at),
  }));
}
