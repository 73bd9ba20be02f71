import type { RecipientInput } from '@zegel/protocol/api';
import {
  createGuestInvitation,
  fromBase64Url,
  type ItemRecipient,
  toBase64Url,
} from '@zegel/protocol/crypto';
import type { Actor, Deps, RequestOrigin } from '../../deps.ts';
import { findOrganisation, findPeopleByEmail, findTeamsByAddress } from '../accounts/index.ts';
import { lookupRecipient } from '../guest-access/index.ts';
import { findStaffHolders } from '../keys/index.ts';

/** How one recipient of a protected mail is reached, and why a held one is held. */
export type RecipientRoute =
  | { address: string; route: 'internal'; input: RecipientInput; itemRecipient: ItemRecipient }
  | {
      address: string;
      route: 'secure_link';
      input: RecipientInput;
      itemRecipient: ItemRecipient;
    }
  | { address: string; route: 'direct_dane' | 'direct_mta_sts' }
  | {
      address: string;
      route: 'held';
      reason: 'no_verification_details' | 'access_code_not_known' | 'no_keys';
    };

/** Colleagues and teams of the sender's organisation with keys, by lower-case address. */
async function internalHolders(deps: Deps, actor: Actor, addresses: string[]) {
  const [people, teams] = await Promise.all([
    findPeopleByEmail(deps, addresses),
    findTeamsByAddress(deps, actor.organisationId, addresses),
  ]);
  const ours = people.filter((p) => p.organisation_id === actor.organisationId && p.status === 'active');
  const holders = await findStaffHolders(deps, {
    userIds: ours.map((p) => p.id),
    teamIds: teams.map((t) => t.id),
  });
  const byAddress = new Map<string, { kind: 'user' | 'team'; id: string; publicKey: string | null }>();
  for (const p of ours)
    byAddress.set(p.email.toLowerCase(), {
      kind: 'user',
      id: p.id,
      publicKey: holders.get(p.id)?.publicKey ?? null,
    });
  for (const t of teams)
    if (t.mail_address)
      byAddress.set(t.mail_address.toLowerCase(), {
        kind: 'team',
        id: t.id,
        publicKey: holders.get(t.id)?.publicKey ?? null,
      });
  return byAddress;
}

/** A guest the gateway can invite itself: the remembered method needs nothing the sender must type. */
async function guestRoute(
  deps: Deps,
  actor: Actor,
  address: string,
  origin: RequestOrigin,
  allowEmailOnly: boolean,
): Promise<RecipientRoute> {
  const { entry } = await lookupRecipient(deps, actor, address, origin);
  if (!entry) return { address, route: 'held', reason: 'no_verification_details' };
  // An access code is known to the sender only: it enters the guest's key, so the gateway cannot
  // make that key; the sender completes this recipient in Zegel.
  if (entry.method === 'access_code') return { address, route: 'held', reason: 'access_code_not_known' };
  if (entry.method === 'sms' && !entry.phone)
    return { address, route: 'held', reason: 'no_verification_details' };
  if (entry.method === 'email_only' && !allowEmailOnly)
    return { address, route: 'held', reason: 'no_verification_details' };
  const recipientId = crypto.randomUUID();
  const invitation = await createGuestInvitation({ guestId: recipientId });
  return {
    address,
    route: 'secure_link',
    itemRecipient: { recipientId, publicKey: invitation.publicKey },
    input: {
      kind: 'guest',
      recipientId,
      address,
      role: 'to',
      method: entry.method,
      ...(entry.method === 'sms' && entry.phone ? { phone: entry.phone } : {}),
      serverShare: toBase64Url(invitation.serverShare),
      publicKey: toBase64Url(invitation.publicKey),
      linkSecret: toBase64Url(invitation.linkSecret),
      remember: true,
    },
  };
}

/**
 * Per recipient, the best safe way: a colleague or team of the organisation gets an internal
 * secure message; external addresses are first offered to `deliverExternal` (direct TLS delivery
 * where the domain's decision allows it); of the rest, an address whose verification the
 * organisation remembers (SMS, or e-mail only where allowed) gets a secure link; anyone else is held.
 */
export async function routeRecipients(
  deps: Deps,
  actor: Actor,
  addresses: string[],
  origin: RequestOrigin,
  deliverExternal: (
    external: string[],
  ) => Promise<{ address: string; route: 'direct_dane' | 'direct_mta_sts' }[]>,
): Promise<RecipientRoute[]> {
  const organisation = await findOrganisation(deps, actor.organisationId);
  const internal = await internalHolders(deps, actor, addresses);
  const direct = new Map(
    (await deliverExternal(addresses.filter((a) => !internal.has(a)))).map((d) => [d.address, d]),
  );
  const routes: RecipientRoute[] = [];
  for (const address of addresses) {
    const delivered = direct.get(address);
    if (delivered) {
      routes.push(delivered);
      continue;
    }
    const holder = internal.get(address);
    if (holder && holder.id === actor.userId) continue;
    if (holder) {
      routes.push(
        holder.publicKey
          ? {
              address,
              route: 'internal',
              itemRecipient: { recipientId: holder.id, publicKey: fromBase64Url(holder.publicKey) },
              input:
                holder.kind === 'user'
                  ? { kind: 'user', userId: holder.id, role: 'to' }
                  : { kind: 'team', teamId: holder.id, role: 'to' },
            }
          : { address, route: 'held', reason: 'no_keys' },
      );
      continue;
    }
    routes.push(await guestRoute(deps, actor, address, origin, organisation?.allow_email_only ?? false));
  }
  return routes;
}
