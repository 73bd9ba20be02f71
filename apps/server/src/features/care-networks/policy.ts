import { ErrorCode } from '@zegel/protocol/errors';
import type { Actor } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import type { MemberRow, RequestRow } from './store.ts';

/**
 * Who may do what in a care network — the rulebook. Services call these after loading the
 * network; a viewer who is not an active member learns only "no such network".
 */

/** A caller: a staff account (any organisation), or a person with a personal account. */
export type CareActor = { kind: 'staff'; actor: Actor } | { kind: 'person'; email: string; name: string };

/** A member counts while not removed and, for a representative, before their end date. */
export function isActive(member: Pick<MemberRow, 'removed_at' | 'ends_at'>, now: Date): boolean {
  return member.removed_at === null && (member.ends_at === null || member.ends_at > now);
}

/** The viewer's own active membership, if any. */
export function viewerMember(members: MemberRow[], who: CareActor, now: Date): MemberRow | undefined {
  return members.find(
    (m) =>
      isActive(m, now) &&
      (who.kind === 'staff' ? m.user_id === who.actor.userId : m.person_email === who.email.toLowerCase()),
  );
}

/** Only the coordinator adds members (at once in the open week, by a consent request after it). */
export function canAddMembers(me: MemberRow): boolean {
  return me.role === 'coordinator';
}

/** The client decides who is in their network; a representative acts for them. */
export function actsForClient(me: MemberRow): boolean {
  return me.role === 'client' || me.role === 'representative';
}

/** Consent requests are seen by the client's side, the coordinator and whoever asked. */
export function canSeeRequest(me: MemberRow, request: RequestRow): boolean {
  return actsForClient(me) || me.role === 'coordinator' || request.requested_by === me.id;
}

/** The open week: members added before `openUntil` join at once. */
export function isLocked(network: { open_until: Date }, now: Date): boolean {
  return now >= network.open_until;
}

export const notAMember = () => new AppError(ErrorCode.notFound, 'No such care network.');

export function requireRole(allowed: boolean, message: string): void {
  if (!allowed) throw new AppError(ErrorCode.forbidden, message);
}
