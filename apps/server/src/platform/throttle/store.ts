import { type Kysely, sql } from 'kysely';
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
