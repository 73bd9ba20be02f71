import { ErrorCode } from '@zegel/protocol/errors';
import type { Deps, RequestOrigin } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import type { AuditAction } from '../../platform/audit/index.ts';
import { findOrganisation, type OrganisationProfile } from '../accounts/index.ts';
import { type GuestCookies, hasGuestSession } from '../guest-access/index.ts';
import { type ConversationView, loadConversation } from './conversation-view.ts';
import type { ParticipantView } from './participants.ts';
import { guestRefusal } from './policy.ts';
import { selectParticipantRow } from './store.ts';

/** A guest recipient with their conversation and its organisation. */
export interface GuestContext {
  participant: ParticipantView;
  conversation: ConversationView;
  participants: ParticipantView[];
  org: OrganisationProfile;
}

/** Loads a guest recipient; unknown ids, and staff participants, are simply "not found". */
export async function loadGuest(deps: Deps, recipientId: string): Promise<GuestContext> {
  const invalid = new AppError(ErrorCode.notFound, 'This link is not valid.');
  const row = await selectParticipantRow(deps.db, recipientId);
  if (row?.kind !== 'guest') throw invalid;
  const loaded = await loadConversation(deps, row.conversation_id);
  const participant = loaded?.participants.find((p) => p.id === recipientId);
  if (!loaded || !participant) throw invalid;
  const org = await findOrganisation(deps, loaded.conversation.organisation_id);
  if (!org) throw invalid;
  return { ...loaded, participant, org };
}

/** Refuses revoked (410), expired (410) and locked (423) guests: nothing decryptable after these. */
export function requireActive(guest: GuestContext, now: Date): void {
  const refusal = guestRefusal(guest.participant, guest.conversation, now);
  if (refusal) throw refusal;
}

/** A verified guest session for this recipient, on an active message. */
export async function requireGuestSession(deps: Deps, recipientId: string, cookies: GuestCookies) {
  const guest = await loadGuest(deps, recipientId);
  const now = deps.clock.now();
  requireActive(guest, now);
  if (!(await hasGuestSession(deps, recipientId, cookies.session, now)))
    throw new AppError(ErrorCode.guestSessionRequired, 'Confirm who you are first.');
  return guest;
}

/** An audit event of the guest's own doing (the guest acts on their own behalf). */
export async function auditGuest(
  deps: Deps,
  guest: GuestContext,
  action: AuditAction,
  outcome: 'success' | 'failure',
  origin: RequestOrigin,
  details: Record<string, unknown> = {},
) {
  await deps.audit.record({
    action,
    outcome,
    organisationId: guest.conversation.organisation_id,
    actor: { userId: null, name: 'guest', role: 'guest', onBehalfOf: guest.participant.address },
    accessPoint: origin,
    subjectPerson: guest.participant.address,
    object: { type: 'conversation', id: guest.conversation.id },
    details: { participantId: guest.participant.id, ...details },
  });
}
