import { ErrorCode } from '@zegel/protocol/errors';
import { MessageLimits } from '@zegel/protocol/limits';
import type { Actor, Deps, RequestOrigin } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { AuditAction, auditActor } from '../../platform/audit/index.ts';
import { deleteFilesOfItems } from '../files/index.ts';
import { shredGuestAccess } from '../guest-access/index.ts';
import { insertEvents } from './event-store.ts';
import { requireManager } from './policy.ts';
import {
  deleteItemKeysOfHolders,
  selectExpiredConversations,
  selectItemIds,
  selectParticipantRows,
  selectPurgedWithFiles,
  updateConversation,
} from './store.ts';

const DAY_MS = 86_400_000;

/** Moves the expiry (earlier or later) while key material still exists. */
export async function changeExpiry(
  deps: Deps,
  actor: Actor,
  conversationId: string,
  expiresAt: string,
  origin: RequestOrigin,
) {
  const { conversation } = await requireManager(deps, actor, conversationId);
  const now = deps.clock.now();
  if (conversation.purged_at || conversation.expires_at <= now)
    throw new AppError(ErrorCode.messageExpired, 'This conversation has expired; its keys are gone.');
  const next = new Date(expiresAt);
  if (
    next.getTime() <= now.getTime() ||
    next.getTime() > conversation.created_at.getTime() + MessageLimits.maxExpiryDays * DAY_MS
  )
    throw new AppError(
      ErrorCode.validationFailed,
      `The expiry must be in the future and at most ${MessageLimits.maxExpiryDays} days after sending.`,
    );
  await updateConversation(deps.db, conversationId, { expires_at: next });
  await insertEvents(deps.db, [
    { conversation_id: conversationId, participant_id: null, type: 'expiry_changed', occurred_at: now },
  ]);
  await deps.audit.record({
    action: AuditAction.messageExpiryChanged,
    outcome: 'success',
    organisationId: actor.organisationId,
    actor: auditActor(actor),
    accessPoint: origin,
    object: { type: 'conversation', id: conversationId },
    details: { expiresAt: next.toISOString() },
  });
  return { ok: true as const };
}

/** Deletes a conversation's large files (after its key material is gone); how many. */
export async function deleteConversationFiles(deps: Deps, conversationId: string): Promise<number> {
  return deleteFilesOfItems(deps, await selectItemIds(deps.db, [conversationId]));
}

/**
 * Crypto-shreds what expiry ends: guests' server shares, wrapped keys and sessions; then deletes
 * the conversation's large files (blobs, rows, quota), key material first, bytes second.
 */
export async function purgeExpiredConversations(deps: Deps): Promise<number> {
  const now = deps.clock.now();
  const expired = await selectExpiredConversations(deps.db, now);
  for (const conversation of expired) {
    await deps.db.transaction().execute(async (trx) => {
      const tx = { ...deps, db: trx };
      const guestIds = (await selectParticipantRows(trx, [conversation.id]))
        .filter((p) => p.kind === 'guest')
        .map((p) => p.id);
      await shredGuestAccess(tx, guestIds);
      await deleteItemKeysOfHolders(trx, conversation.id, guestIds);
      await updateConversation(trx, conversation.id, { purged_at: now });
      await insertEvents(
        trx,
        guestIds.map((id) => ({
          conversation_id: conversation.id,
          participant_id: id,
          type: 'expired',
          occurred_at: now,
        })),
      );
    });
    const deletedFiles = await deleteConversationFiles(deps, conversation.id);
    await updateConversation(deps.db, conversation.id, { files_deleted_at: now });
    await deps.audit.record({
      action: AuditAction.messageExpired,
      outcome: 'success',
      organisationId: conversation.organisation_id,
      source: 'zegel-jobs',
      object: { type: 'conversation', id: conversation.id },
      ...(deletedFiles ? { details: { deletedFiles } } : {}),
    });
  }
  await deleteLeftoverFiles(deps, now);
  return expired.length;
}

/** Files of purged conversations that an earlier run shredded the keys of but did not delete. */
async function deleteLeftoverFiles(deps: Deps, now: Date) {
  for (const id of await selectPurgedWithFiles(deps.db, 500)) {
    await deleteConversationFiles(deps, id);
    await updateConversation(deps.db, id, { files_deleted_at: now });
  }
}
