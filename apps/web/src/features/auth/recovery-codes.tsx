import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, CheckboxField } from '../../ui/index.ts';

/**
 * Shows fresh recovery codes once. The server keeps only their hashes, so the person must
 * confirm they saved them before moving on.
 */
export function RecoveryCodes({ codes, onDone }: { codes: readonly string[]; onDone: () => void }) {
  const { t } = useTranslation();
  const [isSaved, setIsSaved] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!isSaved) {
      setError(t('recoveryCodes.confirmRequired'));
      document.getElementById('recovery-codes-saved')?.focus();
      return;
    }
    onDone();
  }

  return (
    <div className="zegel-recovery-codes">
      <p className="utrecht-paragraph">{t('recoveryCodes.intro')}</p>
      <ol className="zegel-code-list" aria-label={t('recoveryCodes.listLabel')}>
        {codes.map((code) => (
          <li key={code}>
            <code className="utrecht-code">{code}</code>
          </li>
        ))}
      </ol>
      <form className="zegel-form" onSubmit={submit} noValidate>
        <CheckboxField
          id="recovery-codes-saved"
          label={t('recoveryCodes.saved')}
          checked={isSaved}
          onChange={setIsSaved}
          error={error}
        />
        <div className="zegel-actions">
          <Button type="submit" purpose="primary">
            {t('recoveryCodes.continue')}
          </Button>
        </div>
      </form>
    </div>
  );
}
