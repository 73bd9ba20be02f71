import type { PreLoginResponse } from '@zegel/protocol/api';
import { KeyUnwrapError } from '@zegel/protocol/crypto';
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, toApiError, useSession } from '../../api/index.ts';
import { Button, ErrorAlert, Loading, Page, TextField } from '../../ui/index.ts';
import { unlockAccountKeys } from './account-keys.ts';
import { deriveAccountSecretsInWorker } from './derive-account-secrets.ts';
import {
  forgetKeys,
  holdKeyWrappingKey,
  takeKeyWrappingKey,
  type UnlockedKeys,
  useKeyState,
} from './key-store.ts';

/**
 * Shows its children only with the account's keys open. Right after sign-in the key-wrapping
 * key is still in memory and this opens the keys at once; after a reload it asks for the
 * password again (derived in the browser with the account's salt; nothing is sent).
 */
export function KeysGate({ children }: { children: (keys: UnlockedKeys) => ReactNode }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const { unlocked, pending } = useKeyState();
  const [error, setError] = useState<ApiError | null>(null);
  const [isWorking, setIsWorking] = useState(false);
  const started = useRef<Uint8Array | null>(null);

  useEffect(() => {
    if (!me || (unlocked && unlocked.userId === me.id)) return;
    const keyWrappingKey = pending ? takeKeyWrappingKey(me.email) : null;
    if (!keyWrappingKey || started.current === keyWrappingKey) return;
    started.current = keyWrappingKey;
    setIsWorking(true);
    setError(null);
    unlockAccountKeys(me, keyWrappingKey)
      .catch((caught: unknown) => {
        forgetKeys();
        setError(
          caught instanceof KeyUnwrapError
            ? new ApiError('key_unwrap_failed', 'wrong password', 0, null)
            : toApiError(caught),
        );
      })
      .finally(() => setIsWorking(false));
  }, [me, unlocked, pending]);

  if (!me) return <Loading />;
  if (unlocked && unlocked.userId === me.id) return children(unlocked);
  if (isWorking) return <Loading label={t('messages.unlock.opening')} />;
  return <UnlockForm email={me.email} error={error} />;
}

function UnlockForm({ email, error }: { email: string; error: ApiError | null }) {
  const { t } = useTranslation();
  const [password, setPassword] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [submitError, setSubmitError] = useState<ApiError | null>(null);
  const [isBusy, setIsBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!password) {
      setFieldError(t('auth.errors.passwordRequired'));
      document.getElementById('unlock-password')?.focus();
      return;
    }
    setFieldError(undefined);
    setIsBusy(true);
    setSubmitError(null);
    try {
      const pre = await api.post<PreLoginResponse>('/api/auth/prelogin', { email });
      const secrets = await deriveAccountSecretsInWorker(password, pre.kdfSalt, pre.kdfParams);
      setPassword('');
      holdKeyWrappingKey(email, secrets.keyWrappingKey);
    } catch (caught) {
      setSubmitError(toApiError(caught));
    } finally {
      setIsBusy(false);
    }
  }

  return (
    <Page title={t('messages.unlock.title')}>
      <p className="utrecht-paragraph utrecht-paragraph--lead">{t('messages.unlock.intro')}</p>
      <ErrorAlert error={submitError ?? error} />
      <form className="zegel-form" onSubmit={(event) => void submit(event)} noValidate>
        <input type="hidden" name="username" autoComplete="username" value={email} />
        <TextField
          id="unlock-password"
          label={t('auth.fields.password')}
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={setPassword}
          error={fieldError}
          required
        />
        {isBusy ? <Loading label={t('messages.unlock.opening')} /> : null}
        <div className="zegel-actions">
          <Button type="submit" purpose="primary" isBusy={isBusy}>
            {t('messages.unlock.submit')}
          </Button>
        </div>
      </form>
    </Page>
  );
}
