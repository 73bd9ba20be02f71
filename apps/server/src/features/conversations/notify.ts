import { MailRejectedError } from '../../adapters/mailer.ts';
import type { Deps } from '../../deps.ts';
import { renderMail } from '../../mail-layout.ts';
import { AuditAction } from '../../platform/audit/index.ts';
import { enqueueJob, type JobRun, PermanentJobError } from '../../platform/jobs/index.ts';
import { findOrganisation, findPeople, membersOfTeams, type OrganisationProfile } from '../accounts/index.ts';
import { type ConversationView, loadConversation } from './conversation-view.ts';
import { insertEvents } from './event-store.ts';
import { type notifyRecipientJob, notifySenderJob, type SenderNotice } from './job-types.ts';
import { guestLink, openLinkSecret, RECIPIENT_HEADER } from './link-secret.ts';
import { loadParticipant, nameOf, type ParticipantView } from './participants.ts';
import { updateParticipant } from './store.ts';

/** What the conversation core asks the features built on it (wired once at boot). */
export interface ConversationHooks {
  /** Where a team's notifications go instead of to every member (null: to the members). */
  teamNotifyAddress(teamId: string): Promise<string | null>;
}

type NotifyPayload = ReturnType<typeof notifyRecipientJob.read>;
type Mail = { to: string[]; subject: string; html: string; text: string };

async function loadFor(deps: Deps, participantId: string) {
  const participant = await loadParticipant(deps, participantId);
  if (!participant) throw new PermanentJobError('participant gone');
  const loaded = await loadConversation(deps, participant.conversation_id);
  if (!loaded) throw new PermanentJobError('conversation gone');
  const org = await findOrganisation(deps, loaded.conversation.organisation_id);
  if (!org) throw new PermanentJobError('organisation gone');
  return { participant, ...loaded, org };
}

function footerOf(org: OrganisationProfile) {
  return `U ontvangt deze e-mail omdat ${org.name} u een beveiligd bericht stuurde via Zegel. Deze e-mail bevat zelf geen vertrouwelijke inhoud.`;
}

function guestMail(
  deps: Deps,
  participant: ParticipantView,
  conversation: ConversationView,
  org: OrganisationProfile,
  sealed: string | undefined,
): Mail {
  // A conversation a guest started hears back from the team the person wrote to.
  const from = conversation.staff_name;
  const secret = sealed ? openLinkSecret(deps, participant.id, sealed) : undefined;
  const until = conversation.expires_at.toLocaleDateString('nl-NL', { timeZone: 'Europe/Amsterdam' });
  return {
    to: [participant.address as string],
    subject: `Beveiligd bericht van ${from} (${org.name})`,
    ...renderMail({
      organisationName: org.name,
      accentColor: org.branding['color-primary'],
      heading: `U heeft een beveiligd bericht van ${org.name}`,
      paragraphs: [
        `${from} van ${org.name} heeft u een beveiligd bericht gestuurd. Open het bericht via de knop hieronder; daarna bevestigt u wie u bent.`,
        sealed
          ? `Het bericht is te lezen tot ${until}.`
          : 'Er is een nieuw bericht in het gesprek. Open het via de link uit de eerste e-mail over dit gesprek.',
        `English: ${from} of ${org.name} sent you a secure message. Open it with the button below and confirm who you are.`,
      ],
      ...(sealed
        ? { action: { label: 'Bericht openen / Open message', url: guestLink(deps, participant.id, secret) } }
        : {}),
      footer: footerOf(org),
    }),
  };
}

async function staffMail(
  deps: Deps,
  hooks: ConversationHooks,
  participant: ParticipantView,
  conversation: ConversationView,
  org: OrganisationProfile,
): Promise<Mail> {
  const teamId = participant.kind === 'team' ? (participant.team_id as string) : null;
  // A team can have its notifications sent to its own address instead of to every member.
  const teamAddress = teamId ? await hooks.teamNotifyAddress(teamId) : null;
  const userIds = teamId
    ? teamAddress
      ? []
      : ((await membersOfTeams(deps, [teamId])).get(teamId) ?? [])
    : [participant.user_id as string];
  const people = (await findPeople(deps, userIds)).filter((u) => u.status === 'active');
  const where = teamId ? ` voor team ${nameOf(participant)}` : '';
  return {
    to: teamAddress ? [teamAddress] : people.map((u) => u.email),
    subject: `Nieuw bericht${where} in Zegel`,
    ...renderMail({
      organisationName: org.name,
      accentColor: org.branding['color-primary'],
      heading: `Nieuw beveiligd bericht${where}`,
      paragraphs: [
        `Er staat een nieuw bericht van ${conversation.sender_name} voor u klaar in Zegel.`,
        'English: a new secure message is waiting for you in Zegel.',
      ],
      action: {
        label: 'Openen in Zegel / Open in Zegel',
        url: `${deps.config.publicUrl}/conversations/${conversation.id}`,
      },
      footer: footerOf(org),
    }),
  };
}

/** One Message-ID per mail of a job run, the same on every retry (receivers can drop a repeat). */
function messageIdOf(deps: Deps, jobId: string, index: number): string {
  return `<${jobId}.${index}@${new URL(deps.config.publicUrl).hostname}>`;
}

/**
 * Mails one staff or guest recipient that a conversation has something for them; no content.
 * Once the relay took the mail the job says so (`markHandedOff`), so a retry after a crash
 * records the receipt without mailing again.
 */
export async function notifyRecipient(
  deps: Deps,
  hooks: ConversationHooks,
  payload: NotifyPayload,
  job: JobRun,
) {
  const { participant, conversation, org } = await loadFor(deps, payload.participantId);
  const now = deps.clock.now();
  if (participant.revoked_at || conversation.expires_at <= now) return;
  if (!job.handedOffAt) {
    const mail =
      participant.kind === 'guest'
        ? guestMail(deps, participant, conversation, org, payload.sealedLinkSecret)
        : await staffMail(deps, hooks, participant, conversation, org);
    try {
      const { to, ...content } = mail;
      for (const [index, address] of to.entries())
        await deps.mailer.send({
          to: address,
          ...content,
          headers: { [RECIPIENT_HEADER]: participant.id },
          messageId: messageIdOf(deps, job.id, index),
        });
    } catch (error) {
      if (!(error instanceof MailRejectedError)) throw error;
      await markBounced(
        deps,
        participant,
        conversation,
        `rejected by the mail server (${error.responseCode})`,
      );
      return;
    }
    await job.markHandedOff();
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

/** A recipient's notification could not be delivered: recorded, audited, and the sender told. */
export async function markBounced(
  deps: Deps,
  participant: Pick<ParticipantView, 'id' | 'address'>,
  conversation: Pick<ConversationView, 'id' | 'organisation_id'>,
  reason: string,
) {
  const now = deps.clock.now();
  await updateParticipant(deps.db, participant.id, { bounced_at: now, bounce_reason: reason });
  await insertEvents(deps.db, [
    { conversation_id: conversation.id, participant_id: participant.id, type: 'bounced', occurred_at: now },
  ]);
  await deps.audit.record({
    action: AuditAction.messageBounced,
    outcome: 'failure',
    organisationId: conversation.organisation_id,
    source: 'zegel-jobs',
    subjectPerson: participant.address ?? participant.id,
    object: { type: 'conversation', id: conversation.id },
    details: { participantId: participant.id, reason },
  });
  await enqueueJob(deps.jobs, notifySenderJob, { participantId: participant.id, notice: 'bounced' });
}

function noticeText(notice: SenderNotice, who: string) {
  const notices: Record<SenderNotice, { heading: string; text: string }> = {
    bounced: {
      heading: 'Een bericht kon niet worden bezorgd',
      text: `De melding aan ${who} is niet bezorgd: de mailserver weigerde het adres.`,
    },
    locked: {
      heading: 'Een ontvanger is tijdelijk geblokkeerd',
      text: `Voor ${who} is vijf keer een verkeerde code ingevoerd. Het bericht is voor deze ontvanger tijdelijk geblokkeerd; de wachttijd loopt vanzelf af. U kunt de ontvanger in het verzonden bericht direct ontgrendelen.`,
    },
    no_code: {
      heading: 'Een ontvanger heeft geen code',
      text: `${who} laat weten de code niet te hebben. Neem contact op via een ander kanaal.`,
    },
    replied: { heading: 'Nieuw antwoord', text: `${who} heeft geantwoord op uw beveiligde bericht.` },
  };
  return notices[notice];
}

/** Tells the sender about a recipient: a bounce, a lock, "no code", a reply. */
export async function notifySender(
  deps: Deps,
  payload: { participantId: string; notice: SenderNotice },
  enqueueNotify: (participantId: string) => Promise<unknown>,
) {
  const { participant, conversation, participants, org } = await loadFor(deps, payload.participantId);
  if (!conversation.sender_user_id) {
    // A guest started it (a contact page): no staff sender, so the team it was addressed to hears of it.
    for (const team of participants.filter((p) => p.kind === 'team')) await enqueueNotify(team.id);
    return;
  }
  const notice = noticeText(payload.notice, nameOf(participant) || 'een ontvanger');
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
