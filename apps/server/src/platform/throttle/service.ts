import type { Kysely } from 'kysely';
import type { Clock } from '../../adapters/clock.ts';
import type { DB } from '../../db/schema.ts';
import { addHit, deleteCounter, readCounter, removeHit } from './store.ts';

/** A limit: at most `max` hits per `windowMs`. */
export interface Limit {
  max: number;
  windowMs: number;
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
    reset: (key) => deleteCounter(db, key),
  };
}
