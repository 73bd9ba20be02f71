import type { Kysely } from 'kysely';
import { type RawBuilder, sql } from 'kysely';
import type { Clock } from '../../adapters/clock.ts';
import type { DB } from '../../db/schema.ts';
import {
  addHit,
  addHitUnlessHeldBack,
  deleteCounter,
  readBackoffCounter,
  readCounter,
  removeHit,
} from './store.ts';

/** A limit: at most `max` hits per `windowMs`. */
export interface Limit {
  max: number;
  windowMs: number;
}

/**
 * A counter that never locks: the first `freeAttempts` hits in a window pass at once, the next
 * ones each hold the counter back for a doubling delay (`baseDelayMs`, 2×, 4×, … up to
 * `maxDelayMs`), and from `delaysUntil` hits on there is no delay any more (the caller asks for
 * something else instead, such as a proof of work).
 */
export interface Backoff {
  windowMs: number;
  freeAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  delaysUntil: number;
}

export interface BackoffResult {
  /** False when the attempt came during a delay; it was not counted. */
  allowed: boolean;
  /** Hits in the window, this one included when it was allowed. */
  hits: number;
  retryAfterSeconds: number;
}

export interface ThrottleResult {
  allowed: boolean;
  /** Seconds until the window resets (for Retry-After). */
  retryAfterSeconds: number;
}

/**
 * Counters live in the database so a limit holds across every server process: a guesser
 * who is locked out on one process is locked out on all of them.
 */
export interface Throttle {
  /** Counts one attempt and says whether it is within the limit. */
  hit(key: string, limit: Limit): Promise<ThrottleResult>;
  /** Says whether the limit is already reached, without counting. */
  check(key: string, limit: Limit): Promise<ThrottleResult>;
  /** Takes back one hit of an attempt that turned out fine (so only failures keep counting). */
  release(key: string): Promise<void>;
  /** Counts one attempt unless the counter is holding back (then the attempt is not counted). */
  hitWithBackoff(key: string, backoff: Backoff): Promise<BackoffResult>;
  reset(key: string): Promise<void>;
}

export function createThrottle(db: Kysely<DB>, clock: Clock): Throttle {
  const result = (hits: number, windowStart: Date, limit: Limit, now: Date): ThrottleResult => {
    const resetsAt = windowStart.getTime() + limit.windowMs;
    return {
      allowed: hits <= limit.max || resetsAt <= now.getTime(),
      retryAfterSeconds: Math.max(1, Math.ceil((resetsAt - now.getTime()) / 1000)),
    };
  };
  return {
    async hit(key, limit) {
      const now = clock.now();
      const row = await addHit(db, key, now, limit.windowMs);
      return result(row.hits, row.window_start, limit, now);
    },
    async check(key, limit) {
      const now = clock.now();
      const row = await readCounter(db, key);
      if (!row) return { allowed: true, retryAfterSeconds: 0 };
      // check() asks whether one more attempt would be allowed.
      return result(row.hits + 1, row.window_start, limit, now);
    },
    release: (key) => removeHit(db, key),
    hitWithBackoff: (key, backoff) => hitWithBackoff(db, clock, key, backoff),
    reset: (key) => deleteCounter(db, key),
  };
}

/** The delay after the `hits`-th hit, in milliseconds (the same rule as the SQL below). */
export function backoffDelayMs(backoff: Backoff, hits: number): number {
  if (hits <= backoff.freeAttempts || hits >= backoff.delaysUntil) return 0;
  return Math.min(backoff.maxDelayMs, backoff.baseDelayMs * 2 ** (hits - backoff.freeAttempts - 1));
}

async function hitWithBackoff(
  db: Kysely<DB>,
  clock: Clock,
  key: string,
  backoff: Backoff,
): Promise<BackoffResult> {
  const now = clock.now();
  const delaySql = (hits: RawBuilder<number>) =>
    sql<number>`CASE WHEN ${hits} <= ${backoff.freeAttempts} OR ${hits} >= ${backoff.delaysUntil} THEN 0
      ELSE LEAST(${backoff.maxDelayMs}, ${backoff.baseDelayMs} * power(2, ${hits} - ${backoff.freeAttempts} - 1)) END`;
  const row = await addHitUnlessHeldBack(
    db,
    key,
    now,
    backoff.windowMs,
    delaySql,
    backoffDelayMs(backoff, 1),
  );
  if (row) return { allowed: true, hits: row.hits, retryAfterSeconds: 0 };
  const held = await readBackoffCounter(db, key);
  const until = held?.next_allowed_at?.getTime() ?? now.getTime();
  return {
    allowed: false,
    hits: held?.hits ?? 0,
    retryAfterSeconds: Math.max(1, Math.ceil((until - now.getTime()) / 1000)),
  };
}
