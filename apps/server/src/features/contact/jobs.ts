import type { Deps } from '../../deps.ts';
import { renderMail } from '../../mail-layout.ts';
import { PermanentJobError } from '../../platform/jobs/index.ts';
import { findGuestStarter, guestLink, openLinkSecret, RECIPIENT_HEADER } from '../conversations/index.ts';
import { teamWithSettings } from './settings.ts';

/** The conversation kind of a conversation started on a contact page; its owner is the team. */
export const CONTACT_KIND = 'contact';

/** The confirmation to a person who started a conversation: their guest link, once. */
export const CONFIRM_JOB = 'contact.confirm';

async function sendConfirmation(deps: Deps, payload: Record<string, unknown>) {
  const participantId = String(payload.participantId);
  const starter = await findGuestStarter(deps, participantId, CONTACT_KIND);
  if (!starter) throw new PermanentJobError('conversation gone');
  const { participant, conversation, org } = starter;
  const team = await teamWithSettings(deps, conversation.organisation_id, conversation.owner_id);
  if (!team) throw new PermanentJobError('team gone');
  const linkSecret = openLinkSecret(deps, participantId, String(payload.sealedLinkSecret));
  const link = guestLink(deps, participantId, linkSecret);
  const until = conversation.expires_at.toLocaleDateString('nl-NL', { timeZone: 'Europe/Amsterdam' });
  const paragraphs = [
    `Uw bericht aan ${team.name} van ${org.name} is veilig ontvangen.`,
    ...(team.response_time ? [`Verwachte reactietijd: ${team.response_time}.`] : []),
    ...(team.auto_reply ? [team.auto_reply] : []),
    `Met de knop hieronder leest u het gesprek en de antwoorden, tot ${until}. Bewaar deze e-mail: alleen met deze link opent u het gesprek.`,
    `English: your message to ${team.name} of ${org.name} was received securely. Use the button below to follow the conversation and read the replies; keep this e-mail, only this link opens it.`,
  ];
  const mail = renderMail({
    organisationName: org.name,
    accentColor: org.branding['color-primary'],
    heading: `Uw bericht aan ${team.name} is ontvangen`,
    paragraphs,
    action: { label: 'Gesprek openen / Open conversation', url: link },
    footer:
      'Deze e-mail bevat zelf geen vertrouwelijke inhoud. Stuurde u geen bericht? Dan kunt u deze e-mail negeren.',
  });
  await deps.mailer.send({
    to: participant.address as string,
    subject: `Ontvangen: uw bericht aan ${team.name} (${org.name})`,
    ...mail,
    headers: { [RECIPIENT_HEADER]: participant.id },
  });
}

/** Registers the contact feature's jobs with the queue (called once by createDeps). */
export function defineContactJobs(deps: Deps): void {
  deps.jobs.define(CONFIRM_JOB, { handler: (payload) => sendConfirmation(deps, payload) });
}
