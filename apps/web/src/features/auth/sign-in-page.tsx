import type { PreLoginResponse } from '@zegel/protocol/api';
import type { TFunction } from 'i18next';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { type ApiError, api, stageHome, toApiError, useSession } from '../../api/index.ts';
import { Button, ErrorAlert, Loading, Page, TextField } from '../../ui/index.ts';
import { deriveAccountSecretsInWorker, holdKeyWrappingKey } from '../keys/index.ts';
import { postSignIn, type SignInWait } from './post-sign-in.ts';

interface FieldErrors {
  email?: string;
  password?: string;
}

/** E-mail and password; the password is stretched in the browser and only the login secret is sent. */
export function SignInPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { refreshMe } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  const [wait, setWait] = useState<SignInWait | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const errors: FieldErrors = {};
    if (!/^[^\s@]+@[^\s@]+$/.test(email.trim())) errors.email = t('auth.errors.emailInvalid');
    if (!password) errors.password = t('auth.errors.passwordRequired');
    setFieldErrors(errors);
    if (errors.email || errors.password) {
      document.getElementById(errors.email ? 'sign-in-email' : 'sign-in-password')?.focus();
      return;
    }
    setIsBusy(true);
    setError(null);
    try {
      const address = email.trim();
      const pre = await api.post<PreLoginResponse>('/api/auth/prelogin', { email: address });
      const secrets = await deriveAccountSecretsInWorker(password, pre.kdfSalt, pre.kdfParams);
      const result = await postSignIn({ email: address, loginSecret: secrets.loginSecret }, setWait);
      setPassword('');
      // Memory only: it opens the account's private key once the sign-in is complete.
      holdKeyWrappingKey(address, secrets.keyWrappingKey);
      await refreshMe();
      void navigate(stageHome[result.stage]);
    } catch (caught) {
      setError(toApiError(caught));
      setIsBusy(false);
      setWait(null);
    }
  }

  return (
    <Page title={t('auth.signIn.title')}>
      <p className="utrecht-paragraph utrecht-paragraph--lead">{t('auth.signIn.intro')}</p>
      <ErrorAlert error={error} />
      <form className="zegel-form" onSubmit={(event) => void submit(event)} noValidate>
        <TextField
          id="sign-in-email"
          label={t('auth.fields.email')}
          type="email"
          autoComplete="username"
          value={email}
          onChange={setEmail}
          error={fieldErrors.email}
          required
        />
        <TextField
          id="sign-in-password"
          label={t('auth.fields.password')}
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={setPassword}
          error={fieldErrors.password}
          required
        />
        {isBusy ? <Loading label={waitLabel(t, wait)} /> : null}
        <div className="zegel-actions">
          <Button type="submit" purpose="primary" isBusy={isBusy}>
            {t('auth.signIn.submit')}
          </Button>
        </div>
      </form>
      <p className="utrecht-paragraph">
        <Link className="utrecht-link" to="/forgot-password">
          {t('auth.signIn.forgotPassword')}
        </Link>
      </p>
    </Page>
  );
}

function waitLabel(t: TFunction, wait: SignInWait | null) {
  if (wait?.kind === 'delay') return t('auth.signIn.delayed', { seconds: wait.seconds });
  if (wait?.kind === 'puzzle') return t('auth.signIn.puzzle');
  return t('auth.signIn.securing');
}
