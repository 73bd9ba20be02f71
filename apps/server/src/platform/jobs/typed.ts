import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { type EnqueueOptions, type JobQueue, type JobRun, PermanentJobError } from './service.ts';

/**
 * A kind of job with a typed payload. The payload goes into the database as JSON and comes back
 * untyped, so each type says how to read it back (`read`); a payload it cannot read is a
 * permanent error, never a retry loop.
 */
export interface JobType<P> {
  kind: string;
  read(payload: Record<string, unknown>): P;
}

export function jobType<P extends object>(
  kind: string,
  read: (payload: Record<string, unknown>) => P,
): JobType<P> {
  return { kind, read };
}

/** Reads a required string field of a payload. */
export function stringField(payload: Record<string, unknown>, name: string): string {
  const value = payload[name];
  if (typeof value !== 'string') throw new PermanentJobError(`job payload without ${name}`);
  return value;
}

/** Reads an optional string field of a payload. */
export function optionalStringField(payload: Record<string, unknown>, name: string): string | undefined {
  const value = payload[name];
  return typeof value === 'string' ? value : undefined;
}

export function defineJob<P>(
  queue: JobQueue,
  type: JobType<P>,
  definition: {
    handler: (payload: P, job: JobRun) => Promise<void>;
    onFailure?: (payload: P, error: unknown) => Promise<void>;
  },
): void {
  const { onFailure } = definition;
  queue.define(type.kind, {
    handler: (payload, job) => definition.handler(type.read(payload), job),
    ...(onFailure ? { onFailure: (payload, error) => onFailure(type.read(payload), error) } : {}),
  });
}

/** Enqueues a typed job; pass a transaction as `db` to enqueue atomically with other writes. */
export function enqueueJob<P extends object>(
  queue: JobQueue,
  type: JobType<P>,
  payload: P,
  options: EnqueueOptions = {},
  db?: Kysely<DB>,
): Promise<string> {
  return queue.enqueue(type.kind, payload as Record<string, unknown>, options, db);
}
