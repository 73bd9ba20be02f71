import type { GuestLanding } from '@zegel/protocol/api';
import { useTranslation } from 'react-i18next';
import { Alert, Page } from '../../ui/index.ts';

/** Why a guest link shows nothing but an explanation. */
export type Closed = 'expired' | 'revoked' | 'locked' | 'badLink' | 'notFound';

export const closedByCode: Record<string, Closed> = {
  message_expired: 'expired',
  message_revoked: 'revoked',
  message_locked: 'locked',
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

export function ClosedPage({ reason, landing }: { reason: Closed; landing: GuestLanding | null }) {
  const { t } = useTranslation();
  return (
    <Page title={t(`guest.closed.${reason}.title`)}>
      {landing ? <Intro landing={landing} /> : null}
      <Alert type={reason === 'locked' || reason === 'badLink' ? 'error' : 'warning'}>
        <p className="utrecht-paragraph">
          {t(`guest.closed.${reason}.body`, { sender: landing?.senderName ?? '' })}
        </p>
      </Alert>
      <p className="utrecht-paragraph">{t('guest.closed.contact')}</p>
    </Page>
  );
}
