import type { RecoveryCodesResponse, TotpEnrolmentResponse } from '@zegel/protocol/api';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { type ApiError, api, toApiError, useSession } from '../../api/index.ts';
import { Button, ErrorAlert, Loading, Page, Section, TextField } from '../../ui/index.ts';
import { RecoveryCodes } from './recovery-codes.tsx';
import { TrustDeviceField } from './trust-device-field.tsx';

/** Setting up the authenticator app: QR code or secret, a first code, then the recovery codes. */
export function EnrolmentPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { refreshMe } = useSession();
  const [enrolment, setEnrolment] = useState<TotpEnrolmentResponse | null>(null);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const [code, setCode] = useState('');
  const [trustDevice, setTrustDevice] = useState(false);
  const [fieldError, setFieldError] = useState<string | undefined>(undefined);
  const [error, setError] = useState<ApiError | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  const hasBegun = useRef(false);

  useEffect(() => {
    // Each begin makes a new secret; never twice for one visit (React runs effects twice in development).
    if (hasBegun.current) return;
    hasBegun.current = true;
    api
      .post<TotpEnrolmentResponse>('/api/auth/totp/begin')
      .then(setEnrolment, (caught: unknown) => setError(toApiError(caught)));
  }, []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const cleaned = code.replace(/\s+/g, '');
    if (!/^\d{6}$/.test(cleaned)) {
      setFieldError(t('enrolment.codeFormat'));
      document.getElementById('enrolment-code')?.focus();
      return;
    }
    setFieldError(undefined);
    setIsBusy(true);
    setError(null);
    try {
      const result = await api.post<RecoveryCodesResponse>('/api/auth/totp/confirm', {
        code: cleaned,
        trustDevice,
      });
      setRecoveryCodes(result.recoveryCodes);
    } catch (caught) {
      const apiError = toApiError(caught);
      setError(apiError);
      if (apiError.code === 'second_factor_invalid') setFieldError(t('auth.errors.codeWrong'));
      setCode('');
    } finally {
      setIsBusy(false);
    }
  }

  if (recoveryCodes) {
    return (
      <Page key="done" title={t('enrolment.doneTitle')}>
        <RecoveryCodes
          codes={recoveryCodes}
          onDone={() => {
            void refreshMe().then(() => navigate('/account'));
          }}
        />
      </Page>
    );
  }

  return (
    <Page key="enrol" title={t('enrolment.title')}>
      <p className="utrecht-paragraph utrecht-paragraph--lead">{t('enrolment.intro')}</p>
      <ErrorAlert error={error} />
      {enrolment ? (
        <>
          <Section title={t('enrolment.scanTitle')} id="enrolment-scan">
            <div className="zegel-qr">
              <img
                className="zegel-qr__image"
                src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(enrolment.qrSvg)}`}
                alt={t('enrolment.qrAlt')}
                width={200}
                height={200}
              />
              <div>
                <p className="utrecht-paragraph">{t('enrolment.manual')}</p>
                <p className="utrecht-paragraph">
                  <code className="utrecht-code zegel-secret" data-testid="totp-secret">
                    {enrolment.secret.replace(/(.{4})/g, '$1 ').trim()}
                  </code>
                </p>
              </div>
            </div>
          </Section>
          <Section title={t('enrolment.confirmTitle')} id="enrolment-confirm">
            <form className="zegel-form" onSubmit={(event) => void submit(event)} noValidate>
              <TextField
                id="enrolment-code"
                label={t('auth.fields.code')}
                description={t('enrolment.codeDescription')}
                inputMode="numeric"
                autoComplete="one-time-code"
                value={code}
                onChange={setCode}
                error={fieldError}
                className="zegel-code-input"
              />
              <TrustDeviceField id="enrolment-trust" checked={trustDevice} onChange={setTrustDevice} />
              <div className="zegel-actions">
                <Button type="submit" purpose="primary" isBusy={isBusy}>
                  {t('enrolment.submit')}
                </Button>
              </div>
            </form>
          </Section>
        </>
      ) : error ? null : (
        <Loading />
      )}
    </Page>
  );
}
