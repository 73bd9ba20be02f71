/**
 * Care networks around a client (issue 15, docs/care-networks.md): members with roles and legal
 * basis, the open week and the lock, consent requests the client or a representative decides,
 * and removal at any time — every step audited with the client as subject.
 */

export { addMember } from './add-member.ts';
export { createNetwork } from './create-network.ts';
export { decideConsentRequest } from './decide-request.ts';
export type { CareActor } from './policy.ts';
export { listNetworks, readNetwork } from './read-network.ts';
export { removeMember } from './remove-member.ts';
export { registerCareNetworkRoutes } from './routes.ts';
