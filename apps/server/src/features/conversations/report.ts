import type { Actor, Deps, RequestOrigin } from '../../deps.ts';
import { AuditAction, auditActor } from '../../platform/audit/index.ts';
import { findOrganisation } from '../accounts/index.ts';
import { selectEvents } from './event-store.ts';
import { nameOf, presentParticipant } from './participants.ts';
import { requireManager } from './policy.ts';

/** Proof of delivery: participants with receipts and the whole event log. */
export async function getDeliveryReport(
  deps: Deps,
  actor: Actor,
  conversationId: string,
  origin: RequestOrigin,
) {
  const access = await requireManager(deps, actor, conversationId);
  const now = deps.clock.now();
  const events = await selectEvents(deps.db, [conversationId]);
  const org = await findOrganisation(deps, actor.organisationId);
  const c = access.conversation;
  const recipientName = (id: string | null) => {
    const p = access.participants.find((x) => x.id === id);
    return p ? nameOf(p) || null : null;
  };
  await deps.audit.record({
    action: AuditAction.messageReportRead,
    outcome: 'success',
    organisationId: actor.organisationId,
    actor: auditActor(actor),
    accessPoint: origin,
    object: { type: 'conversation', id: conversationId },
  });
  const downloads = events.filter((e) => e.type === 'downloaded');
  return {
    conversationId,
    generatedAt: now.toISOString(),
    organisation: org?.name ?? '',
    sender: { userId: c.sender_user_id, name: c.sender_name },
    createdAt: c.created_at.toISOString(),
    expiresAt: c.expires_at.toISOString(),
    participants: access.participants
      .filter((p) => p.role !== 'sender')
      .map((p) => presentParticipant(p, c, downloads, now)),
    events: events.map((e) => ({
      at: e.occurred_at.toISOString(),
      type: e.type,
      participantId: e.participant_id,
      recipient: recipientName(e.participant_id),
      attachmentId: e.attachment_id,
      fileId: e.file_id,
    })),
  };
}
