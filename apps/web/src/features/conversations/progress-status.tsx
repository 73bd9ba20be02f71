import { useTranslation } from 'react-i18next';
import type { Progress } from './content.ts';
import './conversations.css';

/** A polite live region that says what is happening while a message is encrypted and uploaded. */
export function ProgressStatus({ progress }: { progress: Progress | null }) {
  const { t } = useTranslation();
  let text = '';
  if (progress?.step === 'encrypting') text = t('messages.progress.encrypting');
  if (progress?.step === 'uploading')
    text = t('messages.progress.uploading', {
      index: progress.index,
      count: progress.count,
      name: progress.name,
    });
  if (progress?.step === 'sending') text = t('messages.progress.sending');
  return (
    <p className="utrecht-paragraph zegel-progress" role="status" aria-live="polite">
      {progress ? <span className="zegel-spinner" aria-hidden="true" /> : null}
      {text}
    </p>
  );
}
