import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';

/** SQL of the keys feature: team key pairs and their wraps per member. No rules here. */
type Db = Kysely<DB> | Transaction<DB>;

export function selectCurrentTeamKeys(db: Db, teamIds: readonly string[]) {
  if (teamIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('team_keys')
    .select(['id', 'team_id', 'public_key'])
    .where('team_id', 'in', teamIds)
    .where('is_current', '=', true)
    .execute();
}

/** Which of the given team keys have a wrap for which user. */
export function selectWraps(db: Db, teamKeyIds: readonly string[]) {
  if (teamKeyIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('team_key_wraps')
    .select(['team_key_id', 'user_id', 'wrapped_private_key'])
    .where('team_key_id', 'in', teamKeyIds)
    .execute();
}

/** Stores a team's first key pair with its wraps; false (nothing stored) if it has one already. */
export async function insertFirstTeamKey(
  db: Db,
  key: { id: string; teamId: string; publicKey: string; createdBy: string },
  wraps: { userId: string; wrapped: string }[],
): Promise<boolean> {
  const inserted = await db
    .insertInto('team_keys')
    .values({ id: key.id, team_id: key.teamId, public_key: key.publicKey, created_by: key.createdBy })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) return false;
  await insertTeamKeyWraps(db, key.id, wraps);
  return true;
}

export async function insertTeamKeyWraps(
  db: Db,
  teamKeyId: string,
  wraps: { userId: string; wrapped: string }[],
) {
  if (wraps.length === 0) return;
  await db
    .insertInto('team_key_wraps')
    .values(wraps.map((w) => ({ team_key_id: teamKeyId, user_id: w.userId, wrapped_private_key: w.wrapped })))
    .onConflict((oc) => oc.columns(['team_key_id', 'user_id']).doNothing())
    .execute();
}
