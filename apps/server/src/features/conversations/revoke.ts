import { ErrorCode } from '@zegel/protocol/errors';
import type { Actor, Deps, RequestOrigin } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { AuditAction, auditActor } from '../../platform/audit/index.ts';
import { shredGuestAccess } from '../guest-access/index.ts';
import { insertEvents } from './event-store.ts';
import { deleteConversationFiles } from './expiry.ts';
import { requireManager } from './policy.ts';
import { deleteItemKeysOfHolders, lockConversation, markGuestsRevoked } from './store.ts';

/**
 * Revokes guests (some, or all): their server share, wrapped keys and sessions are deleted, in
 * one transaction that holds the conversation's row lock, so an item appended at the same moment
 * is wrapped either before (and its key deleted here) or after (and not to them).
 */
export async function revokeRecipients(
  deps: Deps,
  actor: Actor,
  conversationId: string,
  participantIds: string[] | undefined,
  origin: RequestOrigin,
) {
  const access = await requireManager(deps, actor, conversationId);
  const guests = access.participants.filter((p) => p.kind === 'guest');
  const ids = participantIds ?? guests.map((g) => g.id);
  const unknown = ids.filter((id) => !guests.some((g) => g.id === id));
  if (unknown.length)
    throw new AppError(
      ErrorCode.validationFailed,
      'Only external recipients of this conversation can be revoked.',
      {
        participantIds: unknown,
      },
    );
  const now = deps.clock.now();
  const revoked = await deps.db.transaction().execute(async (trx) => {
    await lockConversation(trx, conversationId);
    const done = await markGuestsRevoked(trx, conversationId, ids, now);
    await shredGuestAccess({ db: trx }, done);
    await deleteItemKeysOfHolders(trx, conversationId, ids);
    await insertEvents(
      trx,
      done.map((id) => ({
        conversation_id: conversationId,
        participant_id: id,
        type: 'revoked',
        occurred_at: now,
      })),
    );
    return done;
  });
  // Nobody left who may read (every recipient a guest, all revoked): the files go too, now that
  // the guests' key material is gone. Staff recipients keep files until expiry.
  const stillReading = access.participants.filter(
    (p) => p.role !== 'sender' && (p.kind !== 'guest' || (!p.revoked_at && !ids.includes(p.id))),
  );
  const deletedFiles = stillReading.length === 0 ? await deleteConversationFiles(deps, conversationId) : 0;
  for (const id of revoked) {
    await deps.audit.record({
      action: AuditAction.messageRevoked,
      outcome: 'success',
      organisationId: actor.organisationId,
      actor: auditActor(actor),
      accessPoint: origin,
      subjectPerson: guests.find((g) => g.id === id)?.address ?? null,
      object: { type: 'conversation', id: conversationId },
      details: { participantId: id, ...(deletedFiles ? { deletedFiles } : {}) },
    });
  }
  return { ok: true as const };
}
