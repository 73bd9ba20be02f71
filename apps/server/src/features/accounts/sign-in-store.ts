import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';

/** SQL for sign-in challenges and the per-hour tally of failed and refused sign-ins; no rules here. */
type Db = Kysely<Pick<DB, 'sign_in_spent_challenges' | 'sign_in_refusals' | 'users'>>;

/** Marks a challenge used; false when it was used before (one statement, so a race has one winner). */
export async function spendChallengeOnce(db: Db, challengeHash: string, expiresAt: Date, now: Date) {
  await db.deleteFrom('sign_in_spent_challenges').where('expires_at', '<', now).execute();
  const row = await db
    .insertInto('sign_in_spent_challenges')
    .values({ challenge_hash: challengeHash, expires_at: expiresAt })
    .onConflict((oc) => oc.column('challenge_hash').doNothing())
    .returning('challenge_hash')
    .executeTakeFirst();
  return row !== undefined;
}

export async function addToRefusalTally(
  db: Db,
  row: { userId: string; organisationId: string; hour: Date; kind: 'failed' | 'refused' },
) {
  const failed = row.kind === 'failed' ? 1 : 0;
  const refused = row.kind === 'refused' ? 1 : 0;
  await db
    .insertInto('sign_in_refusals')
    .values({ user_id: row.userId, organisation_id: row.organisationId, hour: row.hour, failed, refused })
    .onConflict((oc) =>
      oc.columns(['user_id', 'hour']).doUpdateSet({
        failed: sql<number>`sign_in_refusals.failed + ${failed}`,
        refused: sql<number>`sign_in_refusals.refused + ${refused}`,
      }),
    )
    .execute();
}

/** Accounts of an organisation with failed or refused sign-ins since `since`, busiest first. */
export function selectRefusalTallies(db: Db, organisationId: string, since: Date) {
  return db
    .selectFrom('sign_in_refusals')
    .innerJoin('users', 'users.id', 'sign_in_refusals.user_id')
    .select((eb) => [
      'users.id as userId',
      'users.name as name',
      'users.email as email',
      eb.fn.sum<number>('sign_in_refusals.failed').as('failed'),
      eb.fn.sum<number>('sign_in_refusals.refused').as('refused'),
    ])
    .where('sign_in_refusals.organisation_id', '=', organisationId)
    .where('sign_in_refusals.hour', '>=', since)
    .groupBy(['users.id', 'users.name', 'users.email'])
    .orderBy(sql`sum(sign_in_refusals.failed) + sum(sign_in_refusals.refused)`, 'desc')
    .limit(50)
    .execute();
}
