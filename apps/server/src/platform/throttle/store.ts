import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';

/**
 * Adds one hit to a fixed-window counter and returns the count and window start, atomically:
 * a single INSERT … ON CONFLICT statement, so concurrent processes never lose a hit.
 */
export async function addHit(db: Kysely<DB>, key: string, now: Date, windowMs: number) {
  const windowFloor = new Date(now.getTime() - windowMs);
  const row = await db
    .insertInto('rate_limits')
    .values({ key, window_start: now, hits: 1 })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        hits: sql<number>`CASE WHEN rate_limits.window_start <= ${windowFloor} THEN 1 ELSE rate_limits.hits + 1 END`,
        window_start: sql<Date>`CASE WHEN rate_limits.window_start <= ${windowFloor} THEN ${now} ELSE rate_limits.window_start END`,
      }),
    )
    .returning(['hits', 'window_start'])
    .executeTakeFirstOrThrow();
  return row;
}

export async function readCounter(db: Kysely<DB>, key: string) {
  return db
    .selectFrom('rate_limits')
    .select(['hits', 'window_start'])
    .where('key', '=', key)
    .executeTakeFirst();
}

export async function deleteCounter(db: Kysely<DB>, key: string): Promise<void> {
  await db.deleteFrom('rate_limits').where('key', '=', key).execute();
}

export async function deleteCountersOlderThan(db: Kysely<DB>, before: Date): Promise<void> {
  await db.deleteFrom('rate_limits').where('window_start', '<', before).execute();
}

/** Takes back one hit (never below zero). */
export async function removeHit(db: Kysely<DB>, key: string): Promise<void> {
  await db
    .updateTable('rate_limits')
    .set({ hits: sql<number>`GREATEST(hits - 1, 0)` })
    .where('key', '=', key)
    .execute();
}

/**
 * Adds one hit to a backoff counter unless it is holding back (its `next_allowed_at` lies ahead),
 * and sets the next allowed time from the new count, in one statement: concurrent attempts on
 * any process either count in order or are held back, never both. Returns nothing when held back.
 */
export async function addHitUnlessHeldBack(
  db: Kysely<DB>,
  key: string,
  now: Date,
  windowMs: number,
  delayMsForHits: (hits: RawBuilder<number>) => RawBuilder<number>,
  firstDelayMs: number,
) {
  const windowFloor = new Date(now.getTime() - windowMs);
  const expired = sql<boolean>`rate_limits.window_start <= ${windowFloor}`;
  const newHits = sql<number>`(CASE WHEN ${expired} THEN 1 ELSE rate_limits.hits + 1 END)`;
  return db
    .insertInto('rate_limits')
    .values({ key, window_start: now, hits: 1, next_allowed_at: new Date(now.getTime() + firstDelayMs) })
    .onConflict((oc) =>
      oc
        .column('key')
        .doUpdateSet({
          hits: newHits,
          window_start: sql<Date>`CASE WHEN ${expired} THEN ${now} ELSE rate_limits.window_start END`,
          next_allowed_at: sql<Date>`${now}::timestamptz + (${delayMsForHits(newHits)}) * interval '1 millisecond'`,
        })
        .where((eb) =>
          eb.or([
            eb('rate_limits.next_allowed_at', 'is', null),
            eb('rate_limits.next_allowed_at', '<=', now),
            eb('rate_limits.window_start', '<=', windowFloor),
          ]),
        ),
    )
    .returning(['hits', 'window_start', 'next_allowed_at'])
    .executeTakeFirst();
}

export async function readBackoffCounter(db: Kysely<DB>, key: string) {
  return db
    .selectFrom('rate_limits')
    .select(['hits', 'window_start', 'next_allowed_at'])
    .where('key', '=', key)
    .executeTakeFirst();
}
