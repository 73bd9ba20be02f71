import { MessageLimits } from '@zegel/protocol/limits';
import { type DragEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatBytes } from './content.ts';

/**
 * Files by button or drag and drop; too many is refused at once, with the reason. Too large is
 * refused too, unless `onLargeFiles` takes such files (to send them as large files instead).
 */
export function AttachmentsField({
  id,
  files,
  onChange,
  onLargeFiles,
}: {
  id: string;
  files: File[];
  onChange: (files: File[]) => void;
  onLargeFiles?: (files: File[]) => void;
}) {
  const { t, i18n } = useTranslation();
  const [errors, setErrors] = useState<string[]>([]);
  const [isOver, setIsOver] = useState(false);
  const errorId = useId();
  const maxSize = formatBytes(MessageLimits.maxAttachmentPlaintextBytes, i18n.language);

  function add(incoming: File[]) {
    const next = [...files];
    const problems: string[] = [];
    const large: File[] = [];
    for (const file of incoming) {
      if (file.size > MessageLimits.maxAttachmentPlaintextBytes && onLargeFiles) large.push(file);
      else if (file.size > MessageLimits.maxAttachmentPlaintextBytes)
        problems.push(t('messages.attachments.tooLarge', { name: file.name, max: maxSize }));
      else if (next.length >= MessageLimits.maxAttachments)
        problems.push(
          t('messages.attachments.tooMany', { name: file.name, max: MessageLimits.maxAttachments }),
        );
      else next.push(file);
    }
    setErrors(problems);
    onChange(next);
    if (large.length > 0) onLargeFiles?.(large);
  }

  function onDrop(event: DragEvent<HTMLDivElement>) {
    event.preventDefault();
    setIsOver(false);
    add([...event.dataTransfer.files]);
  }

  return (
    <fieldset className="utrecht-form-fieldset zegel-fieldset">
      <legend className="utrecht-form-fieldset__legend">{t('messages.attachments.legend')}</legend>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: dropping is a mouse shortcut; the file input below is the keyboard path. */}
      <div
        className={`zegel-dropzone${isOver ? ' zegel-dropzone--over' : ''}`}
        onDragOver={(event) => {
          event.preventDefault();
          setIsOver(true);
        }}
        onDragLeave={() => setIsOver(false)}
        onDrop={onDrop}
      >
        <p className="utrecht-paragraph" id={`${id}-description`}>
          {t('messages.attachments.help', { max: maxSize, count: MessageLimits.maxAttachments })}
        </p>
        <label className="utrecht-form-label zegel-file-label" htmlFor={id}>
          {t('messages.attachments.choose')}
        </label>
        <input
          id={id}
          type="file"
          multiple
          className="zegel-file-input"
          aria-describedby={`${id}-description${errors.length ? ` ${errorId}` : ''}`}
          onChange={(event) => {
            add([...(event.target.files ?? [])]);
            event.target.value = '';
          }}
        />
      </div>
      {errors.length > 0 ? (
        <div className="utrecht-form-field-error-message" id={errorId} role="alert">
          {errors.map((error) => (
            <p key={error} className="utrecht-paragraph">
              {error}
            </p>
          ))}
        </div>
      ) : null}
      {files.length > 0 ? (
        <ul className="zegel-file-list">
          {files.map((file, index) => (
            <li key={`${file.name}-${file.size}-${file.lastModified}`} className="zegel-file-list__item">
              <span className="zegel-file-list__name">{file.name}</span>
              <span className="zegel-file-list__size">{formatBytes(file.size, i18n.language)}</span>
              <button
                type="button"
                className="utrecht-button utrecht-button--subtle"
                onClick={() => onChange(files.filter((_, at) => at !== index))}
                aria-label={t('messages.attachments.remove', { name: file.name })}
              >
                {t('messages.attachments.removeShort')}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </fieldset>
  );
}
