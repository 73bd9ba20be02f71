import type { GuestLanding } from '@zegel/protocol/api';
import { useTranslation } from 'react-i18next';
import { Alert, Button, Page } from '../../ui/index.ts';

/** Why a guest link shows nothing but an explanation. */
export type Closed = 'expired' | 'revoked' | 'locked' | 'badLink' | 'notFound';

export const closedByCode: Record<string, Closed> = {
  message_expired: 'expired',
  message_revoked: 'revoked',
  message_locked: 'locked',
  link_proof_invalid: 'badLink',
  not_found: 'notFound',
};

/** Who wrote, from which organisation: the first line of every guest page. */
export function Intro({ landing }: { landing: GuestLanding }) {
  const { t } = useTranslation();
  return (
    <p className="utrecht-paragraph utrecht-paragraph--lead">
      {t('guest.from', { sender: landing.senderName, organisation: landing.organisation.name })}
    </p>
  );
}

export function ClosedPage({
  reason,
  landing,
  onRetry,
}: {
  reason: Closed;
  landing: GuestLanding | null;
  /** For a lock: look again (the wait may be over, or the sender unlocked). */
  onRetry?: () => void;
}) {
  const { t, i18n } = useTranslation();
  const until = landing?.lockedUntil ? new Date(landing.lockedUntil) : null;
  const minutes = until ? Math.max(1, Math.ceil((until.getTime() - Date.now()) / 60_000)) : 1;
  const wait = {
    until: until ? new Intl.DateTimeFormat(i18n.language, { timeStyle: 'short' }).format(until) : '—',
    wait: t('guest.closed.locked.wait', { count: minutes }),
  };
  return (
    <Page title={t(`guest.closed.${reason}.title`)}>
      {landing ? <Intro landing={landing} /> : null}
      <Alert type={reason === 'badLink' ? 'error' : 'warning'}>
        <p className="utrecht-paragraph">
          {t(`guest.closed.${reason}.body`, { sender: landing?.senderName ?? '', ...wait })}
        </p>
      </Alert>
      {reason === 'locked' && onRetry ? (
        <div className="zegel-actions">
          <Button onClick={onRetry}>{t('guest.closed.locked.retry')}</Button>
        </div>
      ) : null}
      <p className="utrecht-paragraph">{t('guest.closed.contact')}</p>
    </Page>
  );
}
