import { ErrorCode } from '@zegel/protocol/errors';
import type { Actor, Deps, RequestOrigin } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { AuditAction, auditActor } from '../../platform/audit/index.ts';
import {
  findPeople,
  findTeams,
  membersOfTeams,
  teamIdsOfUser,
  teamsOfOrganisation,
} from '../accounts/index.ts';
import { insertFirstTeamKey, insertTeamKeyWraps, selectCurrentTeamKeys, selectWraps } from './store.ts';

type Wraps = { userId: string; wrappedPrivateKey: string }[];

/** My teams with their current key, my wrap, and members still waiting for a wrap. */
export async function getMyTeamKeys(deps: Deps, actor: Actor) {
  const teamIds = await teamIdsOfUser(deps, actor.userId);
  const [teams, keys, members] = await Promise.all([
    findTeams(deps, teamIds),
    selectCurrentTeamKeys(deps.db, teamIds),
    membersOfTeams(deps, teamIds),
  ]);
  const wraps = await selectWraps(
    deps.db,
    keys.map((k) => k.id),
  );
  const people = await findPeople(deps, [...members.values()].flat());
  const withKey = people.filter((p) => p.status === 'active' && p.public_key);
  return {
    teams: teams
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((team) => {
        const key = keys.find((k) => k.team_id === team.id);
        const keyWraps = wraps.filter((w) => w.team_key_id === key?.id);
        const mine = keyWraps.find((w) => w.user_id === actor.userId)?.wrapped_private_key ?? null;
        const waiting = key && mine ? withKey.filter((p) => isWaiting(p.id, team.id, members, keyWraps)) : [];
        return {
          teamId: team.id,
          teamName: team.name,
          publicKey: key?.public_key ?? null,
          wrappedPrivateKey: mine,
          membersWithoutKey: waiting.map((m) => ({ userId: m.id, publicKey: m.public_key as string })),
        };
      }),
  };
}

function isWaiting(
  userId: string,
  teamId: string,
  members: Map<string, string[]>,
  wraps: { user_id: string }[],
) {
  return (members.get(teamId) ?? []).includes(userId) && !wraps.some((w) => w.user_id === userId);
}

async function requireTeamMember(deps: Deps, actor: Actor, teamId: string) {
  const [team] = await findTeams(deps, [teamId]);
  if (!team || team.organisation_id !== actor.organisationId)
    throw new AppError(ErrorCode.notFound, 'No such team.');
  const members = (await membersOfTeams(deps, [teamId])).get(teamId) ?? [];
  if (!members.includes(actor.userId))
    throw new AppError(ErrorCode.forbidden, 'Only members of the team can manage its keys.');
  return members;
}

function checkWraps(members: string[], wraps: Wraps) {
  const seen = new Set<string>();
  for (const wrap of wraps) {
    if (!members.includes(wrap.userId) || seen.has(wrap.userId))
      throw new AppError(
        ErrorCode.validationFailed,
        'Every wrap must be for a different member of the team.',
        {
          userId: wrap.userId,
        },
      );
    seen.add(wrap.userId);
  }
}

async function recordTeamKeys(
  deps: Deps,
  actor: Actor,
  action: AuditAction,
  teamId: string,
  wraps: number,
  origin: RequestOrigin,
) {
  await deps.audit.record({
    action,
    outcome: 'success',
    organisationId: actor.organisationId,
    actor: auditActor(actor),
    accessPoint: origin,
    object: { type: 'team', id: teamId },
    details: { wraps },
  });
}

/**
 * Who may make a team's first key: a member, or an admin of the organisation, whose browser
 * makes it when the team gets its first member (the private key is only wrapped to members).
 */
async function requireTeamKeyMaker(deps: Deps, actor: Actor, teamId: string) {
  if (actor.role !== 'admin') return requireTeamMember(deps, actor, teamId);
  const [team] = await findTeams(deps, [teamId]);
  if (!team || team.organisation_id !== actor.organisationId)
    throw new AppError(ErrorCode.notFound, 'No such team.');
  return (await membersOfTeams(deps, [teamId])).get(teamId) ?? [];
}

/** A member's or an admin's browser creates the team key pair; only while the team has none. */
export async function createTeamKeys(
  deps: Deps,
  actor: Actor,
  teamId: string,
  input: { publicKey: string; wraps: Wraps },
  origin: RequestOrigin,
) {
  const members = await requireTeamKeyMaker(deps, actor, teamId);
  checkWraps(members, input.wraps);
  if (members.includes(actor.userId) && !input.wraps.some((w) => w.userId === actor.userId))
    throw new AppError(ErrorCode.validationFailed, 'Include a wrap for yourself.');
  const stored = await deps.db.transaction().execute((trx) =>
    insertFirstTeamKey(
      trx,
      { id: crypto.randomUUID(), teamId, publicKey: input.publicKey, createdBy: actor.userId },
      input.wraps.map((w) => ({ userId: w.userId, wrapped: w.wrappedPrivateKey })),
    ),
  );
  if (!stored) throw new AppError(ErrorCode.conflict, 'This team already has a key.');
  await recordTeamKeys(deps, actor, AuditAction.teamKeysCreated, teamId, input.wraps.length, origin);
  return { ok: true as const };
}

/** Adds wraps of the current team key for members who had none (new members, new member keys). */
export async function addTeamKeyWraps(
  deps: Deps,
  actor: Actor,
  teamId: string,
  input: { publicKey: string; wraps: Wraps },
  origin: RequestOrigin,
) {
  const members = await requireTeamMember(deps, actor, teamId);
  checkWraps(members, input.wraps);
  const [current] = await selectCurrentTeamKeys(deps.db, [teamId]);
  if (!current || current.public_key !== input.publicKey)
    throw new AppError(ErrorCode.conflict, 'The team key has changed; fetch it again.');
  await insertTeamKeyWraps(
    deps.db,
    current.id,
    input.wraps.map((w) => ({ userId: w.userId, wrapped: w.wrappedPrivateKey })),
  );
  await recordTeamKeys(deps, actor, AuditAction.teamKeysWrapped, teamId, input.wraps.length, origin);
  return { ok: true as const };
}

/** For the admin's team pages: which teams have a key, and the members' keys to make one. */
export async function getTeamKeyStatus(deps: Deps, actor: Actor) {
  const teams = await teamsOfOrganisation(deps, actor.organisationId);
  const teamIds = teams.map((t) => t.id);
  const [keys, members] = await Promise.all([
    selectCurrentTeamKeys(deps.db, teamIds),
    membersOfTeams(deps, teamIds),
  ]);
  const people = await findPeople(deps, [...members.values()].flat());
  return {
    teams: teams.map((team) => ({
      teamId: team.id,
      hasKey: keys.some((k) => k.team_id === team.id),
      members: people
        .filter((p) => p.status === 'active' && (members.get(team.id) ?? []).includes(p.id))
        .map((p) => ({ userId: p.id, publicKey: p.public_key })),
    })),
  };
}
