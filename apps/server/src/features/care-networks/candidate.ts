import type { NewCareMember } from '@zegel/protocol/api';
import { ErrorCode } from '@zegel/protocol/errors';
import type { CareCandidate } from '../../db/schema.ts';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { findPerson } from '../accounts/index.ts';
import { isActive } from './policy.ts';
import type { MemberRow, RequestRow } from './store.ts';

const invalid = (message: string) => new AppError(ErrorCode.validationFailed, message);

/**
 * Checks who is to be added: a professional is a staff account of any organisation here; a
 * representative or carer is a person by name and address; only a representative has a scope
 * and an end date, which must lie ahead.
 */
export async function checkCandidate(deps: Deps, input: NewCareMember): Promise<CareCandidate> {
  const now = deps.clock.now();
  if (input.role === 'professional') {
    if (!input.userId || input.name || input.email)
      throw invalid('A professional is added by their staff account (userId), not by name and address.');
    const person = await findPerson(deps, input.userId);
    if (person?.status !== 'active') throw invalid('No active staff account with this id.');
  } else if (input.userId || !input.name || !input.email) {
    throw invalid('A representative or carer is added by name and e-mail address.');
  }
  if (input.role !== 'representative' && (input.scope || input.endsAt))
    throw invalid('Only a representative has a scope and an end date.');
  if (input.endsAt && new Date(input.endsAt) <= now) throw invalid('The end date must lie in the future.');
  return {
    role: input.role,
    userId: input.userId ?? null,
    name: input.name ?? null,
    email: input.email ? input.email.toLowerCase() : null,
    function: input.function ?? null,
    legalBasis: input.legalBasis,
    scope: input.scope ?? null,
    endsAt: input.endsAt ?? null,
  };
}

/** Whether this candidate is already an active member, or already waits in a pending request. */
export function alreadyThere(
  candidate: CareCandidate,
  members: MemberRow[],
  requests: RequestRow[],
  now: Date,
) {
  const same = (userId: string | null, email: string | null) =>
    candidate.userId ? userId === candidate.userId : email === candidate.email;
  if (members.some((m) => isActive(m, now) && same(m.user_id, m.person_email)))
    throw new AppError(ErrorCode.careAlreadyMember, 'This person is already a member of the network.');
  if (
    requests.some(
      (r) => r.status === 'pending' && r.expires_at > now && same(r.candidate.userId, r.candidate.email),
    )
  )
    throw new AppError(ErrorCode.conflict, 'A consent request for this person is already waiting.');
}

/** The member row for a candidate who joins now. */
export function memberFromCandidate(
  networkId: string,
  c: CareCandidate,
  now: Date,
  addedBy: string | null,
  consentRecord: MemberRow['consent_record'],
) {
  return {
    id: crypto.randomUUID(),
    network_id: networkId,
    role: c.role,
    user_id: c.userId,
    person_name: c.userId ? null : c.name,
    person_email: c.userId ? null : c.email,
    function: c.function,
    legal_basis: c.legalBasis,
    consent_record: consentRecord,
    scope: c.scope,
    ends_at: c.endsAt ? new Date(c.endsAt) : null,
    added_at: now,
    added_by: addedBy,
  };
}
