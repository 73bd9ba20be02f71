import type { DlpPolicyResponse, MessageSettings, RecipientRole } from '@zegel/protocol/api';
import { MessageLimits } from '@zegel/protocol/limits';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/index.ts';
import { Button, ErrorAlert, Loading, Page, TextField, useLoad } from '../../ui/index.ts';
import { ProgressStatus, RichTextEditor } from '../conversations/index.ts';
import { DlpFindings, useDlpCheck } from '../dlp/index.ts';
import { AttachmentsField, FileTransfersField, UploadsWaiting, useFileUploads } from '../files/index.ts';
import type { UnlockedKeys } from '../keys/index.ts';
import { KeysGate } from '../keys/index.ts';
import { type GuestRecipient, useExpiry, useRecipients } from './compose-draft.ts';
import { useSendDraft } from './compose-send.ts';
import { GuestVerification } from './guest-verification.tsx';
import { RecipientIssuesAlert } from './recipient-issues-alert.tsx';
import { RecipientsField } from './recipients-field.tsx';
import type { ComposeRecipient, RecipientIssue } from './send-message.ts';
import './messages.css';

const loadSettings = () => api.get<MessageSettings>('/api/message-settings');
const loadDlpPolicy = () => api.get<DlpPolicyResponse>('/api/dlp/policy');

/** "Nieuw bericht": recipients with their verification, subject, formatted body, attachments, expiry. */
export function ComposePage() {
  return <KeysGate>{(keys) => <Composer keys={keys} />}</KeysGate>;
}

function Composer({ keys }: { keys: UnlockedKeys }) {
  const settings = useLoad(loadSettings);
  if (!settings.data) return settings.error ? <ErrorAlert error={settings.error} /> : <Loading />;
  return <ComposeForm keys={keys} settings={settings.data} />;
}

/** The draft's state and its way out: checks, leak prevention, encryption and sending. */
function ComposeForm({ keys, settings }: { keys: UnlockedKeys; settings: MessageSettings }) {
  const { t } = useTranslation();
  const { recipients, add, remove, update } = useRecipients();
  const [subject, setSubject] = useState('');
  const [bodyHtml, setBodyHtml] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  // Large files upload while the message is written; their uploads name this conversation.
  const [conversationId] = useState(() => crypto.randomUUID());
  const uploads = useFileUploads(conversationId, keys.userId);
  const expiry = useExpiry(settings.defaultExpiryDays);
  const dlpPolicy = useLoad(loadDlpPolicy);
  const dlp = useDlpCheck({ policy: dlpPolicy.data, subject, bodyHtml, files, recipients });
  const { submit, issues, fieldErrors, error, progress, dlpStop } = useSendDraft({
    keys,
    settings,
    draft: { recipients, subject, bodyHtml, files, conversationId },
    expiry,
    uploads,
    finalCheck: dlp.finalCheck,
  });

  const guests = recipients.filter((r): r is GuestRecipient => r.kind === 'guest');
  return (
    <Page title={t('messages.compose.title')} wide>
      <p className="utrecht-paragraph utrecht-paragraph--lead">{t('messages.compose.intro')}</p>
      <ErrorAlert error={error} />
      <RecipientIssuesAlert issues={issues} recipients={recipients} />
      <form className="zegel-form zegel-compose" onSubmit={(event) => void submit(event)} noValidate>
        <RecipientFields
          recipients={recipients}
          onAdd={add}
          onRemove={remove}
          toError={fieldErrors.to}
          allowEmailOnly={settings.allowEmailOnly}
          issues={issues}
          onGuestChange={update}
        />
        <TextField
          id="compose-subject"
          label={t('messages.compose.subject')}
          value={subject}
          maxLength={MessageLimits.maxSubjectLength}
          onChange={setSubject}
          error={fieldErrors.subject}
          description={t('messages.compose.subjectHelp')}
        />
        <BodyField onChange={setBodyHtml} />
        <AttachmentsField id="compose-files" files={files} onChange={setFiles} onLargeFiles={uploads.add} />
        <FileTransfersField
          id="compose-large-files"
          views={uploads.views}
          onAdd={uploads.add}
          onRemove={uploads.remove}
          onPause={uploads.pause}
          onResume={uploads.resume}
          interrupted={uploads.interrupted}
          onResumeWith={uploads.resumeWith}
          onDiscard={uploads.discard}
        />
        <TextField
          id="compose-expiry"
          type="date"
          label={t('messages.compose.expiry')}
          description={t('messages.compose.expiryHelp', { days: settings.defaultExpiryDays })}
          value={expiry.expiry}
          min={expiry.minDate}
          max={expiry.maxDate}
          onChange={expiry.setExpiryDate}
          error={fieldErrors.expiry}
        />
        <DlpFindings
          check={dlp.check}
          stop={dlpStop}
          emailOnlyGuests={guests.filter((g) => g.method === 'email_only')}
          onSendAnyway={() => void submit(null, true)}
          onMakeSecure={(key) => update(key, { method: 'sms' })}
          isBusy={progress !== null}
        />
        <ProgressStatus progress={progress} />
        <UploadsWaiting id="compose-files-waiting" uploads={uploads} />
        <div className="zegel-actions">
          <Button
            type="submit"
            purpose="primary"
            isBusy={progress !== null || uploads.pending > 0}
            aria-describedby={uploads.pending > 0 ? 'compose-files-waiting' : undefined}
          >
            {t('messages.compose.send')}
          </Button>
        </div>
      </form>
    </Page>
  );
}

/** To, Cc and Bcc, then the verification of every guest among them. */
function RecipientFields({
  recipients,
  onAdd,
  onRemove,
  toError,
  allowEmailOnly,
  issues,
  onGuestChange,
}: {
  recipients: ComposeRecipient[];
  onAdd: (recipient: ComposeRecipient) => void;
  onRemove: (key: string) => void;
  toError: string | undefined;
  allowEmailOnly: boolean;
  issues: RecipientIssue[];
  onGuestChange: (key: string, change: Partial<GuestRecipient>) => void;
}) {
  const { t } = useTranslation();
  const roleFields: [RecipientRole, string][] = [
    ['to', t('messages.compose.to')],
    ['cc', t('messages.compose.cc')],
    ['bcc', t('messages.compose.bcc')],
  ];
  const guests = recipients.filter((r): r is GuestRecipient => r.kind === 'guest');
  return (
    <>
      {roleFields.map(([role, label]) => (
        <RecipientsField
          key={role}
          role={role}
          label={label}
          recipients={recipients.filter((r) => r.role === role)}
          onAdd={onAdd}
          onRemove={onRemove}
          error={role === 'to' ? toError : undefined}
        />
      ))}
      {guests.map((guest) => (
        <GuestVerification
          key={guest.key}
          guest={guest}
          allowEmailOnly={allowEmailOnly}
          problems={issues.filter((issue) => issue.recipientKey === guest.key)}
          onChange={(change) => onGuestChange(guest.key, change)}
        />
      ))}
    </>
  );
}

function BodyField({ onChange }: { onChange: (html: string) => void }) {
  const { t } = useTranslation();
  return (
    <div className="utrecht-form-field utrecht-form-field--textarea">
      <div className="utrecht-form-field__label">
        <span className="utrecht-form-label" id="compose-body-label">
          {t('messages.compose.body')}
        </span>
      </div>
      <RichTextEditor id="compose-body" labelId="compose-body-label" onChange={onChange} />
    </div>
  );
}
