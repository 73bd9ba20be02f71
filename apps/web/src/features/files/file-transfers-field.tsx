import { MessageLimits } from '@zegel/protocol/limits';
import type { TFunction } from 'i18next';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FileDropZone, formatBytes } from '../../ui/index.ts';
import type { PendingUpload } from './pending-uploads.ts';
import type { UploadView } from './transfer.ts';
import './files.css';

const KNOWN_ERRORS = new Set(['file_too_large', 'message_files_too_large', 'quota_exceeded', 'network']);

/** Speed and time left of a transfer, e.g. "12,5 MB/s, nog 3 min". */
export function formatRate(
  done: number,
  total: number,
  speed: number | null,
  language: string,
  t: TFunction,
): string {
  if (speed === null || speed <= 0) return '';
  const seconds = Math.max(0, Math.round((total - done) / speed));
  const left =
    seconds < 60
      ? t('files.secondsLeft', { count: seconds })
      : seconds < 3600
        ? t('files.minutesLeft', { count: Math.ceil(seconds / 60) })
        : t('files.hoursLeft', { count: Math.round((seconds / 3600) * 10) / 10 });
  return t('files.rate', { speed: formatBytes(speed, language), left });
}

/**
 * "Bestanden versturen": large files of any size, by button or drag and drop. Each file is
 * encrypted in the browser and uploaded at once, with its own progress bar, speed, time left,
 * pause and resume; the message can be sent when all are complete.
 */
export function FileTransfersField({
  id,
  views,
  onAdd,
  onRemove,
  onPause,
  onResume,
  interrupted = [],
  onResumeWith,
  onDiscard,
}: {
  id: string;
  views: UploadView[];
  /** Uploads interrupted by a page reload, waiting for their file to be chosen again. */
  interrupted?: PendingUpload[];
  onResumeWith?: (pending: PendingUpload, file: File) => boolean;
  onDiscard?: (pending: PendingUpload) => void;
  onAdd: (files: File[]) => void;
  onRemove: (localId: string) => void;
  onPause: (localId: string) => void;
  onResume: (localId: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const [refused, setRefused] = useState<string[]>([]);
  const [mismatch, setMismatch] = useState<string | null>(null);

  function add(files: File[]) {
    const room = Math.max(0, MessageLimits.maxFiles - views.length);
    setRefused(
      files.slice(room).map((file) => t('files.tooMany', { name: file.name, max: MessageLimits.maxFiles })),
    );
    onAdd(files.slice(0, room));
  }
  const statusId = useId();

  const done = views.filter((view) => view.status === 'done').length;
  return (
    <fieldset className="utrecht-form-fieldset zegel-fieldset" aria-describedby={`${id}-description`}>
      <legend className="utrecht-form-fieldset__legend">{t('files.legend')}</legend>
      <FileDropZone id={id} description={t('files.help')} chooseLabel={t('files.choose')} onFiles={add} />
      {refused.length > 0 ? (
        <div className="utrecht-form-field-error-message" role="alert">
          {refused.map((text) => (
            <p key={text} className="utrecht-paragraph">
              {text}
            </p>
          ))}
        </div>
      ) : null}
      <p className="utrecht-paragraph zegel-visually-hidden" role="status" aria-live="polite" id={statusId}>
        {views.length > 0 ? t('files.summary', { done, count: views.length }) : ''}
      </p>
      {interrupted.length > 0 ? (
        <div className="zegel-interrupted">
          <p className="utrecht-paragraph">{t('files.interrupted')}</p>
          {mismatch ? (
            <p className="utrecht-form-field-error-message" role="alert">
              {mismatch}
            </p>
          ) : null}
          <ul className="zegel-file-list">
            {interrupted.map((pending) => {
              const name = pending.entry.name;
              const inputId = `${id}-resume-${pending.entry.id}`;
              return (
                <li key={pending.entry.id} className="zegel-file-list__item">
                  <span className="zegel-file-list__name">{name}</span>
                  <span className="zegel-file-list__size">
                    {formatBytes(pending.entry.size, i18n.language)}
                  </span>
                  <label className="utrecht-form-label zegel-file-label" htmlFor={inputId}>
                    {t('files.chooseAgain', { name })}
                  </label>
                  <input
                    id={inputId}
                    type="file"
                    className="zegel-file-input"
                    onChange={(event) => {
                      const file = event.target.files?.[0];
                      event.target.value = '';
                      if (!file || !onResumeWith) return;
                      setMismatch(onResumeWith(pending, file) ? null : t('files.notSameFile', { name }));
                    }}
                  />
                  <button
                    type="button"
                    className="utrecht-button utrecht-button--subtle"
                    aria-label={t('files.remove', { name })}
                    onClick={() => onDiscard?.(pending)}
                  >
                    {t('files.removeShort')}
                  </button>
                </li>
              );
            })}
          </ul>
        </div>
      ) : null}
      {views.length > 0 ? (
        <ul className="zegel-file-list zegel-transfers">
          {views.map((view) => {
            const name = view.entry.name;
            const progressId = `${id}-${view.localId}-progress`;
            return (
              <li key={view.localId} className="zegel-file-list__item zegel-transfer">
                <span className="zegel-file-list__name">{name}</span>
                <span className="zegel-file-list__size">{formatBytes(view.entry.size, i18n.language)}</span>
                <progress
                  id={progressId}
                  className="zegel-transfer__bar"
                  max={view.total}
                  value={view.sent}
                  aria-label={t('files.progressOf', { name })}
                />
                <span className="zegel-transfer__state" data-status={view.status}>
                  {t(`files.status.${view.status}`, {
                    percent: Math.floor((view.sent / view.total) * 100),
                    reason: t(
                      `files.uploadErrors.${KNOWN_ERRORS.has(view.errorCode ?? '') ? view.errorCode : 'other'}`,
                    ),
                  })}{' '}
                  {view.status === 'uploading'
                    ? formatRate(view.sent, view.total, view.speed, i18n.language, t)
                    : ''}
                </span>
                <span className="zegel-transfer__actions">
                  {view.status === 'uploading' || view.status === 'retrying' ? (
                    <button
                      type="button"
                      className="utrecht-button utrecht-button--secondary-action"
                      aria-label={t('files.pause', { name })}
                      onClick={() => onPause(view.localId)}
                    >
                      {t('files.pauseShort')}
                    </button>
                  ) : null}
                  {view.status === 'paused' || view.status === 'failed' ? (
                    <button
                      type="button"
                      className="utrecht-button utrecht-button--secondary-action"
                      aria-label={t('files.resume', { name })}
                      onClick={() => onResume(view.localId)}
                    >
                      {t('files.resumeShort')}
                    </button>
                  ) : null}
                  <button
                    type="button"
                    className="utrecht-button utrecht-button--subtle"
                    aria-label={t('files.remove', { name })}
                    onClick={() => onRemove(view.localId)}
                  >
                    {t('files.removeShort')}
                  </button>
                </span>
              </li>
            );
          })}
        </ul>
      ) : null}
    </fieldset>
  );
}

/**
 * Why a message cannot be sent yet: uploads still running, or one that failed. The id is focused
 * when the sender presses send too early.
 */
export function UploadsWaiting({
  id,
  uploads,
}: {
  id: string;
  uploads: { views: UploadView[]; pending: number; failed: number };
}) {
  const { t } = useTranslation();
  if (uploads.pending === 0) return null;
  return (
    <p className="utrecht-paragraph zegel-warning-text" id={id} tabIndex={-1}>
      {uploads.failed > 0
        ? t('files.uploadFailed')
        : t('files.waiting', { done: uploads.views.length - uploads.pending, count: uploads.views.length })}
    </p>
  );
}
