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
