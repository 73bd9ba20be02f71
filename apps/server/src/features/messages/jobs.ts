import { MailRejectedError } from '../../adapters/mailer.ts';
import type { Deps } from '../../deps.ts';
import { renderMail } from '../../mail-layout.ts';
import { AuditAction } from '../../platform/audit/index.ts';
import { PermanentJobError } from '../../platform/jobs/index.ts';
import { deleteConversationFiles, deleteLeftoverFilesOfPurgedConversations } from './message-files.ts';
import {
  deleteGuestAccess,
  deleteItemKeysOfHolders,
  insertEvents,
  selectConversation,
  selectExpiredConversations,
  selectMessageSettings,
  selectParticipant,
  selectParticipants,
  selectTeamMemberIds,
  selectTeamNotifyAddress,
  selectUsersByIds,
  shredGuestShares,
  updateConversation,
  updateParticipant,
} from './store.ts';
import { purgeStaleUploads } from './uploads.ts';

export const NOTIFY_JOB = 'message.notify';
export const NOTIFY_SENDER_JOB = 'message.notify-sender';
export const MAINTENANCE_JOB = 'message.maintenance';
const MAINTENANCE_INTERVAL_MS = 15 * 60_000;

const LINK_PURPOSE = 'zegel/guest-link-secret/v1';
/** Names the recipient in every notification mail, so a bounce report (DSN) can be matched to it. */
export const RECIPIENT_HEADER = 'X-Zegel-Recipient';

/**
 * The link secret rides in the delivery job only until the mail has left: sealed with the
 * server secret (a database dump alone does not hold it), bound to the recipient, and erased
 * with the job's payload when the job finishes (docs/security.md, "Messages and guests").
 */
export function sealLinkSecret(deps: Deps, participantId: string, linkSecret: string): string {
  return deps.secretBox.seal(linkSecret, `${LINK_PURPOSE}:${participantId}`);
}

export function openLinkSecret(deps: Deps, participantId: string, sealed: string): string {
  return deps.secretBox.open(sealed, `${LINK_PURPOSE}:${participantId}`);
}

export type SenderNotice = 'bounced' | 'locked' | 'no_code' | 'replied';

/** Mails one staff or guest recipient that a conversation has something for them; no content. */
async function notifyRecipient(deps: Deps, payload: Record<string, unknown>) {
  const participantId = String(payload.participantId);
  const participant = await selectParticipant(deps.db, participantId);
  if (!participant) throw new PermanentJobError('participant gone');
  const conversation = await selectConversation(deps.db, participant.conversation_id);
  if (!conversation) throw new PermanentJobError('conversation gone');
  const org = await selectMessageSettings(deps.db, conversation.organisation_id);
  if (!org) throw new PermanentJobError('organisation gone');
  const now = deps.clock.now();
  if (participant.revoked_at || conversation.expires_at <= now) return;
  const accent = org.branding['color-primary'];
  const footer = `U ontvangt deze e-mail omdat ${org.name} u een beveiligd bericht stuurde via Zegel. Deze e-mail bevat zelf geen vertrouwelijke inhoud.`;

  let recipients: string[];
  let mail: { html: string; text: string };
  let subject: string;
  if (participant.kind === 'guest') {
    // A contact conversation's replies come from the team the person wrote to.
    const from = conversation.contact_team_name ?? conversation.sender_name;
    const sealed = typeof payload.sealedLinkSecret === 'string' ? payload.sealedLinkSecret : undefined;
    const link = `${deps.config.publicUrl}/g/${participant.id}${sealed ? `#${openLinkSecret(deps, participant.id, sealed)}` : ''}`;
    subject = `Beveiligd bericht van ${from} (${org.name})`;
    recipients = [participant.address as string];
    mail = renderMail({
      organisationName: org.name,
      accentColor: accent,
      heading: `U heeft een beveiligd bericht van ${org.name}`,
      paragraphs: [
        `${from} van ${org.name} heeft u een beveiligd bericht gestuurd. Open het bericht via de knop hieronder; daarna bevestigt u wie u bent.`,
        sealed
          ? `Het bericht is te lezen tot ${conversation.expires_at.toLocaleDateString('nl-NL', { timeZone: 'Europe/Amsterdam' })}.`
          : 'Er is een nieuw bericht in het gesprek. Open het via de link uit de eerste e-mail over dit gesprek.',
        `English: ${from} of ${org.name} sent you a secure message. Open it with the button below and confirm who you are.`,
      ],
      ...(sealed ? { action: { label: 'Bericht openen / Open message', url: link } } : {}),
      footer,
    });
  } else {
    const teamAddress =
      participant.kind === 'team'
        ? await selectTeamNotifyAddress(deps.db, participant.team_id as string)
        : null;
    const userIds =
      participant.kind === 'user'
        ? [participant.user_id as string]
        : teamAddress
          ? []
          : await selectTeamMemberIds(deps.db, participant.team_id as string);
    const users = (await selectUsersByIds(deps.db, userIds)).filter((u) => u.status === 'active');
    // A team can have its notifications sent to its own address instead of to every member.
    recipients = teamAddress ? [teamAddress] : users.map((u) => u.email);
    const where = participant.kind === 'team' ? ` voor team ${participant.team_name}` : '';
    subject = `Nieuw bericht${where} in Zegel`;
    mail = renderMail({
      organisationName: org.name,
      accentColor: accent,
      heading: `Nieuw beveiligd bericht${where}`,
      paragraphs: [
        `Er staat een nieuw bericht van ${conversation.sender_name} voor u klaar in Zegel.`,
        'English: a new secure message is waiting for you in Zegel.',
      ],
      action: {
        label: 'Openen in Zegel / Open in Zegel',
        url: `${deps.config.publicUrl}/conversations/${conversation.id}`,
      },
      footer,
    });
  }

  try {
    for (const to of recipients)
      await deps.mailer.send({ to, subject, ...mail, headers: { [RECIPIENT_HEADER]: participant.id } });
  } catch (error) {
    if (error instanceof MailRejectedError) {
      await markBounced(
        deps,
        participant.id,
        conversation.id,
        conversation.organisation_id,
        `rejected by the mail server (${error.responseCode})`,
        participant.address ?? participant.id,
      );
      return;
    }
    throw error;
  }
  if (!participant.delivered_at) await updateParticipant(deps.db, participant.id, { delivered_at: now });
  await insertEvents(deps.db, [
    { conversation_id: conversation.id, participant_id: participant.id, type: 'delivered', occurred_at: now },
  ]);
  await deps.audit.record({
    action: AuditAction.messageNotified,
    outcome: 'success',
    organisationId: conversation.organisation_id,
    source: 'zegel-jobs',
    subjectPerson: participant.address ?? participant.user_id ?? participant.team_id,
    object: { type: 'conversation', id: conversation.id },
    details: { participantId: participant.id },
  });
}

export async function markBounced(
  deps: Deps,
  participantId: string,
  conversationId: string,
  organisationId: string,
  reason: string,
  subject: string,
) {
  const now = deps.clock.now();
  await updateParticipant(deps.db, participantId, { bounced_at: now, bounce_reason: reason });
  await insertEvents(deps.db, [
    { conversation_id: conversationId, participant_id: participantId, type: 'bounced', occurred_at: now },
  ]);
  await deps.audit.record({
    action: AuditAction.messageBounced,
    outcome: 'failure',
    organisationId,
    source: 'zegel-jobs',
    subjectPerson: subject,
    object: { type: 'conversation', id: conversationId },
    details: { participantId, reason },
  });
  await deps.jobs.enqueue(NOTIFY_SENDER_JOB, { participantId, notice: 'bounced' });
}

/** Tells the sender about a recipient: a bounce, a lock, "no code", a reply. */
async function notifySender(deps: Deps, payload: Record<string, unknown>) {
  const participant = await selectParticipant(deps.db, String(payload.participantId));
  if (!participant) throw new PermanentJobError('participant gone');
  const conversation = await selectConversation(deps.db, participant.conversation_id);
  if (!conversation) throw new PermanentJobError('conversation gone');
  const org = await selectMessageSettings(deps.db, conversation.organisation_id);
  if (!org) throw new PermanentJobError('organisation gone');
  if (!conversation.sender_user_id) {
    // Started on a contact page: no staff sender, so the team it was addressed to hears of it.
    for (const team of (await selectParticipants(deps.db, [conversation.id])).filter(
      (p) => p.kind === 'team',
    ))
      await deps.jobs.enqueue(NOTIFY_JOB, { participantId: team.id });
    return;
  }
  const who = participant.address ?? participant.user_name ?? participant.team_name ?? 'een ontvanger';
  const notices: Record<SenderNotice, { heading: string; text: string }> = {
    bounced: {
      heading: 'Een bericht kon niet worden bezorgd',
      text: `De melding aan ${who} is niet bezorgd: de mailserver weigerde het adres.`,
    },
    locked: {
      heading: 'Een ontvanger is geblokkeerd',
      text: `${who} heeft vijf keer een verkeerde code ingevoerd. Het bericht is voor deze ontvanger geblokkeerd.`,
    },
    no_code: {
      heading: 'Een ontvanger heeft geen code',
      text: `${who} laat weten de code niet te hebben. Neem contact op via een ander kanaal.`,
    },
    replied: { heading: 'Nieuw antwoord', text: `${who} heeft geantwoord op uw beveiligde bericht.` },
  };
  const notice = notices[payload.notice as SenderNotice] ?? notices.replied;
  const mail = renderMail({
    organisationName: org.name,
    accentColor: org.branding['color-primary'],
    heading: notice.heading,
    paragraphs: [notice.text, 'Bekijk het gesprek in Zegel voor de details.'],
    action: {
      label: 'Gesprek openen / Open conversation',
      url: `${deps.config.publicUrl}/conversations/${conversation.id}`,
    },
    footer: 'Deze melding bevat geen inhoud van het bericht.',
  });
  await deps.mailer.send({
    to: conversation.sender_email as string,
    subject: `Zegel: ${notice.heading}`,
    ...mail,
  });
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
      const guestIds = await shredGuestShares(trx, conversation.id);
      await deleteItemKeysOfHolders(trx, conversation.id, guestIds);
      await deleteGuestAccess(trx, guestIds);
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
    await deps.audit.record({
      action: AuditAction.messageExpired,
      outcome: 'success',
      organisationId: conversation.organisation_id,
      source: 'zegel-jobs',
      object: { type: 'conversation', id: conversation.id },
      ...(deletedFiles ? { details: { deletedFiles } } : {}),
    });
  }
  // A run that failed between shredding and deleting left files of purged conversations.
  await deleteLeftoverFilesOfPurgedConversations(deps);
  return expired.length;
}

/** Registers the messages feature's jobs with the queue (called once by createDeps). */
export function defineMessageJobs(deps: Deps): void {
  deps.jobs.define(NOTIFY_JOB, {
    handler: (payload) => notifyRecipient(deps, payload),
    async onFailure(payload) {
      const participant = await selectParticipant(deps.db, String(payload.participantId));
      if (!participant || participant.bounced_at) return;
      const conversation = await selectConversation(deps.db, participant.conversation_id);
      if (!conversation) return;
      await markBounced(
        deps,
        participant.id,
        conversation.id,
        conversation.organisation_id,
        'not delivered after retries',
        participant.address ?? participant.id,
      );
    },
  });
  deps.jobs.define(NOTIFY_SENDER_JOB, { handler: (payload) => notifySender(deps, payload) });
  deps.jobs.define(MAINTENANCE_JOB, {
    async handler() {
      await purgeExpiredConversations(deps);
      await purgeStaleUploads(deps);
      await deps.jobs.enqueue(
        MAINTENANCE_JOB,
        {},
        { runAt: new Date(deps.clock.now().getTime() + MAINTENANCE_INTERVAL_MS) },
      );
    },
  });
}

/** Makes sure one maintenance job is scheduled (each server start; duplicates are harmless). */
export async function scheduleMessageMaintenance(deps: Deps): Promise<void> {
  await deps.jobs.ensureScheduled(MAINTENANCE_JOB);
}
