import type { ContactChallenge, ContactCodeResponse, ContactVerifyResponse } from '@zegel/protocol/api';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiError, api, solveInWorker, toApiError } from '../../api/index.ts';
import { Alert, Button, Section, TextField } from '../../ui/index.ts';

type Step =
  | { kind: 'address' }
  | { kind: 'code'; verificationId: string }
  | { kind: 'verified'; sendToken: string };

/**
 * Step one of starting a conversation without an account: the person's e-mail address (and an
 * optional phone number), an anti-abuse check solved in a Web Worker, then the code from the mail.
 */
export function AddressForm({
  slug,
  teamId,
  onVerified,
}: {
  slug: string;
  teamId: string;
  onVerified?: (sendToken: string, email: string) => void;
}) {
  const { t } = useTranslation();
  const [step, setStep] = useState<Step>({ kind: 'address' });
  const [email, setEmail] = useState('');
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  const base = `/api/contact/${encodeURIComponent(slug)}`;

  function describe(caught: ApiError): string {
    if (caught.code === 'rate_limited') return t('contact.form.rateLimited');
    if (caught.code === 'verification_failed')
      return step.kind === 'code' ? t('contact.form.wrongCode') : t('contact.form.checkFailed');
    if (caught.code === 'contact_closed') return t('contact.closed');
    if (caught.code === 'validation_failed') return t('contact.form.invalid');
    return t(`errors.${caught.code}`, { defaultValue: caught.message });
  }

  async function run(action: () => Promise<void>) {
    setError(null);
    setIsBusy(true);
    try {
      await action();
    } catch (caught) {
      setError(describe(toApiError(caught)));
    } finally {
      setIsBusy(false);
    }
  }

  function requestCode(event: FormEvent) {
    event.preventDefault();
    if (!/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(email.trim())) {
      setFieldError(t('contact.form.emailInvalid'));
      document.getElementById('contact-email')?.focus();
      return;
    }
    setFieldError(undefined);
    void run(async () => {
      const challenge = await api.post<ContactChallenge>(`${base}/challenge`);
      const nonce = await solveInWorker(challenge.challenge, challenge.difficulty);
      const response = await api.post<ContactCodeResponse>(`${base}/teams/${teamId}/email-code`, {
        email: email.trim(),
        ...(phone.trim() ? { phone: phone.trim() } : {}),
        challenge: challenge.challenge,
        nonce,
      });
      setStep({ kind: 'code', verificationId: response.verificationId });
    });
  }

  function verify(event: FormEvent) {
    event.preventDefault();
    if (step.kind !== 'code') return;
    void run(async () => {
      const response = await api.post<ContactVerifyResponse>(`${base}/teams/${teamId}/verify`, {
        verificationId: step.verificationId,
        code: code.trim(),
      });
      setStep({ kind: 'verified', sendToken: response.sendToken });
      onVerified?.(response.sendToken, email.trim());
    });
  }

  return (
    <Section title={t('contact.form.title')} id="contact-form">
      {error ? (
        <Alert type="error" title={t('errors.title')}>
          <p className="utrecht-paragraph">{error}</p>
        </Alert>
      ) : null}
      {step.kind === 'address' ? (
        <form className="zegel-form" onSubmit={requestCode} noValidate>
          <TextField
            id="contact-email"
            type="email"
            label={t('contact.form.email')}
            description={t('contact.form.emailHelp')}
            value={email}
            onChange={setEmail}
            error={fieldError}
            autoComplete="email"
          />
          <TextField
            id="contact-phone"
            type="tel"
            label={t('contact.form.phone')}
            description={t('contact.form.phoneHelp')}
            value={phone}
            onChange={setPhone}
            autoComplete="tel"
          />
          <div className="zegel-actions">
            <Button type="submit" purpose="primary" isBusy={isBusy}>
              {isBusy ? t('contact.form.working') : t('contact.form.sendCode')}
            </Button>
          </div>
        </form>
      ) : step.kind === 'code' ? (
        <form className="zegel-form" onSubmit={verify} noValidate>
          <p className="utrecht-paragraph" role="status">
            {t('contact.form.codeSent', { email: email.trim() })}
          </p>
          <TextField
            id="contact-code"
            label={t('contact.form.code')}
            value={code}
            onChange={setCode}
            autoComplete="one-time-code"
            inputMode="numeric"
          />
          <div className="zegel-actions">
            <Button type="submit" purpose="primary" isBusy={isBusy}>
              {t('contact.form.verify')}
            </Button>
          </div>
        </form>
      ) : (
        <Alert type="ok">{t('contact.form.verified', { email: email.trim() })}</Alert>
      )}
    </Section>
  );
}
