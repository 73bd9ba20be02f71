/**
 * What other features may ask about people and teams: names, organisations, memberships and the
 * account key pair the keys feature keeps on the user's row. Callers get plain objects, never
 * a query handle on accounts' tables.
 */
import type { Deps } from '../../deps.ts';
import {
  searchActiveUsers,
  searchTeams,
  selectMemberIdsOfTeams,
  selectOrganisationProfile,
  selectPeopleByEmails,
  selectPeopleByIds,
  selectTeamIdsOfUser,
  selectTeamMembership,
  selectTeamsByAddresses,
  selectTeamsByIds,
  selectTeamsOfOrganisation,
  setUserKeysIfNone,
  updateMessageDefaults,
} from './directory-store.ts';
import { selectOrganisationBySlug, selectOrganisations } from './store.ts';

type DbDeps = Pick<Deps, 'db'>;

export type Person = Awaited<ReturnType<typeof selectPeopleByIds>>[number];
export type TeamSummary = Awaited<ReturnType<typeof selectTeamsByIds>>[number];

/** People by id (any organisation: callers check the organisation). */
export function findPeople(deps: DbDeps, ids: readonly string[]): Promise<Person[]> {
  return selectPeopleByIds(deps.db, [...new Set(ids)]);
}

export async function findPerson(deps: DbDeps, id: string): Promise<Person | undefined> {
  return (await findPeople(deps, [id]))[0];
}

/** People by e-mail address, any organisation (the mail gateway: its sender and colleagues). */
export function findPeopleByEmail(deps: DbDeps, emails: readonly string[]) {
  return selectPeopleByEmails(deps.db, [...new Set(emails.map((e) => e.toLowerCase()))]);
}

/** Teams of an organisation by their mail address. */
export function findTeamsByAddress(deps: DbDeps, organisationId: string, addresses: readonly string[]) {
  return selectTeamsByAddresses(deps.db, organisationId, [...new Set(addresses.map((a) => a.toLowerCase()))]);
}

/** Teams by id (any organisation: callers check the organisation). */
export function findTeams(deps: DbDeps, ids: readonly string[]): Promise<TeamSummary[]> {
  return selectTeamsByIds(deps.db, [...new Set(ids)]);
}

export function teamIdsOfUser(deps: DbDeps, userId: string): Promise<string[]> {
  return selectTeamIdsOfUser(deps.db, userId);
}

/** Member ids per team id. */
export async function membersOfTeams(deps: DbDeps, teamIds: readonly string[]) {
  const rows = await selectMemberIdsOfTeams(deps.db, [...new Set(teamIds)]);
  const byTeam = new Map<string, string[]>(teamIds.map((id) => [id, []]));
  for (const row of rows) byTeam.get(row.team_id)?.push(row.user_id);
  return byTeam;
}

/** Stores a user's key pair once (the keys feature decides when); whether it was stored. */
export function storeUserKeyPairOnce(
  deps: DbDeps,
  userId: string,
  keys: { publicKey: string; wrappedPrivateKey: string },
): Promise<boolean> {
  return setUserKeysIfNone(deps.db, userId, keys.publicKey, keys.wrappedPrivateKey);
}

/** Active colleagues and teams of one organisation matching a search or a list of ids. */
export function searchDirectory(
  deps: DbDeps,
  organisationId: string,
  filter: { q?: string; ids?: string[] },
) {
  return Promise.all([
    searchActiveUsers(deps.db, organisationId, filter),
    searchTeams(deps.db, organisationId, filter),
  ]).then(([users, teams]) => ({ users, teams }));
}

export type OrganisationProfile = NonNullable<Awaited<ReturnType<typeof selectOrganisationProfile>>>;

/** An organisation's name, branding and message defaults; undefined for an unknown id. */
export function findOrganisation(
  deps: DbDeps,
  organisationId: string,
): Promise<OrganisationProfile | undefined> {
  return selectOrganisationProfile(deps.db, organisationId);
}

/**
 * Changes the defaults new messages get (expiry, e-mail-only recipients, remembered browsers,
 * direct delivery over verified TLS).
 */
export function changeMessageDefaults(
  deps: DbDeps,
  organisationId: string,
  changes: {
    message_expiry_days?: number;
    allow_email_only?: boolean;
    guest_remember_days?: number;
    allow_direct_delivery?: boolean;
  },
): Promise<void> {
  return updateMessageDefaults(deps.db, organisationId, changes);
}

/** Every organisation on this installation, by name (the `zegel admin` command lists them). */
export function listOrganisations(deps: DbDeps) {
  return selectOrganisations(deps.db);
}

/** An organisation by its slug (the public contact page's address, the CLI's `--org`). */
export function findOrganisationBySlug(deps: DbDeps, slug: string) {
  return selectOrganisationBySlug(deps.db, slug);
}

/** An organisation's teams, by name. */
export function teamsOfOrganisation(deps: DbDeps, organisationId: string): Promise<TeamSummary[]> {
  return selectTeamsOfOrganisation(deps.db, organisationId);
}

/** A user's role in a team of this organisation (with name and account state); undefined if none. */
export function teamMembership(deps: DbDeps, organisationId: string, teamId: string, userId: string) {
  return selectTeamMembership(deps.db, organisationId, teamId, userId);
}
