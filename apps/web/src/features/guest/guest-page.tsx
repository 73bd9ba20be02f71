import type { GuestLanding } from '@zegel/protocol/api';
import { deriveLinkProof, toBase64Url } from '@zegel/protocol/crypto';
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { type ApiError, toApiError } from '../../api/index.ts';
import { applyBranding, ErrorAlert, Loading, Page } from '../../ui/index.ts';
import { type Closed, ClosedPage, closedByCode } from './closed-page.tsx';
import { guestApi } from './guest-api.ts';
import { GuestLayout } from './guest-layout.tsx';
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
  const [organisation, setOrganisation] = useState<string | null>(null);
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
  onOrganisation: (name: string) => void;
}) {
  const { t } = useTranslation();
  const [linkSecret] = useState(() => takeLinkSecret(recipientId));
  const linkProof = useLinkProof(recipientId, linkSecret);
  const [landing, setLanding] = useState<GuestLanding | null>(null);
  const [closed, setClosed] = useState<Closed | null>(linkSecret ? null : 'badLink');
  const [error, setError] = useState<ApiError | null>(null);
  const [session, setSession] = useState<{ codeKey?: Uint8Array } | null>(null);
  const client = useMemo(() => guestApi(recipientId, linkProof ?? undefined), [recipientId, linkProof]);

  const load = useCallback(() => {
    client
      .landing()
      .then((result) => {
        setLanding(result);
        onOrganisation(result.organisation.name);
        applyBranding(document.body, result.organisation.branding);
        setClosed(result.state === 'active' ? null : result.state);
        if (result.state === 'active' && result.hasSession && result.method !== 'access_code') setSession({});
      })
      .catch((caught: unknown) => {
        const apiError = toApiError(caught);
        const state = closedByCode[apiError.code];
        if (state) setClosed(state);
        else setError(apiError);
      });
  }, [client, onOrganisation]);

  const fail = useCallback(
    (caught: unknown) => {
      const apiError = toApiError(caught);
      const state = closedByCode[apiError.code];
      // A lock: the landing says until when, so the page can say how long to wait.
      if (state === 'locked') load();
      else if (state) setClosed(state);
      else setError(apiError);
    },
    [load],
  );

  useEffect(() => {
    if (linkProof) load();
  }, [linkProof, load]);

  if (closed) return <ClosedPage reason={closed} landing={landing} onRetry={load} />;
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

/** The link proof (base64url) derived from the fragment's link secret; null until it is ready. */
function useLinkProof(recipientId: string, linkSecret: Uint8Array | null): string | null {
  const [proof, setProof] = useState<string | null>(null);
  useEffect(() => {
    if (!linkSecret) return;
    let isCurrent = true;
    deriveLinkProof(linkSecret, recipientId).then(
      (bytes) => isCurrent && setProof(toBase64Url(bytes)),
      () => isCurrent && setProof(null),
    );
    return () => {
      isCurrent = false;
    };
  }, [recipientId, linkSecret]);
  return proof;
}
