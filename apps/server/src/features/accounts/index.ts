/**
 * Accounts: organisations, people, teams, sign-in and sessions. Other features ask about people
 * and teams through the directory functions here, never through accounts' tables.
 */
export {
  findPeople,
  findPerson,
  findTeams,
  membersOfTeams,
  type Person,
  searchDirectory,
  storeUserKeyPairOnce,
  type TeamSummary,
  teamIdsOfUser,
} from './directory.ts';
