import { ErrorCode } from '@zegel/protocol/errors';
import type { Actor, Deps, RequestOrigin } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { AuditAction, auditActor } from '../../platform/audit/index.ts';
import { deleteSessionsOfUser } from './session-store.ts';
import { countActiveAdmins, selectUserById, selectUsersOfOrganisation, updateUserRow } from './store.ts';

export async function listUsers(deps: Deps, organisationId: string) {
  const rows = await selectUsersOfOrganisation(deps.db, organisationId);
  return rows.map((u) => ({
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    status: u.status,
    hasSecondFactor: u.totp_enabled_at !== null,
    createdAt: u.created_at.toISOString(),
  }));
}

/**
 * Changes a user's role or status. Deactivating ends the user's sessions at once; the last
 * active admin can neither be demoted nor deactivated, so an organisation never locks itself out.
 */
export async function updateUser(
  deps: Deps,
  actor: Actor,
  userId: string,
  patch: { role?: 'admin' | 'member'; status?: 'active' | 'deactivated' },
  origin: RequestOrigin,
) {
  const user = await selectUserById(deps.db, userId);
  if (!user || user.organisation_id !== actor.organisationId)
    throw new AppError(ErrorCode.notFound, 'No such user.');
  const losesAdmin =
    user.role === 'admin' &&
    user.status === 'active' &&
    (patch.role === 'member' || patch.status === 'deactivated');
  await deps.db.transaction().execute(async (tx) => {
    // Lock the organisation row so two admins demoting each other at once cannot both succeed.
    await tx
      .selectFrom('organisations')
      .select('id')
      .where('id', '=', actor.organisationId)
      .forUpdate()
      .execute();
    if (losesAdmin && (await countActiveAdmins(tx, actor.organisationId)).count <= 1) {
      throw new AppError(ErrorCode.lastAdmin, 'The organisation needs at least one active administrator.');
    }
    await updateUserRow(tx, userId, patch);
    if (patch.status === 'deactivated') await deleteSessionsOfUser(tx, userId);
  });
  const base = {
    organisationId: actor.organisationId,
    actor: auditActor(actor),
    accessPoint: origin,
    object: { type: 'user', id: userId },
  };
  if (patch.role && patch.role !== user.role) {
    await deps.audit.record({
      ...base,
      action: AuditAction.userRoleChanged,
      outcome: 'success',
      details: { from: user.role, to: patch.role },
    });
  }
  if (patch.status && patch.status !== user.status) {
    const action = patch.status === 'deactivated' ? AuditAction.userDeactivated : AuditAction.userReactivated;
    await deps.audit.record({ ...base, action, outcome: 'success' });
  }
  const updated = (await listUsers(deps, actor.organisationId)).find((u) => u.id === userId);
  if (!updated) throw new AppError(ErrorCode.notFound, 'No such user.');
  return updated;
}
