import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { unlessTaken } from '../../db/unique.ts';

/** SQL for teams and their members; no rules here. */
type Db = Kysely<DB> | Transaction<DB>;

// Teams

export function selectTeams(db: Db, organisationId: string) {
  return db
    .selectFrom('teams')
    .select(['id', 'name', 'description', 'mail_address', 'created_at'])
    .where('organisation_id', '=', organisationId)
    .orderBy('name')
    .execute();
}

export function selectTeam(db: Db, organisationId: string, teamId: string) {
  return db
    .selectFrom('teams')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('id', '=', teamId)
    .executeTakeFirst();
}

export function selectTeamMembers(db: Db, teamIds: string[]) {
  if (teamIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('team_members')
    .innerJoin('users', 'users.id', 'team_members.user_id')
    .select([
      'team_members.team_id',
      'team_members.user_id',
      'team_members.role',
      'users.name',
      'users.email',
    ])
    .where('team_members.team_id', 'in', teamIds)
    .orderBy('users.name')
    .execute();
}

/** Stores a new team; `'taken'` when its name is used in the organisation already. */
export function insertTeam(
  db: Db,
  team: { id: string; organisationId: string; name: string; description: string },
) {
  return unlessTaken(() =>
    db
      .insertInto('teams')
      .values({
        id: team.id,
        organisation_id: team.organisationId,
        name: team.name,
        description: team.description,
        mail_address: null,
      })
      .execute(),
  );
}

export function updateTeamRow(
  db: Db,
  teamId: string,
  patch: Partial<{ name: string; description: string; mail_address: string | null }>,
) {
  return unlessTaken(() => db.updateTable('teams').set(patch).where('id', '=', teamId).execute());
}

export function deleteTeamRow(db: Db, teamId: string) {
  return db.deleteFrom('teams').where('id', '=', teamId).execute();
}

export function upsertTeamMember(db: Db, teamId: string, userId: string, role: 'member' | 'admin') {
  return db
    .insertInto('team_members')
    .values({ team_id: teamId, user_id: userId, role })
    .onConflict((oc) => oc.columns(['team_id', 'user_id']).doUpdateSet({ role }))
    .execute();
}

export function deleteTeamMember(db: Db, teamId: string, userId: string) {
  return db
    .deleteFrom('team_members')
    .where('team_id', '=', teamId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}
