import type { Kysely } from 'kysely';
import type { DB, TeamContactSettingsTable } from '../../db/schema.ts';

const settingsColumns = [
  'accepts_new',
  'region',
  'response_time',
  'auto_reply',
  'office_hours',
  'guest_verification',
  'notify',
  'notify_address',
  'updated_at',
] as const;

/** One team of an organisation with its contact settings (null columns: no row yet). */
export async function selectTeamWithSettings(db: Kysely<DB>, organisationId: string, teamId: string) {
  return db
    .selectFrom('teams')
    .leftJoin('team_contact_settings as s', 's.team_id', 'teams.id')
    .select(['teams.id', 'teams.name', 'teams.description'])
    .select(settingsColumns.map((c) => `s.${c}` as const))
    .where('teams.organisation_id', '=', organisationId)
    .where('teams.id', '=', teamId)
    .executeTakeFirst();
}

export type SettingsValues = Omit<TeamContactSettingsTable, 'team_id'>;

export async function upsertTeamContactSettings(
  db: Kysely<DB>,
  teamId: string,
  values: SettingsValues,
): Promise<void> {
  await db
    .insertInto('team_contact_settings')
    .values({ team_id: teamId, ...values })
    .onConflict((c) => c.column('team_id').doUpdateSet(values))
    .execute();
}

export async function selectOrganisationBySlug(db: Kysely<DB>, slug: string) {
  return db
    .selectFrom('organisations')
    .select(['id', 'name', 'slug', 'branding', 'logo_type'])
    .where('slug', '=', slug)
    .executeTakeFirst();
}

/** Teams that accept new conversations from the contact page, by name. */
export async function selectOpenTeams(db: Kysely<DB>, organisationId: string) {
  return db
    .selectFrom('teams')
    .innerJoin('team_contact_settings as s', 's.team_id', 'teams.id')
    .select(['teams.id', 'teams.name', 'teams.description'])
    .select(['s.region', 's.response_time', 's.office_hours', 's.guest_verification'])
    .where('teams.organisation_id', '=', organisationId)
    .where('s.accepts_new', '=', true)
    .orderBy('teams.name')
    .execute();
}
