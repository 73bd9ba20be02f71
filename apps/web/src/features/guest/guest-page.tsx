import type { GuestConversation, GuestLanding } from '@zegel/protocol/api';
import {
  deriveAccessCodeSecrets,
  deriveGuestKeyPair,
  encryptGuestReply,
  fromBase64Url,
  type KeyPair,
  toBase64Url,
} from '@zegel/protocol/crypto';
import { type FormEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { ApiError, toApiError } from '../../api/api-client.ts';
import { DetailedApiError, sendJson } from '../../api/binary-api.ts';
import { Alert, ErrorAlert } from '../../ui/alert.tsx';
import { applyBranding } from '../../ui/branding.ts';
import { Button } from '../../ui/button.tsx';
import { CheckboxField, TextField } from '../../ui/form-field.tsx';
import { Page } from '../../ui/page.tsx';
import { Loading } from '../../ui/status.tsx';
import {
  encodeContent,
  ItemView,
  type OpenedItem,
  openItem,
  type Progress,
  ReplyForm,
} from '../conversations/index.ts';
import { encryptAndUploadAttachments } from '../files/index.ts';
import { guestApi } from './guest-api.ts';
import { GuestLayout } from './guest-layout.tsx';
import { takeLinkSecret } from './link-secret.ts';

type Closed = 'expired' | 'revoked' | 'locked' | 'badLink' | 'notFound';

const closedByCode: Record<string, Closed> = {
  message_expired: 'expired',
  message_revoked: 'revoked',
  message_locked: 'locked',
  not_found: 'notFound',
};

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
        onOrganisation(result.organisation.name);
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
    <GuestConversationView
      recipientId={recipientId}
      linkSecret={linkSecret}
      codeKey={session.codeKey}
      landing={landing}
      onFail={fail}
      onSignedOut={() => setSession(null)}
    />
  );
}

function Intro({ landing }: { landing: GuestLanding }) {
  const { t } = useTranslation();
  return (
    <p className="utrecht-paragraph utrecht-paragraph--lead">
      {t('guest.from', { sender: landing.senderName, organisation: landing.organisation.name })}
    </p>
  );
}

function ClosedPage({ reason, landing }: { reason: Closed; landing: GuestLanding | null }) {
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

function Verify({
  landing,
  client,
  onVerified,
  onFail,
}: {
  landing: GuestLanding;
  client: ReturnType<typeof guestApi>;
  onVerified: (codeKey?: Uint8Array) => void;
  onFail: (error: unknown) => void;
}) {
  const { t, i18n } = useTranslation();
  const [code, setCode] = useState('');
  const [remember, setRemember] = useState(false);
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [error, setError] = useState<ApiError | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  const [smsSent, setSmsSent] = useState<{ phoneHint: string; resendAt: number } | null>(null);
  const [now, setNow] = useState(Date.now());
  const [noCodeSent, setNoCodeSent] = useState(false);
  const method = landing.method;

  useEffect(() => {
    if (!smsSent) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [smsSent]);

  const triedRemembered = useRef(false);
  useEffect(() => {
    // A remembered browser (SMS or e-mail only) needs no code: ask for the share straight away.
    if (landing.isRememberedBrowser && method !== 'access_code' && !triedRemembered.current) {
      triedRemembered.current = true;
      client
        .verify({})
        .then(() => onVerified())
        .catch(() => undefined);
    }
  }, [landing.isRememberedBrowser, method, client, onVerified]);

  async function sendSms() {
    setError(null);
    setIsBusy(true);
    try {
      const sent = await client.sendSms();
      setSmsSent({ phoneHint: sent.phoneHint, resendAt: Date.now() + sent.resendAfterSeconds * 1000 });
      setNow(Date.now());
      setTimeout(() => document.getElementById('guest-code')?.focus());
    } catch (caught) {
      if (caught instanceof ApiError && caught.code in closedByCode) onFail(caught);
      else setError(toApiError(caught));
    } finally {
      setIsBusy(false);
    }
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const value = code.trim();
    if (method === 'sms' && !/^[0-9]{6}$/.test(value.replace(/\s/g, ''))) {
      setFieldError(t('guest.verify.smsCodeInvalid'));
      document.getElementById('guest-code')?.focus();
      return;
    }
    if (method === 'access_code' && !value) {
      setFieldError(t('guest.verify.accessCodeMissing'));
      document.getElementById('guest-code')?.focus();
      return;
    }
    setFieldError(undefined);
    setError(null);
    setIsBusy(true);
    try {
      const rememberBrowser = remember && landing.rememberDays > 0 ? { rememberBrowser: true } : {};
      if (method === 'access_code' && landing.accessCode) {
        const secrets = await deriveAccessCodeSecrets(
          value,
          fromBase64Url(landing.accessCode.salt),
          landing.accessCode.params,
        );
        await client.verify({ proof: toBase64Url(secrets.proof), ...rememberBrowser });
        onVerified(secrets.codeKey);
      } else if (method === 'sms') {
        await client.verify({ code: value.replace(/\s/g, ''), ...rememberBrowser });
        onVerified();
      } else {
        await client.verify({ ...rememberBrowser });
        onVerified();
      }
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

  async function noCode() {
    setError(null);
    try {
      await client.noCode();
      setNoCodeSent(true);
    } catch (caught) {
      setError(toApiError(caught));
    }
  }

  const waitSeconds = smsSent ? Math.max(0, Math.ceil((smsSent.resendAt - now) / 1000)) : 0;
  const expires = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'long' }).format(
    new Date(landing.expiresAt),
  );

  return (
    <Page title={t('guest.verify.title')}>
      <Intro landing={landing} />
      <p className="utrecht-paragraph">
        {t(`guest.verify.explain.${method}`, { phone: landing.phoneHint ?? '' })}
      </p>
      <p className="utrecht-paragraph zegel-muted">{t('guest.expires', { date: expires })}</p>
      <ErrorAlert error={error} />
      {noCodeSent ? <Alert type="ok">{t('guest.noCode.sent', { sender: landing.senderName })}</Alert> : null}
      {method === 'sms' && !smsSent ? (
        <div className="zegel-actions">
          <Button purpose="primary" isBusy={isBusy} onClick={() => void sendSms()}>
            {t('guest.verify.sendCode')}
          </Button>
        </div>
      ) : null}
      {method === 'sms' && smsSent ? (
        <p className="utrecht-paragraph" role="status">
          {t('guest.verify.codeSent', { phone: smsSent.phoneHint })}
        </p>
      ) : null}
      {method !== 'sms' || smsSent ? (
        <form className="zegel-form" onSubmit={(event) => void submit(event)} noValidate>
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
              onChange={setCode}
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
              onChange={setRemember}
            />
          ) : null}
          {isBusy ? <Loading label={t('guest.verify.checking')} /> : null}
          <div className="zegel-actions">
            <Button type="submit" purpose="primary" isBusy={isBusy}>
              {method === 'email_only' ? t('guest.verify.open') : t('guest.verify.submit')}
            </Button>
            {method === 'sms' ? (
              <Button
                onClick={() => void sendSms()}
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
      ) : null}
      {method !== 'email_only' ? (
        <section className="zegel-section" aria-labelledby="no-code-heading">
          <h2 className="utrecht-heading-2" id="no-code-heading">
            {t('guest.noCode.title')}
          </h2>
          <p className="utrecht-paragraph">
            {t(`guest.noCode.explain.${method}`, { sender: landing.senderName })}
          </p>
          <Button onClick={() => void noCode()}>{t('guest.noCode.button')}</Button>
        </section>
      ) : null}
    </Page>
  );
}

function GuestConversationView({
  recipientId,
  linkSecret,
  codeKey,
  landing,
  onFail,
  onSignedOut,
}: {
  recipientId: string;
  linkSecret: Uint8Array;
  codeKey: Uint8Array | undefined;
  landing: GuestLanding;
  onFail: (error: unknown) => void;
  onSignedOut: () => void;
}) {
  const { t, i18n } = useTranslation();
  const client = useMemo(() => guestApi(recipientId), [recipientId]);
  const [conversation, setConversation] = useState<GuestConversation | null>(null);
  const [keyPair, setKeyPair] = useState<KeyPair | null>(null);
  const [opened, setOpened] = useState<OpenedItem[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const result = await guestApi(recipientId).conversation();
      const pair = await deriveGuestKeyPair({
        guestId: recipientId,
        linkSecret,
        serverShare: fromBase64Url(result.serverShare),
        ...(codeKey ? { codeKey } : {}),
      });
      if (toBase64Url(pair.publicKey) !== result.guestPublicKey) {
        setProblem(t('guest.wrongKey'));
        return;
      }
      const keys = new Map([[recipientId, pair.privateKey]]);
      setOpened(await Promise.all(result.items.map((item) => openItem(item, keys))));
      setKeyPair(pair);
      setConversation(result);
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 401) onSignedOut();
      else onFail(caught);
    }
  }, [recipientId, linkSecret, codeKey, t, onFail, onSignedOut]);

  useEffect(() => {
    void load();
  }, [load]);

  async function reply(bodyHtml: string, files: File[], onProgress: (progress: Progress) => void) {
    if (!conversation || !keyPair) return;
    onProgress({ step: 'encrypting' });
    const itemId = crypto.randomUUID();
    const entries = await encryptAndUploadAttachments(files, client.uploadPath, onProgress);
    onProgress({ step: 'encrypting' });
    const subject = opened?.[0]?.content?.subject ?? '';
    const encrypted = await encryptGuestReply({
      itemId,
      plaintext: encodeContent({ v: 1, subject, bodyHtml, attachments: entries }),
      staffRecipients: conversation.replyRecipients.map((holder) => ({
        recipientId: holder.holderId,
        publicKey: fromBase64Url(holder.publicKey),
      })),
      guest: { recipientId, publicKey: keyPair.publicKey },
    });
    onProgress({ step: 'sending' });
    await sendJson('POST', `${client.base}/replies`, {
      itemId,
      item: toBase64Url(encrypted.ciphertext),
      attachments: entries.map((entry) => ({ id: entry.id })),
      wrappedKeys: encrypted.wrappedKeys.map((w) => ({
        holderId: w.recipientId,
        wrappedKey: toBase64Url(w.wrappedKey),
      })),
    });
    await load();
  }

  if (problem)
    return (
      <Page title={t('guest.closed.badLink.title')}>
        <Alert type="error">{problem}</Alert>
      </Page>
    );
  if (!conversation || !opened) return <Loading label={t('messages.decrypting')} />;
  const expires = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'long' }).format(
    new Date(conversation.expiresAt),
  );
  const subject = opened[0]?.content?.subject ?? t('guest.title');

  return (
    <Page title={subject} wide>
      <Intro landing={landing} />
      <p className="utrecht-paragraph zegel-muted">{t('guest.expires', { date: expires })}</p>
      <div className="zegel-items">
        {opened.map((o, index) => (
          <ItemView
            key={o.item.id}
            opened={o}
            isFirst={index === 0}
            attachmentPath={client.attachmentPath}
            filePath={client.filePath}
          />
        ))}
      </div>
      {conversation.replyRecipients.length > 0 ? <ReplyForm idPrefix="guest-reply" onSend={reply} /> : null}
      <div className="zegel-actions">
        <Button
          purpose="subtle"
          onClick={() => {
            void client.signOut().finally(onSignedOut);
          }}
        >
          {t('guest.signOut')}
        </Button>
      </div>
    </Page>
  );
}
