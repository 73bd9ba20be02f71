import type { ContactPage } from '@zegel/protocol/api';
import { ErrorCode } from '@zegel/protocol/errors';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { findOrganisationBySlug, teamsOfOrganisation } from '../accounts/index.ts';
import { teamPublicKeys } from '../keys/index.ts';
import { selectOpenSettings } from './store.ts';

/**
 * The organisation's teams that accept new conversations and can receive them (a team key made
 * for its members), by name, with their contact settings.
 */
async function openTeams(deps: Deps, organisationId: string) {
  const teams = await teamsOfOrganisation(deps, organisationId);
  const ids = teams.map((t) => t.id);
  const [settings, keys] = await Promise.all([selectOpenSettings(deps.db, ids), teamPublicKeys(deps, ids)]);
  return teams.flatMap((team) => {
    const s = settings.find((x) => x.team_id === team.id);
    return s && keys.has(team.id)
      ? [{ ...s, id: team.id, name: team.name, description: team.description }]
      : [];
  });
}

/**
 * The public contact page: the organisation's name and branding and the teams that accept new
 * conversations. A team that only replies is left out; nothing about members is shown.
 */
export async function getContactPage(deps: Deps, slug: string): Promise<ContactPage> {
  const organisation = await findOrganisationBySlug(deps, slug);
  if (!organisation) throw new AppError(ErrorCode.notFound, 'No such organisation.');
  const teams = await openTeams(deps, organisation.id);
  return {
    organisation: {
      name: organisation.name,
      slug: organisation.slug,
      branding: organisation.branding,
      hasLogo: organisation.logo_type !== null,
    },
    teams: teams.map((t) => ({
      id: t.id,
      name: t.name,
      description: t.description,
      region: t.region,
      responseTime: t.response_time,
      officeHours: t.office_hours,
      guestVerification: t.guest_verification,
    })),
  };
}

/** One team's entry; a team that only replies answers with a clear refusal. */
export async function getContactTeam(deps: Deps, slug: string, teamId: string) {
  const page = await getContactPage(deps, slug);
  const team = page.teams.find((t) => t.id === teamId);
  if (!team) {
    throw new AppError(
      ErrorCode.contactClosed,
      'This team does not accept new conversations here. You can only reply to messages it sends you.',
    );
  }
  return { organisation: page.organisation, team };
}
