/**
 * Accounts: organisations, people, teams, sign-in and sessions. Other features ask about people
 * and teams through the directory functions here, never through accounts' tables.
 */

export { seedDemo } from './demo.ts';
export {
  changeMessageDefaults,
  findOrganisation,
  findOrganisationBySlug,
  findPeople,
  findPeopleByEmail,
  findPerson,
  findTeams,
  findTeamsByAddress,
  listOrganisations,
  membersOfTeams,
  type OrganisationProfile,
  type Person,
  searchDirectory,
  storeUserKeyPairOnce,
  type TeamSummary,
  teamIdsOfUser,
  teamMembership,
  teamsOfOrganisation,
} from './directory.ts';
export { inviteUser } from './invitations.ts';
export { createOrganisation, getOrganisation } from './organisations.ts';
export { registerAccountRoutes } from './routes.ts';
export { authenticateSession, type SessionContext } from './sessions.ts';
export { assertCanManageTeam, updateTeam } from './teams.ts';
export { listUsers } from './users.ts';
