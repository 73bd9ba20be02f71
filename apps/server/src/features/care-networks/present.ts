import type { CareConsentRequest, CareMember } from '@zegel/protocol/api';
import type { Deps } from '../../deps.ts';
import { findOrganisation, findPeople } from '../accounts/index.ts';
import type { MemberRow, RequestRow } from './store.ts';

type DbDeps = Pick<Deps, 'db'>;

/** Staff names and organisation names for a set of account ids, one look-up per owner. */
export async function describeStaff(deps: DbDeps, userIds: readonly string[]) {
  const people = await findPeople(deps, userIds);
  const orgIds = [...new Set(people.map((p) => p.organisation_id))];
  const orgs = await Promise.all(orgIds.map((id) => findOrganisation(deps, id)));
  const orgName = new Map(orgs.flatMap((o) => (o ? [[o.id, o.name] as const] : [])));
  return new Map(
    people.map((p) => [p.id, { name: p.name, organisationName: orgName.get(p.organisation_id) ?? null }]),
  );
}

export type StaffNames = Awaited<ReturnType<typeof describeStaff>>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function presentMember(m: MemberRow, staff: StaffNames): CareMember {
  const person = m.user_id ? staff.get(m.user_id) : undefined;
  return {
    id: m.id,
    role: m.role,
    name: person?.name ?? m.person_name ?? '',
    kind: m.user_id ? 'staff' : 'person',
    organisationName: person?.organisationName ?? null,
    function: m.function,
    legalBasis: m.legal_basis,
    scope: m.scope,
    endsAt: iso(m.ends_at),
    addedAt: m.added_at.toISOString(),
  };
}

export function presentRequest(
  r: RequestRow,
  members: MemberRow[],
  staff: StaffNames,
  now: Date,
): CareConsentRequest {
  const requester = members.find((m) => m.id === r.requested_by);
  const candidateStaff = r.candidate.userId ? staff.get(r.candidate.userId) : undefined;
  return {
    id: r.id,
    status: r.status === 'pending' && r.expires_at <= now ? 'expired' : r.status,
    requestedBy: requester ? presentMember(requester, staff).name : '',
    candidate: {
      role: r.candidate.role,
      name: candidateStaff?.name ?? r.candidate.name ?? '',
      organisationName: candidateStaff?.organisationName ?? null,
      function: r.candidate.function,
      legalBasis: r.candidate.legalBasis === 'client' ? 'toestemming' : r.candidate.legalBasis,
    },
    reason: r.reason,
    createdAt: r.created_at.toISOString(),
    expiresAt: r.expires_at.toISOString(),
    decidedAt: iso(r.decided_at),
  };
}
