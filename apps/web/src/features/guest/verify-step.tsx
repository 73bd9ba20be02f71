import type { GuestLanding } from '@zegel/protocol/api';
import type { TFunction } from 'i18next';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, DetailedApiError, toApiError } from '../../api/index.ts';
import { Alert, Button, CheckboxField, ErrorAlert, Loading, Page, TextField } from '../../ui/index.ts';
import { closedByCode, Intro } from './closed-page.tsx';
import type { guestApi } from './guest-api.ts';

/** Verification: send the SMS code or ask for the access code, or open at once for e-mail only. */
export function Verify({
  landing,
  client,
  onVerified,
  onFail,
}: {
  landing: GuestLanding;
  client: GuestClient;
  onVerified: (codeKey?: Uint8Array) => void;
  onFail: (error: unknown) => void;
}) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [remember, setRemember] = useState(false);
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [error, setError] = useState<ApiError | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  const [noCodeSent, setNoCodeSent] = useState(false);
  const method = landing.method;

  useRememberedBrowser(landing, client, onVerified);
  const sms = useSmsCode(client, onFail, setError, setIsBusy);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const value = code.trim();
    const problem = checkCode(method, value, t);
    if (problem) {
      setFieldError(problem);
      document.getElementById('guest-code')?.focus();
      return;
    }
    setFieldError(undefined);
    setError(null);
    setIsBusy(true);
    try {
      onVerified(await verifyGuest(client, landing, value, remember && landing.rememberDays > 0));
    } catch (caught) {
      setIsBusy(false);
      if (caught instanceof ApiError && caught.code in closedByCode) {
        onFail(caught);
        return;
      }
      if (caught instanceof DetailedApiError && caught.code === 'verification_failed') {
        const left = (caught.details as { attemptsLeft?: number } | undefined)?.attemptsLeft;
        setFieldError(
          typeof left === 'number'
            ? t('guest.verify.wrongCode', { count: left })
            : t('guest.verify.wrongCodeNoCount'),
        );
        document.getElementById('guest-code')?.focus();
        return;
      }
      setError(toApiError(caught));
    }
  }

  return (
    <Page title={t('guest.verify.title')}>
      <VerifyIntro landing={landing} />
      <ErrorAlert error={error} />
      {noCodeSent ? <Alert type="ok">{t('guest.noCode.sent', { sender: landing.senderName })}</Alert> : null}
      {method === 'sms' && !sms.sent ? (
        <div className="zegel-actions">
          <Button purpose="primary" isBusy={isBusy} onClick={() => void sms.send()}>
            {t('guest.verify.sendCode')}
          </Button>
        </div>
      ) : null}
      {method === 'sms' && sms.sent ? (
        <p className="utrecht-paragraph" role="status">
          {t('guest.verify.codeSent', { phone: sms.sent.phoneHint })}
        </p>
      ) : null}
      {method !== 'sms' || sms.sent ? (
        <CodeForm
          landing={landing}
          code={code}
          onCodeChange={setCode}
          fieldError={fieldError}
          remember={remember}
          onRememberChange={setRemember}
          isBusy={isBusy}
          waitSeconds={sms.waitSeconds}
          onSubmit={(event) => void submit(event)}
          onResend={() => void sms.send()}
        />
      ) : null}
      {method !== 'email_only' ? (
        <NoCodeSection
          landing={landing}
          client={client}
          onSent={() => setNoCodeSent(true)}
          onError={(caught) => setError(toApiError(caught))}
        />
      ) : null}
    </Page>
  );
}

type GuestClient = ReturnType<typeof guestApi>;

/**
 * Checks the guest's code with the server: an access code goes through Argon2id first and only
 * its proof is sent; the derived code key (needed for the guest's private key) is returned.
 */
async function verifyGuest(
  client: GuestClient,
  landing: GuestLanding,
  value: string,
  rememberBrowser: boolean,
): Promise<Uint8Array | undefined> {
  const remember = rememberBrowser ? { rememberBrowser: true } : {};
  if (landing.method === 'access_code' && landing.accessCode) {
    // The crypto chunk (Argon2id) is fetched only when an access code is typed.
    const { deriveAccessCodeSecrets, fromBase64Url, toBase64Url } = await import('@zegel/protocol/crypto');
    const secrets = await deriveAccessCodeSecrets(
      value,
      fromBase64Url(landing.accessCode.salt),
      landing.accessCode.params,
    );
    await client.verify({ proof: toBase64Url(secrets.proof), ...remember });
    return secrets.codeKey;
  }
  if (landing.method === 'sms') await client.verify({ code: value.replace(/\s/g, ''), ...remember });
  else await client.verify({ ...remember });
  return undefined;
}

/** Sends the SMS code (and again), and counts down until another may be asked for. */
function useSmsCode(
  client: GuestClient,
  onFail: (error: unknown) => void,
  setError: (error: ApiError | null) => void,
  setIsBusy: (isBusy: boolean) => void,
) {
  const [sent, setSent] = useState<{ phoneHint: string; resendAt: number } | null>(null);
  const [now, setNow] = useState(Date.now());

  useEffect(() => {
    if (!sent) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [sent]);

  async function send() {
    setError(null);
    setIsBusy(true);
    try {
      const sent = await client.sendSms();
      setSent({ phoneHint: sent.phoneHint, resendAt: Date.now() + sent.resendAfterSeconds * 1000 });
      setNow(Date.now());
      setTimeout(() => document.getElementById('guest-code')?.focus());
    } catch (caught) {
      if (caught instanceof ApiError && caught.code in closedByCode) onFail(caught);
      else setError(toApiError(caught));
    } finally {
      setIsBusy(false);
    }
  }

  const waitSeconds = sent ? Math.max(0, Math.ceil((sent.resendAt - now) / 1000)) : 0;
  return { sent, send, waitSeconds };
}

/** "I got no code": tells the sender, who can reach the guest another way. */
function NoCodeSection({
  landing,
  client,
  onSent,
  onError,
}: {
  landing: GuestLanding;
  client: GuestClient;
  onSent: () => void;
  onError: (error: unknown) => void;
}) {
  const { t } = useTranslation();
  async function noCode() {
    try {
      await client.noCode();
      onSent();
    } catch (caught) {
      onError(caught);
    }
  }
  return (
    <section className="zegel-section" aria-labelledby="no-code-heading">
      <h2 className="utrecht-heading-2" id="no-code-heading">
        {t('guest.noCode.title')}
      </h2>
      <p className="utrecht-paragraph">
        {t(`guest.noCode.explain.${landing.method}`, { sender: landing.senderName })}
      </p>
      <Button onClick={() => void noCode()}>{t('guest.noCode.button')}</Button>
    </section>
  );
}

/** The code field (none for e-mail only), "remember this browser", submit and send again. */
function CodeForm({
  landing,
  code,
  onCodeChange,
  fieldError,
  remember,
  onRememberChange,
  isBusy,
  waitSeconds,
  onSubmit,
  onResend,
}: {
  landing: GuestLanding;
  code: string;
  onCodeChange: (code: string) => void;
  fieldError: string | undefined;
  remember: boolean;
  onRememberChange: (remember: boolean) => void;
  isBusy: boolean;
  waitSeconds: number;
  onSubmit: (event: FormEvent) => void;
  onResend: () => void;
}) {
  const { t } = useTranslation();
  const method = landing.method;
  return (
    <form className="zegel-form" onSubmit={onSubmit} noValidate>
      {method !== 'email_only' ? (
        <TextField
          id="guest-code"
          label={method === 'sms' ? t('guest.verify.smsCode') : t('guest.verify.accessCode')}
          description={
            method === 'access_code' && landing.accessCodeHint
              ? t('guest.verify.hint', { hint: landing.accessCodeHint })
              : method === 'sms'
                ? t('guest.verify.smsCodeHelp')
                : undefined
          }
          value={code}
          onChange={onCodeChange}
          error={fieldError}
          autoComplete={method === 'sms' ? 'one-time-code' : 'off'}
          inputMode={method === 'sms' ? 'numeric' : 'text'}
        />
      ) : null}
      {landing.rememberDays > 0 ? (
        <CheckboxField
          id="guest-remember"
          label={t('guest.verify.remember', { count: landing.rememberDays })}
          description={t('guest.verify.rememberHelp')}
          checked={remember}
          onChange={onRememberChange}
        />
      ) : null}
      {isBusy ? <Loading label={t('guest.verify.checking')} /> : null}
      <div className="zegel-actions">
        <Button type="submit" purpose="primary" isBusy={isBusy}>
          {method === 'email_only' ? t('guest.verify.open') : t('guest.verify.submit')}
        </Button>
        {method === 'sms' ? (
          <Button
            onClick={onResend}
            isBusy={isBusy}
            aria-disabled={waitSeconds > 0 || undefined}
            {...(waitSeconds > 0 ? { 'aria-describedby': 'guest-resend-wait' } : {})}
          >
            {t('guest.verify.sendAgain')}
          </Button>
        ) : null}
      </div>
      {method === 'sms' && waitSeconds > 0 ? (
        <p className="utrecht-paragraph zegel-muted" id="guest-resend-wait">
          {t('guest.verify.resendWait', { count: waitSeconds })}
        </p>
      ) : null}
    </form>
  );
}

/** A code that cannot be right is refused here, before the server counts an attempt. */
function checkCode(method: GuestLanding['method'], value: string, t: TFunction): string | undefined {
  if (method === 'sms' && !/^[0-9]{6}$/.test(value.replace(/\s/g, '')))
    return t('guest.verify.smsCodeInvalid');
  if (method === 'access_code' && !value) return t('guest.verify.accessCodeMissing');
  return undefined;
}

function useRememberedBrowser(landing: GuestLanding, client: GuestClient, onVerified: () => void) {
  const triedRemembered = useRef(false);
  useEffect(() => {
    // A remembered browser (SMS or e-mail only) needs no code: ask for the share straight away.
    if (landing.isRememberedBrowser && landing.method !== 'access_code' && !triedRemembered.current) {
      triedRemembered.current = true;
      client
        .verify({})
        .then(() => onVerified())
        .catch(() => undefined);
    }
  }, [landing.isRememberedBrowser, landing.method, client, onVerified]);
}

/** Who wrote, how the guest verifies, and until when the message can be read. */
function VerifyIntro({ landing }: { landing: GuestLanding }) {
  const { t, i18n } = useTranslation();
  const expires = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'long' }).format(
    new Date(landing.expiresAt),
  );
  return (
    <>
      <Intro landing={landing} />
      <p className="utrecht-paragraph">
        {t(`guest.verify.explain.${landing.method}`, { phone: landing.phoneHint ?? '' })}
      </p>
      <p className="utrecht-paragraph zegel-muted">{t('guest.expires', { date: expires })}</p>
    </>
  );
}
