import { ErrorCode } from '@zegel/protocol/errors';
import type { Actor, Deps, RequestOrigin } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { AuditAction, auditActor } from '../../platform/audit/index.ts';
import {
  insertTeamKey,
  insertTeamKeyWraps,
  selectCurrentTeamKey,
  selectDirectoryTeams,
  selectDirectoryUsers,
  selectMembersWithoutWrap,
  selectTeamMemberIds,
  selectTeamsWithKeysOfUser,
  selectUserKeys,
  setUserKeysIfNone,
} from './store.ts';

/** The signed-in user's key pair, or null before the browser made one. */
export async function getAccountKeys(deps: Deps, actor: Actor) {
  const row = await selectUserKeys(deps.db, actor.userId);
  if (!row?.public_key || !row.wrapped_private_key) return { keys: null };
  return { keys: { publicKey: row.public_key, wrappedPrivateKey: row.wrapped_private_key } };
}

/** Stores the user's key pair once; replacing it would orphan everything wrapped to the old key. */
export async function setAccountKeys(
  deps: Deps,
  actor: Actor,
  keys: { publicKey: string; wrappedPrivateKey: string },
  origin: RequestOrigin,
) {
  const done = await setUserKeysIfNone(deps.db, actor.userId, keys.publicKey, keys.wrappedPrivateKey);
  if (!done) throw new AppError(ErrorCode.conflict, 'This account already has a key pair.');
  await deps.audit.record({
    action: AuditAction.accountKeysCreated,
    outcome: 'success',
    organisationId: actor.organisationId,
    actor: auditActor(actor),
    accessPoint: origin,
    object: { type: 'user', id: actor.userId },
  });
  return keys;
}

/** My teams with their current key, my wrap, and members still waiting for a wrap. */
export async function getMyTeamKeys(deps: Deps, actor: Actor) {
  const rows = await selectTeamsWithKeysOfUser(deps.db, actor.userId);
  const teams = [];
  for (const row of rows) {
    const waiting =
      row.key_id && row.wrapped_private_key
        ? await selectMembersWithoutWrap(deps.db, row.team_id, row.key_id)
        : [];
    teams.push({
      teamId: row.team_id,
      teamName: row.name,
      publicKey: row.public_key ?? null,
      wrappedPrivateKey: row.wrapped_private_key ?? null,
      membersWithoutKey: waiting.map((m) => ({ userId: m.id, publicKey: m.public_key as string })),
    });
  }
  return { teams };
}

async function assertTeamMember(deps: Deps, actor: Actor, teamId: string) {
  const members = await selectTeamMemberIds(deps.db, teamId);
  const team = (await selectDirectoryTeams(deps.db, actor.organisationId, { ids: [teamId] }))[0];
  if (!team) throw new AppError(ErrorCode.notFound, 'No such team.');
  if (!members.includes(actor.userId))
    throw new AppError(ErrorCode.forbidden, 'Only members of the team can manage its keys.');
  return members;
}

function checkWraps(members: string[], wraps: { userId: string }[]) {
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

/** A member's browser creates the team key pair; only while the team has none. */
export async function createTeamKeys(
  deps: Deps,
  actor: Actor,
  teamId: string,
  input: { publicKey: string; wraps: { userId: string; wrappedPrivateKey: string }[] },
  origin: RequestOrigin,
) {
  const members = await assertTeamMember(deps, actor, teamId);
  checkWraps(members, input.wraps);
  if (!input.wraps.some((w) => w.userId === actor.userId))
    throw new AppError(ErrorCode.validationFailed, 'Include a wrap for yourself.');
  try {
    await deps.db.transaction().execute(async (trx) => {
      if (await selectCurrentTeamKey(trx, teamId))
        throw new AppError(ErrorCode.conflict, 'This team already has a key.');
      await insertTeamKey(
        trx,
        { id: crypto.randomUUID(), teamId, publicKey: input.publicKey, createdBy: actor.userId },
        input.wraps.map((w) => ({ userId: w.userId, wrapped: w.wrappedPrivateKey })),
      );
    });
  } catch (error) {
    if ((error as { code?: string }).code === '23505')
      throw new AppError(ErrorCode.conflict, 'This team already has a key.');
    throw error;
  }
  await deps.audit.record({
    action: AuditAction.teamKeysCreated,
    outcome: 'success',
    organisationId: actor.organisationId,
    actor: auditActor(actor),
    accessPoint: origin,
    object: { type: 'team', id: teamId },
    details: { wraps: input.wraps.length },
  });
  return { ok: true as const };
}

/** Adds wraps of the current team key for members who had none (new members, new member keys). */
export async function addTeamKeyWraps(
  deps: Deps,
  actor: Actor,
  teamId: string,
  input: { publicKey: string; wraps: { userId: string; wrappedPrivateKey: string }[] },
  origin: RequestOrigin,
) {
  const members = await assertTeamMember(deps, actor, teamId);
  checkWraps(members, input.wraps);
  const current = await selectCurrentTeamKey(deps.db, teamId);
  if (!current || current.public_key !== input.publicKey)
    throw new AppError(ErrorCode.conflict, 'The team key has changed; fetch it again.');
  await insertTeamKeyWraps(
    deps.db,
    current.id,
    input.wraps.map((w) => ({ userId: w.userId, wrapped: w.wrappedPrivateKey })),
  );
  await deps.audit.record({
    action: AuditAction.teamKeysWrapped,
    outcome: 'success',
    organisationId: actor.organisationId,
    actor: auditActor(actor),
    accessPoint: origin,
    object: { type: 'team', id: teamId },
    details: { wraps: input.wraps.length },
  });
  return { ok: true as const };
}

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
  const [users, teams] = await Promise.all([
    selectDirectoryUsers(deps.db, actor.organisationId, filter),
    selectDirectoryTeams(deps.db, actor.organisationId, filter),
  ]);
  return {
    users: users.map((u) => ({ id: u.id, name: u.name, email: u.email, publicKey: u.public_key })),
    teams: teams.map((t) => ({ id: t.id, name: t.name, publicKey: t.public_key ?? null })),
  };
}
