import type { InvitationLookupResponse } from '@zegel/protocol/api';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { type ApiError, api, toApiError, useSession } from '../../api/index.ts';
import { Alert, Button, ErrorAlert, Loading, Page, TextField } from '../../ui/index.ts';
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
  | { step: 'form'; token: string; invitation: InvitationLookupResponse };

/** Accepting an invitation: who invited you, your name and a password of your own. */
export function InvitationPage() {
  const { t } = useTranslation();
  const [token] = useState(readLinkToken);
  const [state, setState] = useState<State>({ step: 'loading' });

  useEffect(() => {
    clearLinkToken();
    if (!token) {
      setState({ step: 'invalid', error: null });
      return;
    }
    api.post<InvitationLookupResponse>('/api/invitations/lookup', { token }).then(
      (invitation) => setState({ step: 'form', token, invitation }),
      (error: unknown) => setState({ step: 'invalid', error: toApiError(error) }),
    );
  }, [token]);

  return (
    <Page title={t('invitation.title')}>
      {state.step === 'loading' ? <Loading /> : null}
      {state.step === 'invalid' ? (
        state.error ? (
          <ErrorAlert error={state.error} />
        ) : (
          <Alert type="error">{t('invitation.missingToken')}</Alert>
        )
      ) : null}
      {state.step === 'form' ? <AcceptForm token={state.token} invitation={state.invitation} /> : null}
    </Page>
  );
}

function AcceptForm({ token, invitation }: { token: string; invitation: InvitationLookupResponse }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { refreshMe } = useSession();
  const [name, setName] = useState(invitation.name);
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [errors, setErrors] = useState<NewPasswordErrors & { name?: string }>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [isBusy, setIsBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const next = {
      ...validateNewPassword(t, password, confirmation, { email: invitation.email }),
      ...(name.trim() ? {} : { name: t('invitation.nameRequired') }),
    };
    setErrors(next);
    if (focusFirstError('invitation', next, { 'invitation-name': next.name })) return;
    setIsBusy(true);
    setError(null);
    try {
      const loginSecret = await deriveLoginSecret(password, invitation.kdfSalt, invitation.kdfParams);
      await api.post('/api/invitations/accept', { token, name: name.trim(), loginSecret });
      await refreshMe();
      void navigate('/enrol');
    } catch (caught) {
      setError(toApiError(caught));
      setIsBusy(false);
    }
  }

  return (
    <>
      <p className="utrecht-paragraph utrecht-paragraph--lead">
        {t('invitation.intro', { organisation: invitation.organisationName })}
      </p>
      <dl className="zegel-facts">
        <div>
          <dt>{t('invitation.organisation')}</dt>
          <dd>{invitation.organisationName}</dd>
        </div>
        <div>
          <dt>{t('auth.fields.email')}</dt>
          <dd>{invitation.email}</dd>
        </div>
        <div>
          <dt>{t('invitation.role')}</dt>
          <dd>{t(`roles.${invitation.role}`)}</dd>
        </div>
      </dl>
      <ErrorAlert error={error} />
      <form className="zegel-form" onSubmit={(event) => void submit(event)} noValidate>
        <TextField
          id="invitation-name"
          label={t('invitation.name')}
          autoComplete="name"
          value={name}
          onChange={setName}
          error={errors.name}
        />
        <NewPasswordFields
          idPrefix="invitation"
          password={password}
          confirmation={confirmation}
          onPasswordChange={setPassword}
          onConfirmationChange={setConfirmation}
          errors={errors}
        />
        {isBusy ? <Loading label={t('auth.signIn.securing')} /> : null}
        <div className="zegel-actions">
          <Button type="submit" purpose="primary" isBusy={isBusy}>
            {t('invitation.submit')}
          </Button>
        </div>
      </form>
    </>
  );
}
