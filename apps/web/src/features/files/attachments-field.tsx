import { MessageLimits } from '@zegel/protocol/limits';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FileDropZone, formatBytes } from '../../ui/index.ts';

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

  return (
    <fieldset className="utrecht-form-fieldset zegel-fieldset">
      <legend className="utrecht-form-fieldset__legend">{t('messages.attachments.legend')}</legend>
      <FileDropZone
        id={id}
        description={t('messages.attachments.help', { max: maxSize, count: MessageLimits.maxAttachments })}
        chooseLabel={t('messages.attachments.choose')}
        describedBy={errors.length ? errorId : undefined}
        onFiles={add}
      />
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
