import type { Deps } from '../../deps.ts';
import { defineJob, jobType, stringField } from '../../platform/jobs/index.ts';
import { findPerson } from '../accounts/index.ts';
import { selectRecipients, selectSubmission } from './store.ts';

/** The "complete sending" notice of one submission; the payload names the submission only. */
export const heldNoticeJob = jobType('gateway.held_notice', (payload) => ({
  submissionId: stringField(payload, 'submissionId'),
}));

/** The notice's text: which recipients are held, and where to complete (no content of the mail). */
function noticeText(publicUrl: string, held: string[], conversationId: string | null): string {
  const lines = held.map((address) => `- ${address}`).join('\n');
  // Without a conversation (everyone else went by direct delivery) nothing of the mail is kept.
  const [nl, en] = conversationId
    ? [
        `Rond het versturen af in Zegel: ${publicUrl}/conversations/${conversationId}`,
        `Complete sending in Zegel: ${publicUrl}/conversations/${conversationId}`,
      ]
    : [
        `Verstuur het bericht aan hen opnieuw vanuit Zegel: ${publicUrl}`,
        `Send the message to them again from Zegel: ${publicUrl}`,
      ];
  return (
    `Uw beveiligde bericht is nog niet verstuurd naar:\n${lines}\n\n` +
    `Zegel weet niet hoe deze ontvangers zich moeten legitimeren (sms of toegangscode). ${nl}\n\n` +
    `Your secure message has not been sent to the recipients above yet: Zegel does not know how ` +
    `they verify (SMS or access code). ${en}\n`
  );
}

/** Mails the submitting user which recipients are held; the same Message-ID on a retry. */
async function sendHeldNotice(deps: Deps, submissionId: string): Promise<void> {
  const submission = await selectSubmission(deps.db, submissionId);
  if (!submission) return;
  const held = (await selectRecipients(deps.db, submissionId)).filter((r) => r.route === 'held');
  const person = await findPerson(deps, submission.user_id);
  if (!person || held.length === 0) return;
  const text = noticeText(
    deps.config.publicUrl,
    held.map((r) => r.address),
    submission.conversation_id,
  );
  await deps.mailer.send({
    to: person.email,
    subject: 'Versturen afronden / Complete sending',
    text,
    html: `<pre>${text.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</pre>`,
    messageId: `<gateway-held-${submissionId}@zegel>`,
  });
}

/** Registers the gateway's background work with the job queue (called by the composition root). */
export function defineGatewayJobs(deps: Deps): void {
  defineJob(deps.jobs, heldNoticeJob, { handler: ({ submissionId }) => sendHeldNotice(deps, submissionId) });
}
