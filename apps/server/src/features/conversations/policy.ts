import { ErrorCode } from '@zegel/protocol/errors';
import type { Actor, Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { teamIdsOfUser } from '../accounts/index.ts';
import { type ConversationView, loadConversation } from './conversation-view.ts';
import { type ParticipantView, participantState } from './participants.ts';

/**
 * Who may do what with a conversation — the rulebook. Services call these; routes only declare
 * who may call them at all (signed in, admin, public).
 */

/** Staff may read a conversation of their organisation they take part in, themselves or through a team. */
export function canRead(actor: Actor, conversation: ConversationView, viewer: ParticipantView[]): boolean {
  return conversation.organisation_id === actor.organisationId && viewer.length > 0;
}

/** Only the staff member who sent it may revoke, change the expiry or see the proof of delivery. */
export function canManage(actor: Actor, conversation: ConversationView): boolean {
  return conversation.sender_user_id === actor.userId;
}

/** A staff member may write in a conversation they can read, until it expires. */
export function canWrite(conversation: ConversationView, now: Date): boolean {
  return conversation.expires_at > now;
}

/** Bcc recipients are the sender's business only. */
export function canSeeParticipant(actor: Actor, isManager: boolean, p: ParticipantView): boolean {
  return isManager || p.role !== 'bcc' || p.user_id === actor.userId;
}

/** A guest may read while not revoked, not expired and no lock is running. */
export function guestRefusal(p: ParticipantView, conversation: ConversationView, now: Date): AppError | null {
  const state = participantState(p, conversation, now);
  if (state === 'revoked')
    return new AppError(ErrorCode.messageRevoked, 'The sender has withdrawn this message.');
  if (state === 'expired') return new AppError(ErrorCode.messageExpired, 'This message has expired.');
  if (state === 'locked' && p.guest?.lockedUntil) return lockedError(p.guest.lockedUntil, now);
  return null;
}

/** 423 while a lock runs, with when it ends (`details.lockedUntil`, `details.retryAfterSeconds`). */
export function lockedError(lockedUntil: Date, now: Date): AppError {
  return new AppError(ErrorCode.messageLocked, 'Too many wrong codes: wait a while and try again.', {
    lockedUntil: lockedUntil.toISOString(),
    retryAfterSeconds: Math.max(1, Math.ceil((lockedUntil.getTime() - now.getTime()) / 1000)),
  });
}

/** Who the viewer is in a conversation: sender, a direct recipient, a member of a recipient team. */
export interface StaffAccess {
  conversation: ConversationView;
  participants: ParticipantView[];
  isSender: boolean;
  holderIds: string[];
  /** The participant rows that stand for the viewer (their own, or their teams'). */
  viewerParticipants: ParticipantView[];
}

/** The viewer's access, or "not found" (never "exists but not yours"). */
export async function requireStaffAccess(
  deps: Deps,
  actor: Actor,
  conversationId: string,
): Promise<StaffAccess> {
  const loaded = await loadConversation(deps, conversationId);
  const notFound = new AppError(ErrorCode.notFound, 'No such conversation.');
  if (!loaded) throw notFound;
  const teamIds = await teamIdsOfUser(deps, actor.userId);
  const viewerParticipants = loaded.participants.filter(
    (p) => p.user_id === actor.userId || (p.team_id && teamIds.includes(p.team_id)),
  );
  if (!canRead(actor, loaded.conversation, viewerParticipants)) throw notFound;
  return {
    ...loaded,
    isSender: canManage(actor, loaded.conversation),
    holderIds: [actor.userId, ...teamIds],
    viewerParticipants,
  };
}

export async function requireManager(deps: Deps, actor: Actor, conversationId: string): Promise<StaffAccess> {
  const access = await requireStaffAccess(deps, actor, conversationId);
  if (!access.isSender)
    throw new AppError(ErrorCode.forbidden, 'Only the sender can change this conversation.');
  return access;
}
