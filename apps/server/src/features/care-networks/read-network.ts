import type { CareNetwork, CareNetworkList } from '@zegel/protocol/api';
import type { Deps, RequestOrigin } from '../../deps.ts';
import { AuditAction } from '../../platform/audit/index.ts';
import { findOrganisation } from '../accounts/index.ts';
import { recordCareEvent, requireMember } from './access.ts';
import { type CareActor, canSeeRequest, isActive, isLocked } from './policy.ts';
import { describeStaff, presentMember, presentRequest } from './present.ts';
import { selectNetworkIdsOf, selectRequests } from './store.ts';

/** A member reads the network: who is in it, and the requests they may see. The read is audited. */
export async function readNetwork(
  deps: Deps,
  who: CareActor,
  networkId: string,
  origin: RequestOrigin,
): Promise<CareNetwork> {
  const { network, members, me, client } = await requireMember(deps, who, networkId);
  const now = deps.clock.now();
  const requests = (await selectRequests(deps.db, networkId)).filter((r) => canSeeRequest(me, r));
  // The client first, then everyone in the order they joined.
  const active = members.filter((m) => isActive(m, now)).sort((a, b) => rank(a) - rank(b));
  // Every staff account named: members (also past ones, who may have asked) and candidates.
  const userIds = [...members.map((m) => m.user_id), ...requests.map((r) => r.candidate.userId)];
  const [staff, host] = await Promise.all([
    describeStaff(
      deps,
      userIds.flatMap((id) => (id ? [id] : [])),
    ),
    findOrganisation(deps, network.organisation_id),
  ]);
  await recordCareEvent(deps, { network, me, client }, who, {
    action: AuditAction.careNetworkRead,
    object: { type: 'care_network', id: networkId },
    origin,
  });
  return {
    id: network.id,
    name: network.name,
    hostOrganisationName: host?.name ?? '',
    createdAt: network.created_at.toISOString(),
    openUntil: network.open_until.toISOString(),
    isLocked: isLocked(network, now),
    myRole: me.role,
    members: active.map((m) => presentMember(m, staff)),
    requests: requests.map((r) => presentRequest(r, members, staff, now)),
  };
}

const rank = (m: { role: string }) => (m.role === 'client' ? 0 : 1);

/** The networks the caller is an active member of. */
export async function listNetworks(deps: Deps, who: CareActor): Promise<CareNetworkList> {
  const now = deps.clock.now();
  const rows = await selectNetworkIdsOf(
    deps.db,
    who.kind === 'staff' ? { userId: who.actor.userId } : { email: who.email.toLowerCase() },
  );
  const networks = [];
  for (const row of rows.filter((r) => r.ends_at === null || r.ends_at > now)) {
    const { network, me } = await requireMember(deps, who, row.network_id);
    networks.push({ id: network.id, name: network.name, myRole: me.role, isLocked: isLocked(network, now) });
  }
  return { networks };
}
