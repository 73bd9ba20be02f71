import type { CareDecisionRequest } from '@zegel/protocol/api';
import { ErrorCode } from '@zegel/protocol/errors';
import { inTransaction } from '../../db/transaction.ts';
import type { Deps, RequestOrigin } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { AuditAction } from '../../platform/audit/index.ts';
import { auditMember, clientSubject, requireMember } from './access.ts';
import { memberFromCandidate } from './candidate.ts';
import { invitePersonMember } from './personal-invitations.ts';
import { actsForClient, type CareActor, requireRole } from './policy.ts';
import { decideRequest, insertMember, lockNetwork, selectRequests } from './store.ts';

/**
 * The client or a representative consents to, or declines, a pending request. With the network
 * row locked: a request is decided once, an expired one not at all, and on consent the member
 * joins in the same transaction (or nothing is stored).
 */
export async function decideConsentRequest(
  deps: Deps,
  who: CareActor,
  networkId: string,
  requestId: string,
  input: CareDecisionRequest,
  origin: RequestOrigin,
): Promise<{ status: 'consented' | 'declined'; memberId: string | null }> {
  const access = await requireMember(deps, who, networkId);
  requireRole(actsForClient(access.me), 'Only the client or their representative decides.');
  const now = deps.clock.now();
  const status = input.decision === 'consent' ? 'consented' : 'declined';
  let joined: { person_email: string | null; person_name: string | null } | null = null;
  const memberId = await inTransaction(deps, async (tx) => {
    await lockNetwork(tx.db, networkId);
    const request = (await selectRequests(tx.db, networkId)).find((r) => r.id === requestId);
    if (!request) throw new AppError(ErrorCode.notFound, 'No such consent request.');
    if (request.status !== 'pending')
      throw new AppError(ErrorCode.careRequestDecided, 'This request has been decided already.');
    if (request.expires_at <= now)
      throw new AppError(ErrorCode.careRequestExpired, 'This request has expired; ask for a new one.');
    let id: string | null = null;
    if (status === 'consented') {
      const record = { kind: 'digital' as const, requestId };
      const row = memberFromCandidate(networkId, request.candidate, now, access.me.id, record);
      if (!(await insertMember(tx.db, row)))
        throw new AppError(ErrorCode.careAlreadyMember, 'This person is already a member of the network.');
      id = row.id;
      joined = row;
    }
    await decideRequest(tx.db, { id: requestId, status, at: now, by: access.me.id, memberId: id });
    return id;
  });
  await deps.audit.record({
    action: status === 'consented' ? AuditAction.careConsentGiven : AuditAction.careConsentDeclined,
    outcome: 'success',
    organisationId: access.network.organisation_id,
    actor: auditMember(access.me, who, access.client),
    accessPoint: origin,
    subjectPerson: clientSubject(access.client),
    object: { type: 'care_consent_request', id: requestId },
    details: { networkId, ...(memberId ? { memberId } : {}) },
  });
  if (joined) await invitePersonMember(deps, joined, access.network.organisation_id);
  return { status, memberId };
}
