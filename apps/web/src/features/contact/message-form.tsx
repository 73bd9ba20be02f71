import type { ContactStartResponse } from '@zegel/protocol/api';
import { createGuestInvitation, encryptGuestReply, fromBase64Url, toBase64Url } from '@zegel/protocol/crypto';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiError, sendJson, toApiError } from '../../api/index.ts';
import { Alert, Button, ErrorAlert, Section, TextField } from '../../ui/index.ts';
import { encodeContent, type Progress, ProgressStatus, RichTextEditor } from '../conversations/index.ts';
import { AttachmentsField, encryptAndUploadAttachments } from '../files/index.ts';
import { guestApi } from '../guest/index.ts';

/**
 * Step two on the contact page: the message itself. Everything is encrypted here, to the team's
 * key and to a guest key made for this conversation; the link secret of that key goes to the
 * person's mailbox in the confirmation mail (and nowhere else), so the replies open with it.
 */
async function sendFirstMessage(input: {
  slug: string;
  teamId: string;
  sendToken: string;
  subject: string;
  bodyHtml: string;
  files: File[];
  onProgress: (progress: Progress) => void;
}) {
  input.onProgress({ step: 'encrypting' });
  const recipientId = crypto.randomUUID();
  const invitation = await createGuestInvitation({ guestId: recipientId });
  const opened = await sendJson<ContactStartResponse>(
    'POST',
    `/api/contact/${encodeURIComponent(input.slug)}/teams/${input.teamId}/conversations`,
    {
      sendToken: input.sendToken,
      conversationId: crypto.randomUUID(),
      recipientId,
      publicKey: toBase64Url(invitation.publicKey),
      serverShare: toBase64Url(invitation.serverShare),
    },
  );
  const client = guestApi(recipientId);
  const attachments = await encryptAndUploadAttachments(input.files, client.uploadPath, input.onProgress);
  input.onProgress({ step: 'encrypting' });
  const itemId = crypto.randomUUID();
  const encrypted = await encryptGuestReply({
    itemId,
    plaintext: encodeContent({ v: 1, subject: input.subject, bodyHtml: input.bodyHtml, attachments }),
    staffRecipients: opened.replyRecipients.map((holder) => ({
      recipientId: holder.holderId,
      publicKey: fromBase64Url(holder.publicKey),
    })),
    guest: { recipientId, publicKey: invitation.publicKey },
  });
  input.onProgress({ step: 'sending' });
  await sendJson('POST', `${client.base}/first-message`, {
    itemId,
    item: toBase64Url(encrypted.ciphertext),
    attachments: attachments.map((attachment) => ({ id: attachment.id })),
    wrappedKeys: encrypted.wrappedKeys.map((wrapped) => ({
      holderId: wrapped.recipientId,
      wrappedKey: toBase64Url(wrapped.wrappedKey),
    })),
    linkSecret: toBase64Url(invitation.linkSecret),
  });
}

export function MessageForm({
  slug,
  teamId,
  teamName,
  sendToken,
  email,
}: {
  slug: string;
  teamId: string;
  teamName: string;
  sendToken: string;
  email: string;
}) {
  const { t } = useTranslation();
  const [subject, setSubject] = useState('');
  const [bodyHtml, setBodyHtml] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [errors, setErrors] = useState<{ subject?: string; body?: string }>({});
  const [progress, setProgress] = useState<Progress | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [isSent, setIsSent] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found = {
      ...(subject.trim() ? {} : { subject: t('contact.message.subjectMissing') }),
      ...(bodyHtml.replace(/<[^>]*>/g, '').trim() ? {} : { body: t('contact.message.bodyMissing') }),
    };
    setErrors(found);
    if (found.subject || found.body) {
      document.getElementById(found.subject ? 'contact-subject' : 'contact-body')?.focus();
      return;
    }
    setError(null);
    try {
      await sendFirstMessage({
        slug,
        teamId,
        sendToken,
        subject: subject.trim(),
        bodyHtml,
        files,
        onProgress: setProgress,
      });
      setIsSent(true);
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setProgress(null);
    }
  }

  if (isSent) return <MessageSent teamName={teamName} email={email} />;

  return (
    <Section title={t('contact.message.title', { team: teamName })} id="contact-message">
      <p className="utrecht-paragraph">{t('contact.message.intro')}</p>
      <ErrorAlert error={error} />
      <form className="zegel-form" onSubmit={(event) => void submit(event)} noValidate>
        <TextField
          id="contact-subject"
          label={t('contact.message.subject')}
          value={subject}
          onChange={setSubject}
          error={errors.subject}
          maxLength={200}
        />
        <BodyField error={errors.body} onChange={setBodyHtml} />
        <AttachmentsField id="contact-files" files={files} onChange={setFiles} />
        <ProgressStatus progress={progress} />
        <div className="zegel-actions">
          <Button type="submit" purpose="primary" isBusy={progress !== null}>
            {t('contact.message.send')}
          </Button>
        </div>
      </form>
    </Section>
  );
}

function MessageSent({ teamName, email }: { teamName: string; email: string }) {
  const { t } = useTranslation();
  return (
    <Section title={t('contact.message.sentTitle')} id="contact-sent">
      <Alert type="ok" title={t('contact.message.sentTitle')}>
        <p className="utrecht-paragraph">{t('contact.message.sent', { team: teamName, email })}</p>
      </Alert>
    </Section>
  );
}

/** The formatted body, with its error tied to the editor for screen readers. */
function BodyField({ error, onChange }: { error: string | undefined; onChange: (html: string) => void }) {
  const { t } = useTranslation();
  return (
    <div
      className={`utrecht-form-field utrecht-form-field--textarea${error ? ' utrecht-form-field--invalid' : ''}`}
    >
      <div className="utrecht-form-field__label">
        <span className="utrecht-form-label" id="contact-body-label">
          {t('contact.message.body')}
        </span>
      </div>
      {error ? (
        <div className="utrecht-form-field-error-message" id="contact-body-error">
          {error}
        </div>
      ) : null}
      <RichTextEditor
        id="contact-body"
        labelId="contact-body-label"
        describedBy={error ? 'contact-body-error' : undefined}
        onChange={onChange}
        resetKey={0}
      />
    </div>
  );
}
