/**
 * Accounts: organisations, people, teams, sign-in and sessions. Other features ask about people
 * and teams through the directory functions here, never through accounts' tables.
 */
export {
  changeMessageDefaults,
  findOrganisation,
  findPeople,
  findPerson,
  findTeams,
  membersOfTeams,
  type OrganisationProfile,
  type Person,
  searchDirectory,
  storeUserKeyPairOnce,
  type TeamSummary,
  teamIdsOfUser,
} from './directory.ts';
export { assertCanManageTeam, updateTeam } from './teams.ts';
