import type { Actor, Deps } from '../../deps.ts';
import { findPerson, findTeams, teamIdsOfUser } from '../accounts/index.ts';

/** The addresses a user may send as through the gateway: their own, and their teams'. */
export async function allowedSenderAddresses(deps: Deps, actor: Actor): Promise<Set<string>> {
  const [person, teamIds] = await Promise.all([
    findPerson(deps, actor.userId),
    teamIdsOfUser(deps, actor.userId),
  ]);
  const teams = await findTeams(deps, teamIds);
  const addresses = new Set<string>();
  if (person) addresses.add(person.email.toLowerCase());
  for (const team of teams)
    if (team.organisation_id === actor.organisationId && team.mail_address)
      addresses.add(team.mail_address.toLowerCase());
  return addresses;
}
