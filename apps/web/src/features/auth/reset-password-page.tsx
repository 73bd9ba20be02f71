import type { PasswordResetLookupResponse } from '@zegel/protocol/api';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { type ApiError, api, toApiError } from '../../api/index.ts';
import { Alert, Button, ErrorAlert, Loading, Page } from '../../ui/index.ts';
import { deriveLoginSecret } from '../keys/index.ts';
import {
  focusFirstError,
  type NewPasswordErrors,
  NewPasswordFields,
  validateNewPassword,
} from './new-password-fields.tsx';
import { clearLinkToken, readLinkToken } from './read-link-token.ts';

type State =
  | { step: 'loading' }
  | { step: 'invalid'; error: ApiError | null }
  | { step: 'form'; reset: PasswordResetLookupResponse }
  | { step: 'done' };

/** A new password from the reset link: a new login secret replaces the old one. */
export function ResetPasswordPage() {
  const { t } = useTranslation();
  const [token] = useState(readLinkToken);
  const [state, setState] = useState<State>({ step: 'loading' });
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [errors, setErrors] = useState<NewPasswordErrors>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [isBusy, setIsBusy] = useState(false);

  useEffect(() => {
    clearLinkToken();
    if (!token) {
      setState({ step: 'invalid', error: null });
      return;
    }
    api.post<PasswordResetLookupResponse>('/api/auth/password-reset/lookup', { token }).then(
      (reset) => setState({ step: 'form', reset }),
      (caught: unknown) => setState({ step: 'invalid', error: toApiError(caught) }),
    );
  }, [token]);

  async function submit(event: FormEvent, reset: PasswordResetLookupResponse) {
    event.preventDefault();
    const next = validateNewPassword(t, password, confirmation, { email: reset.email });
    setErrors(next);
    if (focusFirstError('reset', next)) return;
    setIsBusy(true);
    setError(null);
    try {
      const loginSecret = await deriveLoginSecret(password, reset.kdfSalt, reset.kdfParams);
      await api.post('/api/auth/password-reset/complete', { token, loginSecret });
      setState({ step: 'done' });
    } catch (caught) {
      setError(toApiError(caught));
      setIsBusy(false);
    }
  }

  return (
    <Page title={t('reset.title')}>
      {state.step === 'loading' ? <Loading /> : null}
      {state.step === 'invalid' ? (
        state.error ? (
          <ErrorAlert error={state.error} />
        ) : (
          <Alert type="error">{t('reset.missingToken')}</Alert>
        )
      ) : null}
      {state.step === 'done' ? (
        <>
          <Alert type="ok">{t('reset.done')}</Alert>
          <p className="utrecht-paragraph">
            <Link className="utrecht-link" to="/sign-in">
              {t('reset.toSignIn')}
            </Link>
          </p>
        </>
      ) : null}
      {state.step === 'form' ? (
        <>
          <p className="utrecht-paragraph utrecht-paragraph--lead">
            {t('reset.intro', { email: state.reset.email })}
          </p>
          <Alert type="warning">{t('reset.warning')}</Alert>
          <ErrorAlert error={error} />
          <form className="zegel-form" onSubmit={(event) => void submit(event, state.reset)} noValidate>
            <NewPasswordFields
              idPrefix="reset"
              password={password}
              confirmation={confirmation}
              onPasswordChange={setPassword}
              onConfirmationChange={setConfirmation}
              errors={errors}
            />
            {isBusy ? <Loading label={t('auth.signIn.securing')} /> : null}
            <div className="zegel-actions">
              <Button type="submit" purpose="primary" isBusy={isBusy}>
                {t('reset.submit')}
              </Button>
            </div>
          </form>
        </>
      ) : null}
    </Page>
  );
}
