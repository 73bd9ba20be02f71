import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';

/** SQL for what other features ask about people and teams (the directory); no rules here. */
type Db = Kysely<DB> | Transaction<DB>;

const NO_ID = '00000000-0000-0000-0000-000000000000';

export function selectPeopleByIds(db: Db, ids: readonly string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('users')
    .select(['id', 'organisation_id', 'name', 'email', 'status', 'public_key', 'wrapped_private_key'])
    .where('id', 'in', ids)
    .execute();
}

export function selectTeamsByIds(db: Db, ids: readonly string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('teams')
    .select(['id', 'organisation_id', 'name', 'description', 'mail_address'])
    .where('id', 'in', ids)
    .execute();
}

export async function selectTeamIdsOfUser(db: Db, userId: string) {
  const rows = await db.selectFrom('team_members').select('team_id').where('user_id', '=', userId).execute();
  return rows.map((r) => r.team_id);
}

export async function selectMemberIdsOfTeams(db: Db, teamIds: readonly string[]) {
  if (teamIds.length === 0) return [];
  return db
    .selectFrom('team_members')
    .select(['team_id', 'user_id'])
    .where('team_id', 'in', teamIds)
    .execute();
}

/** Sets the key pair only while the user has none; returns whether it was set. */
export async function setUserKeysIfNone(db: Db, userId: string, publicKey: string, wrapped: string) {
  const result = await db
    .updateTable('users')
    .set({ public_key: publicKey, wrapped_private_key: wrapped })
    .where('id', '=', userId)
    .where('public_key', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

function likePattern(q: string) {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export function searchActiveUsers(db: Db, organisationId: string, filter: { q?: string; ids?: string[] }) {
  let query = db
    .selectFrom('users')
    .select(['id', 'name', 'email', 'public_key'])
    .where('organisation_id', '=', organisationId)
    .where('status', '=', 'active');
  if (filter.ids) query = query.where('id', 'in', filter.ids.length ? filter.ids : [NO_ID]);
  if (filter.q) {
    const like = likePattern(filter.q);
    query = query.where((eb) => eb.or([eb('name', 'ilike', like), eb('email', 'ilike', like)]));
  }
  return query.orderBy('name').limit(50).execute();
}

export function searchTeams(db: Db, organisationId: string, filter: { q?: string; ids?: string[] }) {
  let query = db.selectFrom('teams').select(['id', 'name']).where('organisation_id', '=', organisationId);
  if (filter.ids) query = query.where('id', 'in', filter.ids.length ? filter.ids : [NO_ID]);
  if (filter.q) query = query.where('name', 'ilike', likePattern(filter.q));
  return query.orderBy('name').limit(50).execute();
}

/** An organisation's name, face and message defaults, as other features show and use them. */
export function selectOrganisationProfile(db: Db, organisationId: string) {
  return db
    .selectFrom('organisations')
    .select([
      'id',
      'name',
      'slug',
      'branding',
      'logo_type',
      'message_expiry_days',
      'allow_email_only',
      'guest_remember_days',
      'allow_direct_delivery',
    ])
    .where('id', '=', organisationId)
    .executeTakeFirst();
}

export async function updateMessageDefaults(
  db: Db,
  organisationId: string,
  changes: {
    message_expiry_days?: number;
    allow_email_only?: boolean;
    guest_remember_days?: number;
    allow_direct_delivery?: boolean;
  },
) {
  await db.updateTable('organisations').set(changes).where('id', '=', organisationId).execute();
}

export function selectTeamsOfOrganisation(db: Db, organisationId: string) {
  return db
    .selectFrom('teams')
    .select(['id', 'organisation_id', 'name', 'description', 'mail_address'])
    .where('organisation_id', '=', organisationId)
    .orderBy('name')
    .execute();
}

/** A user's membership of a team of an organisation, with their name and account state. */
export function selectTeamMembership(db: Db, organisationId: string, teamId: string, userId: string) {
  return db
    .selectFrom('team_members')
    .innerJoin('teams', 'teams.id', 'team_members.team_id')
    .innerJoin('users', 'users.id', 'team_members.user_id')
    .select(['team_members.role', 'users.name', 'users.status'])
    .where('teams.organisation_id', '=', organisationId)
    .where('team_members.team_id', '=', teamId)
    .where('team_members.user_id', '=', userId)
    .executeTakeFirst();
}

/** People by e-mail address (lower case), for the mail gateway's sender and internal recipients. */
export function selectPeopleByEmails(db: Db, emails: readonly string[]) {
  if (emails.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('users')
    .select(['id', 'organisation_id', 'name', 'email', 'status', 'role', 'public_key'])
    .where((eb) => eb(eb.fn('lower', ['email']), 'in', emails))
    .execute();
}

/** Teams of one organisation by their mail address (lower case). */
export function selectTeamsByAddresses(db: Db, organisationId: string, addresses: readonly string[]) {
  if (addresses.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('teams')
    .select(['id', 'organisation_id', 'name', 'mail_address'])
    .where('organisation_id', '=', organisationId)
    .where((eb) => eb(eb.fn('lower', ['mail_address']), 'in', addresses))
    .execute();
}
