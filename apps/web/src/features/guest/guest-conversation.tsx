import type { GuestConversation, GuestLanding } from '@zegel/protocol/api';
import {
  deriveGuestKeyPair,
  encryptGuestReply,
  fromBase64Url,
  type KeyPair,
  toBase64Url,
} from '@zegel/protocol/crypto';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, sendJson } from '../../api/index.ts';
import { Alert, Button, Loading, Page } from '../../ui/index.ts';
import {
  encodeContent,
  ItemView,
  type OpenedItem,
  openItem,
  type Progress,
  ReplyForm,
} from '../conversations/index.ts';
import { encryptAndUploadAttachments } from '../files/index.ts';
import { Intro } from './closed-page.tsx';
import { guestApi } from './guest-api.ts';

/** The verified guest's view: the guest key pair derived here, the items opened, and a reply. */
export function GuestConversationView({
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
    const subject = opened?.[0]?.content?.subject ?? '';
    await sendGuestReply({
      client,
      recipientId,
      conversation,
      keyPair,
      subject,
      bodyHtml,
      files,
      onProgress,
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
      <GuestSignOut onSignOut={() => void client.signOut().finally(onSignedOut)} />
    </Page>
  );
}

/** Encrypts the guest's reply to the staff holders and to the guest's own key, then posts it. */
async function sendGuestReply({
  client,
  recipientId,
  conversation,
  keyPair,
  subject,
  bodyHtml,
  files,
  onProgress,
}: {
  client: ReturnType<typeof guestApi>;
  recipientId: string;
  conversation: GuestConversation;
  keyPair: KeyPair;
  subject: string;
  bodyHtml: string;
  files: File[];
  onProgress: (progress: Progress) => void;
}): Promise<void> {
  onProgress({ step: 'encrypting' });
  const itemId = crypto.randomUUID();
  const entries = await encryptAndUploadAttachments(files, client.uploadPath, onProgress);
  onProgress({ step: 'encrypting' });
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
}

function GuestSignOut({ onSignOut }: { onSignOut: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="zegel-actions">
      <Button purpose="subtle" onClick={onSignOut}>
        {t('guest.signOut')}
      </Button>
    </div>
  );
}
