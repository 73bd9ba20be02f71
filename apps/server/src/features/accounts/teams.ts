import { ErrorCode } from '@zegel/protocol/errors';
import type { Actor, Deps, RequestOrigin } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { AuditAction, auditActor } from '../../platform/audit/index.ts';
import { selectUserById } from './store.ts';
import {
  deleteTeamMember,
  deleteTeamRow,
  insertTeam,
  selectTeam,
  selectTeamMembers,
  selectTeams,
  updateTeamRow,
  upsertTeamMember,
} from './team-store.ts';

export async function listTeams(deps: Deps, organisationId: string) {
  const teams = await selectTeams(deps.db, organisationId);
  const members = await selectTeamMembers(
    deps.db,
    teams.map((t) => t.id),
  );
  return teams.map((team) => ({
    id: team.id,
    name: team.name,
    description: team.description,
    members: members
      .filter((m) => m.team_id === team.id)
      .map((m) => ({ userId: m.user_id, name: m.name, email: m.email, role: m.role })),
  }));
}

async function requireTeam(deps: Deps, actor: Actor, teamId: string) {
  const team = await selectTeam(deps.db, actor.organisationId, teamId);
  if (!team) throw new AppError(ErrorCode.notFound, 'No such team.');
  return team;
}

/** Organisation admins manage every team; a team admin manages the members of their own team. */
export async function assertCanManageTeam(deps: Deps, actor: Actor, teamId: string) {
  await requireTeam(deps, actor, teamId);
  if (actor.role === 'admin') return;
  const members = await selectTeamMembers(deps.db, [teamId]);
  if (!members.some((m) => m.user_id === actor.userId && m.role === 'admin')) {
    throw new AppError(ErrorCode.forbidden, 'Only an administrator or a team admin can change this team.');
  }
}

export async function createTeam(
  deps: Deps,
  actor: Actor,
  input: { name: string; description: string },
  origin: RequestOrigin,
) {
  const name = input.name.trim();
  if (!name) throw new AppError(ErrorCode.validationFailed, 'The team needs a name.');
  const id = crypto.randomUUID();
  const stored = await insertTeam(deps.db, {
    id,
    organisationId: actor.organisationId,
    name,
    description: input.description.trim(),
  });
  if (stored === 'taken') throw new AppError(ErrorCode.conflict, 'A team with this name already exists.');
  await deps.audit.record({
    action: AuditAction.teamCreated,
    outcome: 'success',
    organisationId: actor.organisationId,
    actor: auditActor(actor),
    accessPoint: origin,
    object: { type: 'team', id },
  });
  return (await listTeams(deps, actor.organisationId)).find((t) => t.id === id)!;
}

export async function updateTeam(
  deps: Deps,
  actor: Actor,
  teamId: string,
  patch: { name?: string; description?: string },
  origin: RequestOrigin,
) {
  await assertCanManageTeam(deps, actor, teamId);
  const changes: { name?: string; description?: string } = {};
  if (patch.name !== undefined) {
    if (!patch.name.trim()) throw new AppError(ErrorCode.validationFailed, 'The team needs a name.');
    changes.name = patch.name.trim();
  }
  if (patch.description !== undefined) changes.description = patch.description.trim();
  if (Object.keys(changes).length > 0 && (await updateTeamRow(deps.db, teamId, changes)) === 'taken')
    throw new AppError(ErrorCode.conflict, 'A team with this name already exists.');
  await deps.audit.record({
    action: AuditAction.teamUpdated,
    outcome: 'success',
    organisationId: actor.organisationId,
    actor: auditActor(actor),
    accessPoint: origin,
    object: { type: 'team', id: teamId },
  });
  return (await listTeams(deps, actor.organisationId)).find((t) => t.id === teamId)!;
}

export async function deleteTeam(deps: Deps, actor: Actor, teamId: string, origin: RequestOrigin) {
  await requireTeam(deps, actor, teamId);
  await deleteTeamRow(deps.db, teamId);
  await deps.audit.record({
    action: AuditAction.teamDeleted,
    outcome: 'success',
    organisationId: actor.organisationId,
    actor: auditActor(actor),
    accessPoint: origin,
    object: { type: 'team', id: teamId },
  });
}

export async function setTeamMember(
  deps: Deps,
  actor: Actor,
  teamId: string,
  userId: string,
  role: 'member' | 'admin',
  origin: RequestOrigin,
) {
  await assertCanManageTeam(deps, actor, teamId);
  const user = await selectUserById(deps.db, userId);
  if (!user || user.organisation_id !== actor.organisationId)
    throw new AppError(ErrorCode.notFound, 'No such user.');
  await upsertTeamMember(deps.db, teamId, userId, role);
  await deps.audit.record({
    action: AuditAction.teamMemberAdded,
    outcome: 'success',
    organisationId: actor.organisationId,
    actor: auditActor(actor),
    accessPoint: origin,
    object: { type: 'team', id: teamId },
    details: { userId, role },
  });
}

export async function removeTeamMember(
  deps: Deps,
  actor: Actor,
  teamId: string,
  userId: string,
  origin: RequestOrigin,
) {
  await assertCanManageTeam(deps, actor, teamId);
  const result = await deleteTeamMember(deps.db, teamId, userId);
  if (result.numDeletedRows !== 1n)
    throw new AppError(ErrorCode.notFound, 'This user is not a member of the team.');
  await deps.audit.record({
    action: AuditAction.teamMemberRemoved,
    outcome: 'success',
    organisationId: actor.organisationId,
    actor: auditActor(actor),
    accessPoint: origin,
    object: { type: 'team', id: teamId },
    details: { userId },
  });
}
