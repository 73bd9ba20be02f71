import type { KeyHolder } from '@zegel/protocol/api';
import { ErrorCode } from '@zegel/protocol/errors';
import type { Actor, Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { findPeople, findTeams, searchDirectory } from '../accounts/index.ts';
import { selectCurrentTeamKeys } from './store.ts';

type DbDeps = Pick<Deps, 'db'>;

/** Colleagues and teams of my organisation with their public keys, for the composer. */
export async function getDirectoryKeys(deps: Deps, actor: Actor, query: { q?: string; ids?: string }) {
  const filter: { q?: string; ids?: string[] } = {};
  if (query.q?.trim()) filter.q = query.q.trim();
  if (query.ids !== undefined) {
    const ids = query.ids
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (ids.some((id) => !/^[0-9a-f-]{36}$/i.test(id)))
      throw new AppError(ErrorCode.validationFailed, 'ids must be a comma-separated list of ids.');
    filter.ids = ids;
  }
  const { users, teams } = await searchDirectory(deps, actor.organisationId, filter);
  const teamKeys = await teamPublicKeys(
    deps,
    teams.map((t) => t.id),
  );
  return {
    users: users.map((u) => ({ id: u.id, name: u.name, email: u.email, publicKey: u.public_key })),
    teams: teams.map((t) => ({ id: t.id, name: t.name, publicKey: teamKeys.get(t.id) ?? null })),
  };
}

/** Current public key per team id (teams without a key are absent). */
export async function teamPublicKeys(deps: DbDeps, teamIds: readonly string[]): Promise<Map<string, string>> {
  const keys = await selectCurrentTeamKeys(deps.db, [...new Set(teamIds)]);
  return new Map(keys.map((k) => [k.team_id, k.public_key]));
}

/** A staff holder (a person or a team) with its name, organisation, state and public key. */
export interface StaffHolder extends Omit<KeyHolder, 'publicKey' | 'kind'> {
  kind: 'user' | 'team';
  organisationId: string;
  publicKey: string | null;
  /** People only: an inactive account is no recipient. */
  isActive: boolean;
}

/** People and teams by id with the public keys items are wrapped to; unknown ids are absent. */
export async function findStaffHolders(
  deps: DbDeps,
  ids: { userIds: readonly string[]; teamIds: readonly string[] },
): Promise<Map<string, StaffHolder>> {
  const [people, teams, teamKeys] = await Promise.all([
    findPeople(deps, ids.userIds),
    findTeams(deps, ids.teamIds),
    teamPublicKeys(deps, ids.teamIds),
  ]);
  const holders = new Map<string, StaffHolder>();
  for (const p of people)
    holders.set(p.id, {
      holderId: p.id,
      kind: 'user',
      name: p.name,
      organisationId: p.organisation_id,
      publicKey: p.public_key,
      isActive: p.status === 'active',
    });
  for (const t of teams)
    holders.set(t.id, {
      holderId: t.id,
      kind: 'team',
      name: t.name,
      organisationId: t.organisation_id,
      publicKey: teamKeys.get(t.id) ?? null,
      isActive: true,
    });
  return holders;
}
