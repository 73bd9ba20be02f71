import { startAuthentication } from '@simplewebauthn/browser';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { type ApiError, api, toApiError, useSession } from '../../api/index.ts';
import { Button, ErrorAlert, Page, TextField } from '../../ui/index.ts';
import { TrustDeviceField } from './trust-device-field.tsx';

/** The code from the authenticator app (or a recovery code), with "trust this browser". */
export function SecondFactorPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { refreshMe, signOut } = useSession();
  const [code, setCode] = useState('');
  const [trustDevice, setTrustDevice] = useState(false);
  const [fieldError, setFieldError] = useState<string | undefined>(undefined);
  const [error, setError] = useState<ApiError | null>(null);
  const [isBusy, setIsBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const cleaned = code.replace(/\s+/g, '');
    if (!/^(\d{6}|[A-Za-z0-9-]{12,14})$/.test(cleaned)) {
      setFieldError(t('auth.errors.codeFormat'));
      document.getElementById('second-factor-code')?.focus();
      return;
    }
    setFieldError(undefined);
    setIsBusy(true);
    setError(null);
    try {
      await api.post('/api/auth/second-factor', { code: cleaned, trustDevice });
      await refreshMe();
      void navigate('/account');
    } catch (caught) {
      const apiError = toApiError(caught);
      setError(apiError);
      setCode('');
      if (apiError.code === 'second_factor_invalid') setFieldError(t('auth.errors.codeWrong'));
      setIsBusy(false);
      // A wrong code or a lost step may have ended the half-signed-in session.
      if (apiError.status === 401 && apiError.code !== 'second_factor_invalid') await refreshMe();
    }
  }

  async function signInWithPasskey() {
    setIsBusy(true);
    setError(null);
    try {
      const optionsJSON =
        await api.post<Parameters<typeof startAuthentication>[0]['optionsJSON']>('/api/auth/passkey/options');
      const credential = await startAuthentication({ optionsJSON });
      await api.post('/api/auth/passkey', { credential });
      await refreshMe();
      void navigate('/account');
    } catch (caught) {
      setError(toApiError(caught));
      setIsBusy(false);
    }
  }

  return (
    <Page title={t('auth.secondFactor.title')}>
      <p className="utrecht-paragraph utrecht-paragraph--lead">{t('auth.secondFactor.intro')}</p>
      <ErrorAlert error={error} />
      <form className="zegel-form" onSubmit={(event) => void submit(event)} noValidate>
        <TextField
          id="second-factor-code"
          label={t('auth.fields.code')}
          description={t('auth.secondFactor.codeDescription')}
          inputMode="numeric"
          autoComplete="one-time-code"
          value={code}
          onChange={setCode}
          error={fieldError}
          className="zegel-code-input"
        />
        <TrustDeviceField id="second-factor-trust" checked={trustDevice} onChange={setTrustDevice} />
        <div className="zegel-actions">
          <Button type="submit" purpose="primary" isBusy={isBusy}>
            {t('auth.secondFactor.submit')}
          </Button>
          <Button
            purpose="subtle"
            onClick={() => {
              void signOut().then(() => navigate('/sign-in'));
            }}
          >
            {t('common.cancel')}
          </Button>
        </div>
      </form>
      <p className="utrecht-paragraph">{t('auth.secondFactor.passkeyIntro')}</p>
      <div className="zegel-actions">
        <Button onClick={() => void signInWithPasskey()} isBusy={isBusy}>
          {t('auth.secondFactor.passkey')}
        </Button>
      </div>
    </Page>
  );
}
