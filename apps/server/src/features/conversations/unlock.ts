import { ErrorCode } from '@zegel/protocol/errors';
import type { Actor, Deps, RequestOrigin } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { AuditAction, auditActor } from '../../platform/audit/index.ts';
import { unlockGuest } from '../guest-access/index.ts';
import { insertEvents } from './event-store.ts';
import { requireManager } from './policy.ts';

/**
 * The sender ends a guest's lock after wrong codes (e.g. after a phone call with the real guest):
 * the wait ends and the count and earlier locks are forgotten. Only the sender may (like revoke).
 */
export async function unlockRecipient(
  deps: Deps,
  actor: Actor,
  conversationId: string,
  participantId: string,
  origin: RequestOrigin,
) {
  const access = await requireManager(deps, actor, conversationId);
  const guest = access.participants.find((p) => p.id === participantId && p.kind === 'guest');
  if (!guest) throw new AppError(ErrorCode.notFound, 'This conversation has no such external recipient.');
  if (guest.revoked_at) throw new AppError(ErrorCode.messageRevoked, 'This recipient has been revoked.');
  await unlockGuest(deps, participantId);
  const now = deps.clock.now();
  await insertEvents(deps.db, [
    { conversation_id: conversationId, participant_id: participantId, type: 'unlocked', occurred_at: now },
  ]);
  await deps.audit.record({
    action: AuditAction.guestUnlocked,
    outcome: 'success',
    organisationId: actor.organisationId,
    actor: auditActor(actor),
    accessPoint: origin,
    subjectPerson: guest.address,
    object: { type: 'conversation', id: conversationId },
    details: { participantId },
  });
  return { ok: true as const };
}
