import type { Deps, RequestOrigin } from '../../deps.ts';
import type { AuditAction } from '../../platform/audit/index.ts';
import { type CareActor, notAMember, viewerMember } from './policy.ts';
import { type MemberRow, type NetworkRow, selectMembers, selectNetwork } from './store.ts';

type DbDeps = Pick<Deps, 'db' | 'clock'>;

export interface NetworkAccess {
  network: NetworkRow;
  members: MemberRow[];
  me: MemberRow;
  client: MemberRow;
}

/** The network with its members and the viewer's own membership, or "not found" for anyone else. */
export async function requireMember(deps: DbDeps, who: CareActor, networkId: string): Promise<NetworkAccess> {
  const network = await selectNetwork(deps.db, networkId);
  if (!network) throw notAMember();
  const members = await selectMembers(deps.db, networkId);
  const me = viewerMember(members, who, deps.clock.now());
  const client = members.find((m) => m.role === 'client' && m.removed_at === null);
  if (!me || !client) throw notAMember();
  return { network, members, me, client };
}

/** The audit actor of a member (NEN 7513: who, in which role, acting for whom). */
export function auditMember(me: MemberRow, who: CareActor, client: MemberRow) {
  return {
    userId: who.kind === 'staff' ? who.actor.userId : null,
    name: who.kind === 'staff' ? who.actor.name : who.name,
    role: `care:${me.role}`,
    onBehalfOf: me.role === 'representative' ? `care-member:${client.id}` : null,
  };
}

/** Every care event has the client as its subject. */
export function clientSubject(client: MemberRow): string {
  return `care-member:${client.id}`;
}

/** Records a step in a network, with the client as subject and the acting member in the details. */
export async function recordCareEvent(
  deps: Pick<Deps, 'audit'>,
  access: Pick<NetworkAccess, 'network' | 'me' | 'client'>,
  who: CareActor,
  event: { action: AuditAction; object: { type: string; id: string }; origin: RequestOrigin },
) {
  await deps.audit.record({
    action: event.action,
    outcome: 'success',
    organisationId: access.network.organisation_id,
    actor: auditMember(access.me, who, access.client),
    accessPoint: event.origin,
    subjectPerson: clientSubject(access.client),
    object: event.object,
    details: { networkId: access.network.id, memberId: access.me.id },
  });
}
