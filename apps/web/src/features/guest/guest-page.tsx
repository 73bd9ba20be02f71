import type { GuestLanding } from '@zegel/protocol/api';
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { type ApiError, toApiError } from '../../api/index.ts';
import { applyBranding, ErrorAlert, Loading, Page } from '../../ui/index.ts';
import { type Closed, ClosedPage, closedByCode } from './closed-page.tsx';
import { guestApi } from './guest-api.ts';
import { GuestLayout, type GuestOrganisation } from './guest-layout.tsx';
import { takeLinkSecret } from './link-secret.ts';
import { Verify } from './verify-step.tsx';

/** Decryption, the item view and the reply come after verification: their chunk loads then. */
const GuestConversationView = lazy(() =>
  import('./guest-conversation.tsx').then((m) => ({ default: m.GuestConversationView })),
);

/**
 * The page a guest reaches from the notification mail (`/g/:recipientId#<link secret>`): who
 * wrote, verification (SMS code or access code), then the decrypted message, attachments and
 * a secure reply. Expired, revoked, locked or a damaged link show a clear page and nothing else.
 */
export function GuestPage() {
  const { recipientId = '' } = useParams();
  const [organisation, setOrganisation] = useState<GuestOrganisation | null>(null);
  return (
    <GuestLayout organisation={organisation}>
      <GuestFlow key={recipientId} recipientId={recipientId} onOrganisation={setOrganisation} />
    </GuestLayout>
  );
}

function GuestFlow({
  recipientId,
  onOrganisation,
}: {
  recipientId: string;
  onOrganisation: (organisation: GuestOrganisation) => void;
}) {
  const { t } = useTranslation();
  const [linkSecret] = useState(() => takeLinkSecret(recipientId));
  const [landing, setLanding] = useState<GuestLanding | null>(null);
  const [closed, setClosed] = useState<Closed | null>(linkSecret ? null : 'badLink');
  const [error, setError] = useState<ApiError | null>(null);
  const [session, setSession] = useState<{ codeKey?: Uint8Array } | null>(null);
  const client = useMemo(() => guestApi(recipientId), [recipientId]);

  const fail = useCallback((caught: unknown) => {
    const apiError = toApiError(caught);
    const state = closedByCode[apiError.code];
    if (state) setClosed(state);
    else setError(apiError);
  }, []);

  useEffect(() => {
    if (!linkSecret) return;
    guestApi(recipientId)
      .landing()
      .then((result) => {
        setLanding(result);
        onOrganisation(result.organisation);
        applyBranding(document.body, result.organisation.branding);
        if (result.state !== 'active') setClosed(result.state);
        else if (result.hasSession && result.method !== 'access_code') setSession({});
      })
      .catch(fail);
  }, [recipientId, linkSecret, fail, onOrganisation]);

  if (closed) return <ClosedPage reason={closed} landing={landing} />;
  if (error && !landing)
    return (
      <Page title={t('guest.title')}>
        <ErrorAlert error={error} />
      </Page>
    );
  if (!landing || !linkSecret) return <Loading />;
  if (!session)
    return (
      <Verify
        landing={landing}
        client={client}
        onVerified={(codeKey) => setSession(codeKey ? { codeKey } : {})}
        onFail={fail}
      />
    );
  return (
    <Suspense fallback={<Loading label={t('messages.decrypting')} />}>
      <GuestConversationView
        recipientId={recipientId}
        linkSecret={linkSecret}
        codeKey={session.codeKey}
        landing={landing}
        onFail={fail}
        onSignedOut={() => setSession(null)}
      />
    </Suspense>
  );
}
