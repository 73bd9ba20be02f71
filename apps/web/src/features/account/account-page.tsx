import type { RecoveryCodesResponse, Session, TrustedDevice } from '@zegel/protocol/api';
import { parseUserAgent } from '@zegel/protocol/user-agent';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { type ApiError, api, toApiError, useSession } from '../../api/index.ts';
import {
  Alert,
  Button,
  DataTable,
  ErrorAlert,
  formatDateTime,
  LoadedTable,
  Loading,
  Page,
  Section,
  useLoad,
} from '../../ui/index.ts';
import { RecoveryCodes } from '../auth/index.ts';
import { AppPasswordsSection } from './app-passwords-section.tsx';
import { PasskeysSection } from './passkeys-section.tsx';

const loadDevices = () => api.get<TrustedDevice[]>('/api/account/devices');
const loadSessions = () => api.get<Session[]>('/api/account/sessions');

/** The signed-in person's own security: trusted browsers, sessions, app passwords, recovery codes. */
export function AccountPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  return (
    <Page title={t('account.title')}>
      <p className="utrecht-paragraph utrecht-paragraph--lead">
        {t('account.intro', { name: me?.name ?? '' })}
      </p>
      <PasskeysSection />
      <DevicesSection />
      <SessionsSection />
      <AppPasswordsSection />
      <RecoveryCodesSection />
    </Page>
  );
}

function DevicesSection() {
  const { t } = useTranslation();
  const devices = useLoad(loadDevices);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  async function revoke(device: TrustedDevice) {
    setError(null);
    try {
      await api.delete(`/api/account/devices/${device.id}`);
      setNotice(t('account.devices.revoked', { label: device.label }));
      await devices.reload();
    } catch (caught) {
      setError(toApiError(caught));
    }
  }

  return (
    <Section title={t('account.devices.title')} id="devices">
      <p className="utrecht-paragraph">{t('account.devices.intro')}</p>
      <ErrorAlert error={error ?? devices.error} />
      {notice ? <Alert type="ok">{notice}</Alert> : null}
      <LoadedTable
        load={devices}
        empty={t('account.devices.empty')}
        caption={t('account.devices.title')}
        rowKey={(device) => device.id}
        columns={[
          { header: t('account.devices.label'), cell: (device) => device.label },
          { header: t('account.devices.createdAt'), cell: (device) => formatDateTime(device.createdAt) },
          { header: t('account.devices.expiresAt'), cell: (device) => formatDateTime(device.expiresAt) },
          {
            header: t('common.actions'),
            cell: (device) => (
              <Button
                onClick={() => void revoke(device)}
                aria-label={t('account.devices.revokeLabel', { label: device.label })}
              >
                {t('account.devices.revoke')}
              </Button>
            ),
          },
        ]}
      />
    </Section>
  );
}

function SessionsSection() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { refreshMe } = useSession();
  const sessions = useLoad(loadSessions);
  const [error, setError] = useState<ApiError | null>(null);

  async function revoke(session: Session) {
    setError(null);
    try {
      await api.delete(`/api/account/sessions/${session.id}`);
      await sessions.reload();
    } catch (caught) {
      setError(toApiError(caught));
    }
  }

  async function signOutEverywhere() {
    setError(null);
    try {
      await api.post('/api/auth/sign-out-everywhere');
      await refreshMe();
      void navigate('/sign-in');
    } catch (caught) {
      setError(toApiError(caught));
    }
  }

  return (
    <Section title={t('account.sessions.title')} id="sessions">
      <p className="utrecht-paragraph">{t('account.sessions.intro')}</p>
      <ErrorAlert error={error ?? sessions.error} />
      {sessions.data === undefined ? (
        sessions.isLoading ? (
          <Loading />
        ) : null
      ) : (
        <DataTable
          caption={t('account.sessions.title')}
          rows={sessions.data}
          rowKey={(session) => session.id}
          columns={[
            {
              header: t('account.sessions.browser'),
              cell: (session) =>
                session.userAgent ? summariseUserAgent(session.userAgent) : t('common.unknown'),
            },
            { header: t('account.sessions.address'), cell: (session) => session.ip ?? t('common.unknown') },
            { header: t('account.sessions.lastSeen'), cell: (session) => formatDateTime(session.lastSeenAt) },
            {
              header: t('common.actions'),
              cell: (session) =>
                session.isCurrent ? (
                  <span className="zegel-badge">{t('account.sessions.current')}</span>
                ) : (
                  <Button onClick={() => void revoke(session)}>{t('account.sessions.revoke')}</Button>
                ),
            },
          ]}
        />
      )}
      <div className="zegel-actions">
        <Button isDanger onClick={() => void signOutEverywhere()}>
          {t('account.sessions.signOutEverywhere')}
        </Button>
      </div>
    </Section>
  );
}

function RecoveryCodesSection() {
  const { t } = useTranslation();
  const [codes, setCodes] = useState<string[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [isBusy, setIsBusy] = useState(false);

  async function renew() {
    setIsBusy(true);
    setError(null);
    try {
      setCodes((await api.post<RecoveryCodesResponse>('/api/auth/recovery-codes')).recoveryCodes);
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setIsBusy(false);
    }
  }

  return (
    <Section title={t('account.recovery.title')} id="recovery">
      <ErrorAlert error={error} />
      {codes ? (
        <RecoveryCodes codes={codes} onDone={() => setCodes(null)} />
      ) : (
        <>
          <p className="utrecht-paragraph">{t('account.recovery.intro')}</p>
          <div className="zegel-actions">
            <Button isBusy={isBusy} onClick={() => void renew()}>
              {t('account.recovery.renew')}
            </Button>
          </div>
        </>
      )}
    </Section>
  );
}

/** "Chrome · Linux" from a user-agent string; the raw string is unreadable for most people. */
function summariseUserAgent(userAgent: string): string {
  const { browser, system } = parseUserAgent(userAgent);
  return browser && system ? `${browser} · ${system}` : userAgent.slice(0, 60);
}
