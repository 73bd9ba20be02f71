import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { type ApiError, api, toApiError } from '../../api/index.ts';
import { Alert, Button, ErrorAlert, Page, TextField } from '../../ui/index.ts';

/** Asks for a reset link. The answer is the same whether or not the address is known. */
export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>(undefined);
  const [error, setError] = useState<ApiError | null>(null);
  const [isSent, setIsSent] = useState(false);
  const [isBusy, setIsBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!/^[^\s@]+@[^\s@]+$/.test(email.trim())) {
      setFieldError(t('auth.errors.emailInvalid'));
      document.getElementById('forgot-email')?.focus();
      return;
    }
    setFieldError(undefined);
    setIsBusy(true);
    setError(null);
    try {
      await api.post('/api/auth/password-reset/request', { email: email.trim() });
      setIsSent(true);
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setIsBusy(false);
    }
  }

  return (
    <Page title={t('forgot.title')}>
      <p className="utrecht-paragraph utrecht-paragraph--lead">{t('forgot.intro')}</p>
      <Alert type="warning">{t('forgot.warning')}</Alert>
      <ErrorAlert error={error} />
      {isSent ? (
        <Alert type="ok">{t('forgot.sent')}</Alert>
      ) : (
        <form className="zegel-form" onSubmit={(event) => void submit(event)} noValidate>
          <TextField
            id="forgot-email"
            label={t('auth.fields.email')}
            type="email"
            autoComplete="username"
            value={email}
            onChange={setEmail}
            error={fieldError}
          />
          <div className="zegel-actions">
            <Button type="submit" purpose="primary" isBusy={isBusy}>
              {t('forgot.submit')}
            </Button>
          </div>
        </form>
      )}
      <p className="utrecht-paragraph">
        <Link className="utrecht-link" to="/sign-in">
          {t('forgot.back')}
        </Link>
      </p>
    </Page>
  );
}
