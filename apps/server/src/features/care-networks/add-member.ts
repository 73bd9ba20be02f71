import type { AddCareMemberResponse, NewCareMember } from '@zegel/protocol/api';
import { ErrorCode } from '@zegel/protocol/errors';
import type { Deps, RequestOrigin } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { AuditAction } from '../../platform/audit/index.ts';
import { auditMember, clientSubject, requireMember } from './access.ts';
import { alreadyThere, checkCandidate, memberFromCandidate } from './candidate.ts';
import { invitePersonMember } from './personal-invitations.ts';
import { type CareActor, canAddMembers, isLocked, requireRole } from './policy.ts';
import { describeStaff, presentMember, presentRequest } from './present.ts';
import { careSettings } from './settings.ts';
import { insertMember, insertRequest, selectRequests } from './store.ts';

const DAY_MS = 86_400_000;

/**
 * The coordinator adds a member. In the open week they join at once; once the network is locked
 * the addition becomes a consent request for the client or their representative, which expires
 * after the host's set time. Someone already in the network, or already asked for, is refused.
 */
export async function addMember(
  deps: Deps,
  who: CareActor,
  networkId: string,
  input: NewCareMember,
  origin: RequestOrigin,
): Promise<AddCareMemberResponse> {
  const access = await requireMember(deps, who, networkId);
  requireRole(canAddMembers(access.me), 'Only the coordinator adds members.');
  const candidate = await checkCandidate(deps, input);
  const now = deps.clock.now();
  alreadyThere(candidate, access.members, await selectRequests(deps.db, networkId), now);
  const locked = isLocked(access.network, now);
  const audit = {
    outcome: 'success' as const,
    organisationId: access.network.organisation_id,
    actor: auditMember(access.me, who, access.client),
    accessPoint: origin,
    subjectPerson: clientSubject(access.client),
  };
  const staff = await describeStaff(
    deps,
    [access.me.user_id, candidate.userId].flatMap((id) => (id ? [id] : [])),
  );
  if (!locked) {
    if (candidate.legalBasis === 'toestemming' && !input.consentRecord)
      throw new AppError(ErrorCode.validationFailed, 'Consent as legal basis needs its consent record.');
    const row = memberFromCandidate(networkId, candidate, now, access.me.id, input.consentRecord ?? null);
    if (!(await insertMember(deps.db, row)))
      throw new AppError(ErrorCode.careAlreadyMember, 'This person is already a member of the network.');
    await deps.audit.record({
      ...audit,
      action: AuditAction.careMemberAdded,
      object: { type: 'care_member', id: row.id },
      details: { networkId, role: row.role, legalBasis: row.legal_basis },
    });
    await invitePersonMember(deps, row, access.network.organisation_id);
    return {
      outcome: 'joined',
      member: presentMember({ ...row, removed_at: null, removed_by: null }, staff),
    };
  }
  if (!input.reason)
    throw new AppError(ErrorCode.validationFailed, 'The network is locked: say why this member should join.');
  const settings = await careSettings(deps, access.network.organisation_id);
  const request = {
    id: crypto.randomUUID(),
    network_id: networkId,
    requested_by: access.me.id,
    candidate,
    reason: input.reason,
    created_at: now,
    expires_at: new Date(now.getTime() + settings.requestDays * DAY_MS),
  };
  await insertRequest(deps.db, request);
  await deps.audit.record({
    ...audit,
    action: AuditAction.careConsentRequested,
    object: { type: 'care_consent_request', id: request.id },
    details: { networkId, role: candidate.role, legalBasis: candidate.legalBasis },
  });
  const row = { ...request, status: 'pending' as const, decided_at: null, decided_by: null, member_id: null };
  return { outcome: 'requested', request: presentRequest(row, access.members, staff, now) };
}
