import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiError, toApiError } from '../../api/index.ts';
import { Button, ErrorAlert } from '../../ui/index.ts';
import type { FileManifestEntry } from '../files/index.ts';
import { AttachmentsField, FileTransfersField, UploadsWaiting, useFileUploads } from '../files/index.ts';
import type { Progress } from './content.ts';
import { ProgressStatus } from './progress-status.tsx';
import { RichTextEditor } from './rich-text-editor.tsx';
import './conversations.css';

/**
 * A reply with formatted text and attachments; `onSend` encrypts and posts it. With
 * `largeFilesFor` (a conversation id; staff only, tus needs a staff session) it also takes large
 * files, uploaded while the reply is written.
 */
export function ReplyForm({
  idPrefix,
  onSend,
  largeFilesFor,
}: {
  idPrefix: string;
  onSend: (
    bodyHtml: string,
    files: File[],
    onProgress: (progress: Progress) => void,
    largeFiles: FileManifestEntry[],
  ) => Promise<void>;
  largeFilesFor?: string;
}) {
  const { t } = useTranslation();
  const [bodyHtml, setBodyHtml] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [bodyError, setBodyError] = useState<string | undefined>();
  const [resetKey, setResetKey] = useState(0);
  const [sentCount, setSentCount] = useState(0);
  const uploads = useFileUploads(largeFilesFor ?? '');

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (uploads.pending > 0) {
      document.getElementById(`${idPrefix}-large-files-waiting`)?.focus();
      return;
    }
    const hasText = bodyHtml.replace(/<[^>]*>/g, '').trim().length > 0;
    if (!hasText && files.length === 0 && uploads.views.length === 0) {
      setBodyError(t('messages.reply.empty'));
      document.getElementById(`${idPrefix}-body`)?.focus();
      return;
    }
    setBodyError(undefined);
    setError(null);
    try {
      await onSend(
        bodyHtml,
        files,
        setProgress,
        uploads.views.map((view) => view.entry),
      );
      setBodyHtml('');
      setFiles([]);
      await uploads.clear();
      setResetKey((key) => key + 1);
      setSentCount((count) => count + 1);
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setProgress(null);
    }
  }

  return (
    <section className="zegel-section zegel-reply" aria-labelledby={`${idPrefix}-heading`}>
      <h2 className="utrecht-heading-2" id={`${idPrefix}-heading`}>
        {t('messages.reply.title')}
      </h2>
      <ErrorAlert error={error} />
      {sentCount > 0 && !progress ? <ReplySent /> : null}
      <form className="zegel-form" onSubmit={(event) => void submit(event)} noValidate>
        <ReplyBodyField idPrefix={idPrefix} error={bodyError} onChange={setBodyHtml} resetKey={resetKey} />
        <AttachmentsField
          id={`${idPrefix}-files`}
          files={files}
          onChange={setFiles}
          {...(largeFilesFor ? { onLargeFiles: uploads.add } : {})}
        />
        {largeFilesFor ? (
          <FileTransfersField
            id={`${idPrefix}-large-files`}
            views={uploads.views}
            onAdd={uploads.add}
            onRemove={uploads.remove}
            onPause={uploads.pause}
            onResume={uploads.resume}
          />
        ) : null}
        <ProgressStatus progress={progress} />
        <UploadsWaiting id={`${idPrefix}-large-files-waiting`} uploads={uploads} />
        <div className="zegel-actions">
          <Button
            type="submit"
            purpose="primary"
            isBusy={progress !== null || uploads.pending > 0}
            aria-describedby={uploads.pending > 0 ? `${idPrefix}-large-files-waiting` : undefined}
          >
            {t('messages.reply.send')}
          </Button>
        </div>
      </form>
    </section>
  );
}

/** The rich-text body with its label and error, wired for screen readers. */
function ReplyBodyField({
  idPrefix,
  error,
  onChange,
  resetKey,
}: {
  idPrefix: string;
  error: string | undefined;
  onChange: (html: string) => void;
  resetKey: number;
}) {
  const { t } = useTranslation();
  return (
    <div
      className={`utrecht-form-field utrecht-form-field--textarea${error ? ' utrecht-form-field--invalid' : ''}`}
    >
      <div className="utrecht-form-field__label">
        <span className="utrecht-form-label" id={`${idPrefix}-body-label`}>
          {t('messages.reply.body')}
        </span>
      </div>
      {error ? (
        <div className="utrecht-form-field-error-message" id={`${idPrefix}-body-error`}>
          {error}
        </div>
      ) : null}
      <RichTextEditor
        id={`${idPrefix}-body`}
        labelId={`${idPrefix}-body-label`}
        describedBy={error ? `${idPrefix}-body-error` : undefined}
        onChange={onChange}
        resetKey={resetKey}
      />
    </div>
  );
}

function ReplySent() {
  const { t } = useTranslation();
  return (
    <p className="utrecht-paragraph zegel-ok-text" role="status">
      {t('messages.reply.sent')}
    </p>
  );
}
