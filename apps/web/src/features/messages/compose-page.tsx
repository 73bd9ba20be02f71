import type {
  DlpPolicyResponse,
  MessageSettings,
  RecipientRole,
  VerificationMethod,
} from '@zegel/protocol/api';
import { MessageLimits } from '@zegel/protocol/limits';
import { type FormEvent, useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { type ApiError, api, toApiError } from '../../api/index.ts';
import {
  Alert,
  Button,
  CheckboxField,
  ErrorAlert,
  Loading,
  Page,
  TextField,
  useLoad,
} from '../../ui/index.ts';
import type { Progress } from '../conversations/index.ts';
import { ProgressStatus, RichTextEditor } from '../conversations/index.ts';
import { DlpFindings, type DlpStop, toDlpEvent, useDlpCheck } from '../dlp/index.ts';
import { AttachmentsField, FileTransfersField, UploadsWaiting, useFileUploads } from '../files/index.ts';
import type { UnlockedKeys } from '../keys/index.ts';
import { KeysGate } from '../keys/index.ts';
import { findRecipientIssues } from './recipient-issues.ts';
import { RecipientsField, recipientName } from './recipients-field.tsx';
import {
  type ComposeRecipient,
  type RecipientIssue,
  RecipientsIncompleteError,
  sendMessage,
} from './send-message.ts';
import './messages.css';

const loadSettings = () => api.get<MessageSettings>('/api/message-settings');
const loadDlpPolicy = () => api.get<DlpPolicyResponse>('/api/dlp/policy');
const focusDlp = () => setTimeout(() => document.getElementById('compose-dlp')?.focus());

/** "Nieuw bericht": recipients with their verification, subject, formatted body, attachments, expiry. */
export function ComposePage() {
  return <KeysGate>{(keys) => <Composer keys={keys} />}</KeysGate>;
}

function toDateInput(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function Composer({ keys }: { keys: UnlockedKeys }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const settings = useLoad(loadSettings);
  const [recipients, setRecipients] = useState<ComposeRecipient[]>([]);
  const [subject, setSubject] = useState('');
  const [bodyHtml, setBodyHtml] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  // Large files upload while the message is written; their uploads name this conversation.
  const [conversationId] = useState(() => crypto.randomUUID());
  const uploads = useFileUploads(conversationId, keys.userId);
  const [expiryDate, setExpiryDate] = useState<string | null>(null);
  const [issues, setIssues] = useState<RecipientIssue[]>([]);
  const [fieldErrors, setFieldErrors] = useState<{ to?: string; subject?: string; expiry?: string }>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const dlpPolicy = useLoad(loadDlpPolicy);
  const [dlpStop, setDlpStop] = useState<DlpStop>('none');
  const dlp = useDlpCheck({ policy: dlpPolicy.data, subject, bodyHtml, files, recipients });
  // biome-ignore lint/correctness/useExhaustiveDependencies: any change to the draft is checked (and asked about) afresh.
  useEffect(() => setDlpStop('none'), [subject, bodyHtml, files, recipients]);

  const defaultExpiry = useMemo(() => {
    const days = settings.data?.defaultExpiryDays ?? MessageLimits.defaultExpiryDays;
    return toDateInput(new Date(Date.now() + days * 86_400_000));
  }, [settings.data]);
  const expiry = expiryDate ?? defaultExpiry;
  const minDate = toDateInput(new Date(Date.now() + 86_400_000));
  const maxDate = toDateInput(new Date(Date.now() + MessageLimits.maxExpiryDays * 86_400_000));

  const add = useCallback((recipient: ComposeRecipient) => {
    setRecipients((current) =>
      current.some((r) => r.key === recipient.key) ? current : [...current, recipient],
    );
  }, []);
  const remove = useCallback(
    (key: string) => setRecipients((current) => current.filter((r) => r.key !== key)),
    [],
  );
  const update = (key: string, change: Partial<Extract<ComposeRecipient, { kind: 'guest' }>>) =>
    setRecipients((current) =>
      current.map((r) => (r.key === key && r.kind === 'guest' ? { ...r, ...change } : r)),
    );

  if (!settings.data) return settings.error ? <ErrorAlert error={settings.error} /> : <Loading />;
  const allowEmailOnly = settings.data.allowEmailOnly;

  async function submit(event: FormEvent | null, isOverride = false) {
    event?.preventDefault();
    if (uploads.pending > 0) {
      document.getElementById('compose-files-waiting')?.focus();
      return;
    }
    const errors: typeof fieldErrors = {};
    if (recipients.length === 0) errors.to = t('messages.compose.errors.noRecipients');
    if (!subject.trim()) errors.subject = t('messages.compose.errors.subjectMissing');
    const expiresAt = new Date(`${expiry}T23:59:00`);
    if (Number.isNaN(expiresAt.getTime()) || expiry < minDate || expiry > maxDate)
      errors.expiry = t('messages.compose.errors.expiryInvalid', { max: MessageLimits.maxExpiryDays });
    const found = findRecipientIssues(recipients, allowEmailOnly, t);
    setFieldErrors(errors);
    setIssues(found);
    setError(null);
    if (errors.to || errors.subject || errors.expiry || found.length > 0) {
      document
        .getElementById(
          found.length > 0
            ? 'compose-issues'
            : errors.to
              ? 'compose-to'
              : errors.subject
                ? 'compose-subject'
                : 'compose-expiry',
        )
        ?.focus();
      return;
    }
    // Leak prevention on what is on screen now (docs/dlp.md): block stops, suggest/warn ask.
    const check = await dlp.finalCheck();
    if (check?.verdict.isBlocked) {
      setDlpStop('blocked');
      const report = toDlpEvent(check, recipients, 'blocked');
      if (report) void api.post('/api/dlp/overrides', report).catch(() => undefined);
      focusDlp();
      return;
    }
    if (check && (check.verdict.shown.length > 0 || check.isTextUnscanned)) {
      if (!isOverride) {
        setDlpStop('confirm');
        focusDlp();
        return;
      }
      const report = toDlpEvent(check, recipients, 'overridden');
      try {
        // Recorded before anything leaves the browser.
        if (report) await api.post('/api/dlp/overrides', report);
      } catch (caught) {
        setError(toApiError(caught));
        return;
      }
    }
    setDlpStop('none');
    try {
      const sent = await sendMessage(
        {
          recipients,
          subject: subject.trim(),
          bodyHtml,
          files,
          largeFiles: uploads.views.map((view) => view.entry),
          conversationId,
          expiresAt: expiresAt.toISOString(),
        },
        keys,
        setProgress,
      );
      const audited =
        check && !(isOverride && check.verdict.shown.length > 0)
          ? toDlpEvent(check, recipients, 'audited', sent.conversationId)
          : null;
      if (audited) await api.post('/api/dlp/overrides', audited).catch(() => undefined);
      await uploads.clear();
      void navigate(`/conversations/${sent.conversationId}`, { state: { justSent: true } });
    } catch (caught) {
      setProgress(null);
      if (caught instanceof RecipientsIncompleteError) {
        setIssues(caught.issues);
        setTimeout(() => document.getElementById('compose-issues')?.focus());
      } else setError(toApiError(caught));
    }
  }

  const guests = recipients.filter(
    (r): r is Extract<ComposeRecipient, { kind: 'guest' }> => r.kind === 'guest',
  );
  const roleFields: [RecipientRole, string][] = [
    ['to', t('messages.compose.to')],
    ['cc', t('messages.compose.cc')],
    ['bcc', t('messages.compose.bcc')],
  ];
  const issuesOf = (key: string) => issues.filter((issue) => issue.recipientKey === key);

  return (
    <Page title={t('messages.compose.title')} wide>
      <p className="utrecht-paragraph utrecht-paragraph--lead">{t('messages.compose.intro')}</p>
      <ErrorAlert error={error} />
      {issues.length > 0 ? (
        <div id="compose-issues" tabIndex={-1} className="zegel-issues">
          <Alert type="error" title={t('messages.compose.issuesTitle')}>
            <p className="utrecht-paragraph">{t('messages.compose.nothingSent')}</p>
            <ul className="utrecht-unordered-list">
              {issues.map((issue, index) => {
                const recipient = recipients.find((r) => r.key === issue.recipientKey);
                return (
                  // biome-ignore lint/suspicious/noArrayIndexKey: problems have no identity of their own.
                  <li key={index} className="utrecht-unordered-list__item">
                    {recipient ? <strong>{recipientName(recipient)}: </strong> : null}
                    {t(`messages.compose.problems.${issue.field}.${issue.problem}`, {
                      defaultValue: issue.message,
                    })}
                  </li>
                );
              })}
            </ul>
          </Alert>
        </div>
      ) : null}
      <form className="zegel-form zegel-compose" onSubmit={(event) => void submit(event)} noValidate>
        {roleFields.map(([role, label]) => (
          <RecipientsField
            key={role}
            role={role}
            label={label}
            recipients={recipients.filter((r) => r.role === role)}
            onAdd={add}
            onRemove={remove}
            error={role === 'to' ? fieldErrors.to : undefined}
          />
        ))}
        {guests.map((guest) => (
          <GuestVerification
            key={guest.key}
            guest={guest}
            allowEmailOnly={allowEmailOnly}
            problems={issuesOf(guest.key)}
            onChange={(change) => update(guest.key, change)}
          />
        ))}
        <TextField
          id="compose-subject"
          label={t('messages.compose.subject')}
          value={subject}
          maxLength={MessageLimits.maxSubjectLength}
          onChange={setSubject}
          error={fieldErrors.subject}
          description={t('messages.compose.subjectHelp')}
        />
        <div className="utrecht-form-field utrecht-form-field--textarea">
          <div className="utrecht-form-field__label">
            <span className="utrecht-form-label" id="compose-body-label">
              {t('messages.compose.body')}
            </span>
          </div>
          <RichTextEditor id="compose-body" labelId="compose-body-label" onChange={setBodyHtml} />
        </div>
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
          description={t('messages.compose.expiryHelp', { days: settings.data.defaultExpiryDays })}
          value={expiry}
          min={minDate}
          max={maxDate}
          onChange={setExpiryDate}
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

function GuestVerification({
  guest,
  allowEmailOnly,
  problems,
  onChange,
}: {
  guest: Extract<ComposeRecipient, { kind: 'guest' }>;
  allowEmailOnly: boolean;
  problems: RecipientIssue[];
  onChange: (change: Partial<Extract<ComposeRecipient, { kind: 'guest' }>>) => void;
}) {
  const { t } = useTranslation();
  const base = `verify-${guest.address.replace(/[^a-zA-Z0-9]+/g, '-')}`;
  const problemFor = (field: RecipientIssue['field']) => {
    const problem = problems.find((p) => p.field === field);
    return problem
      ? t(`messages.compose.problems.${problem.field}.${problem.problem}`, { defaultValue: problem.message })
      : undefined;
  };
  const methods: VerificationMethod[] = allowEmailOnly
    ? ['sms', 'access_code', 'email_only']
    : ['sms', 'access_code'];
  const methodError = problemFor('method') ?? problemFor('recipient') ?? problemFor('address');
  return (
    <fieldset
      className="utrecht-form-fieldset zegel-fieldset zegel-guest-verification"
      aria-describedby={methodError ? `${base}-error` : undefined}
    >
      <legend className="utrecht-form-fieldset__legend">
        {t('messages.compose.verificationFor', { address: guest.address })}
      </legend>
      {methodError ? (
        <p className="utrecht-form-field-error-message" id={`${base}-error`}>
          {methodError}
        </p>
      ) : null}
      <div className="zegel-radio-group" role="radiogroup" aria-label={t('messages.compose.method')}>
        {methods.map((method) => (
          <div key={method} className="utrecht-form-field utrecht-form-field--radio zegel-radio-row">
            <input
              type="radio"
              className="utrecht-radio-button utrecht-radio-button--html-input"
              id={`${base}-${method}`}
              name={`${base}-method`}
              checked={guest.method === method}
              onChange={() => onChange({ method })}
            />
            <label className="utrecht-form-label utrecht-form-label--radio" htmlFor={`${base}-${method}`}>
              {t(`messages.methods.${method}`)}
            </label>
          </div>
        ))}
      </div>
      {guest.method === 'sms' ? (
        <TextField
          id={`${base}-phone`}
          type="tel"
          autoComplete="off"
          label={t('messages.compose.phone')}
          description={t('messages.compose.phoneHelp')}
          value={guest.phone}
          onChange={(phone) => onChange({ phone })}
          error={problemFor('phone')}
        />
      ) : null}
      {guest.method === 'access_code' ? (
        <>
          <TextField
            id={`${base}-code`}
            autoComplete="off"
            label={t('messages.compose.accessCode')}
            description={t('messages.compose.accessCodeHelp')}
            value={guest.accessCode}
            onChange={(accessCode) => onChange({ accessCode })}
            error={problemFor('accessCode')}
          />
          <TextField
            id={`${base}-hint`}
            autoComplete="off"
            label={t('messages.compose.accessCodeHint')}
            description={t('messages.compose.accessCodeHintHelp')}
            maxLength={MessageLimits.maxAccessCodeHintLength}
            value={guest.accessCodeHint}
            onChange={(accessCodeHint) => onChange({ accessCodeHint })}
          />
        </>
      ) : null}
      {guest.method === 'email_only' ? (
        <p className="utrecht-paragraph zegel-warning-text">{t('messages.compose.emailOnlyWarning')}</p>
      ) : null}
      <CheckboxField
        id={`${base}-remember`}
        label={t('messages.compose.remember')}
        checked={guest.remember}
        onChange={(remember) => onChange({ remember })}
      />
    </fieldset>
  );
}
