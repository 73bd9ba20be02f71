import { ErrorCode } from '@zegel/protocol/errors';
import { inTransaction } from '../../db/transaction.ts';
import type { Deps, RequestOrigin } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { AuditAction } from '../../platform/audit/index.ts';
import { auditMember, clientSubject, requireMember } from './access.ts';
import { retireCurrentKey } from './key-store.ts';
import { actsForClient, type CareActor, requireRole } from './policy.ts';
import { lockNetwork, markMemberRemoved } from './store.ts';

/**
 * The client or a representative removes a member, at any time and without a reason. The network
 * belongs to its one client, so the client cannot be removed (close the network instead). The
 * network key is retired with the removal; a remaining member's browser makes the next one.
 */
export async function removeMember(
  deps: Deps,
  who: CareActor,
  networkId: string,
  memberId: string,
  origin: RequestOrigin,
): Promise<{ ok: true }> {
  const access = await requireMember(deps, who, networkId);
  requireRole(actsForClient(access.me), 'Only the client or their representative removes members.');
  const target = access.members.find((m) => m.id === memberId && m.removed_at === null);
  if (!target) throw new AppError(ErrorCode.notFound, 'No such member.');
  if (target.role === 'client')
    throw new AppError(
      ErrorCode.careLastClient,
      'The network belongs to its client; the client cannot be removed.',
    );
  const now = deps.clock.now();
  await inTransaction(deps, async (tx) => {
    await lockNetwork(tx.db, networkId);
    if (!(await markMemberRemoved(tx.db, memberId, now, access.me.id)))
      throw new AppError(ErrorCode.notFound, 'No such member.');
    // The removed member held the network key: nothing new may be wrapped to it.
    await retireCurrentKey(tx.db, networkId, now);
  });
  await deps.audit.record({
    action: AuditAction.careMemberRemoved,
    outcome: 'success',
    organisationId: access.network.organisation_id,
    actor: auditMember(access.me, who, access.client),
    accessPoint: origin,
    subjectPerson: clientSubject(access.client),
    object: { type: 'care_member', id: memberId },
    details: { networkId, role: target.role },
  });
  return { ok: true };
}
