import type { ConversationDetail, Participant } from '@zegel/protocol/api';
import { encryptItem, fromBase64Url, toBase64Url } from '@zegel/protocol/crypto';
import { MessageLimits } from '@zegel/protocol/limits';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router';
import { type ApiError, api, sendJson, toApiError } from '../../api/index.ts';
import { Alert, Button, ErrorAlert, Loading, Page, TextField, useLoad } from '../../ui/index.ts';
import { TeamHandlingPanels } from '../contact/index.ts';
import {
  encodeContent,
  ItemView,
  type OpenedItem,
  openItem,
  type Progress,
  ReceiptsTable,
  ReplyForm,
} from '../conversations/index.ts';
import type { FileManifestEntry } from '../files/index.ts';
import { encryptAndUploadAttachments } from '../files/index.ts';
import type { UnlockedKeys } from '../keys/index.ts';
import { KeysGate, toPrivateKeyMap } from '../keys/index.ts';
import { MailboxNav } from './mailbox-page.tsx';
import './messages.css';

export function ConversationPage() {
  return <KeysGate>{(keys) => <Conversation keys={keys} />}</KeysGate>;
}

/** Decrypts every item once per load; returns them in order. */
export function useOpenedItems(
  items: ConversationDetail['items'] | undefined,
  privateKeys: Map<string, Uint8Array>,
) {
  const [opened, setOpened] = useState<OpenedItem[] | null>(null);
  useEffect(() => {
    if (!items) return;
    let isCurrent = true;
    void Promise.all(items.map((item) => openItem(item, privateKeys))).then((result) => {
      if (isCurrent) setOpened(result);
    });
    return () => {
      isCurrent = false;
    };
  }, [items, privateKeys]);
  return opened;
}

function Conversation({ keys }: { keys: UnlockedKeys }) {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const location = useLocation();
  const justSent = (location.state as { justSent?: boolean } | null)?.justSent === true;
  const load = useCallback(() => api.get<ConversationDetail>(`/api/conversations/${id}`), [id]);
  const detail = useLoad(load);
  const [privateKeys] = useState(() => toPrivateKeyMap(keys));
  const opened = useOpenedItems(detail.data?.items, privateKeys);
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  if (!detail.data)
    return detail.error ? (
      <Page title={t('messages.conversation.title')}>
        <ErrorAlert error={detail.error} />
      </Page>
    ) : (
      <Loading />
    );
  const conversation = detail.data;
  const first = opened?.[0];
  const title = first?.content?.subject ?? t('messages.conversation.title');
  const attachments: { id: string; name: string }[] = (opened ?? []).flatMap((o) => [
    ...(o.content?.attachments ?? []),
    ...(o.content?.files ?? []),
  ]);

  async function revoke(participant: Participant | null) {
    const question = participant
      ? t('messages.revoke.confirmOne', { name: participant.name })
      : t('messages.revoke.confirmAll');
    if (!window.confirm(question)) return;
    setActionError(null);
    try {
      await api.post(
        `/api/conversations/${conversation.id}/revoke`,
        participant ? { participantIds: [participant.id] } : {},
      );
      setNotice(
        participant ? t('messages.revoke.doneOne', { name: participant.name }) : t('messages.revoke.doneAll'),
      );
      await detail.reload();
    } catch (caught) {
      setActionError(toApiError(caught));
    }
  }

  async function unlock(participant: Participant) {
    setActionError(null);
    try {
      await api.post(`/api/conversations/${conversation.id}/participants/${participant.id}/unlock`);
      setNotice(t('messages.unlockGuest.done', { name: participant.name }));
      await detail.reload();
    } catch (caught) {
      setActionError(toApiError(caught));
    }
  }

  async function reply(
    bodyHtml: string,
    files: File[],
    onProgress: (progress: Progress) => void,
    largeFiles: FileManifestEntry[],
  ) {
    await sendStaffReply({ conversation, keys, subject: title, bodyHtml, files, largeFiles, onProgress });
    await detail.reload();
  }

  return (
    <Page title={title} wide>
      <MailboxNav />
      {justSent ? <Alert type="ok">{t('messages.conversation.sent')}</Alert> : null}
      {notice ? <Alert type="ok">{notice}</Alert> : null}
      <ErrorAlert error={actionError} />
      <ConversationMeta conversation={conversation} />
      {opened === null ? <Loading label={t('messages.decrypting')} /> : null}
      <ConversationItems conversationId={conversation.id} opened={opened} />
      <ReceiptsSection
        conversation={conversation}
        attachments={attachments}
        onRevoke={(participant) => void revoke(participant)}
        onUnlock={(participant) => void unlock(participant)}
      />
      <TeamHandlingPanels
        conversationId={conversation.id}
        teamIds={conversation.participants.flatMap((p) => (p.kind === 'team' && p.refId ? [p.refId] : []))}
      />
      {conversation.canManage ? <ExpiryForm conversation={conversation} onChanged={detail.reload} /> : null}
      <ReplyForm idPrefix="reply" onSend={reply} largeFilesFor={conversation.id} />
    </Page>
  );
}

/** Who sent it and when, how long it stays readable, and the proof of delivery. */
function ConversationMeta({ conversation }: { conversation: ConversationDetail }) {
  const { t, i18n } = useTranslation();
  const dateFormat = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'long' });
  return (
    <p className="utrecht-paragraph zegel-conversation__meta">
      {t('messages.conversation.meta', {
        sender: conversation.sender.name,
        created: dateFormat.format(new Date(conversation.createdAt)),
        expires: dateFormat.format(new Date(conversation.expiresAt)),
      })}{' '}
      <Link className="utrecht-link" to={`/conversations/${conversation.id}/report`}>
        {t('messages.report.link')}
      </Link>
    </p>
  );
}

function ConversationItems({
  conversationId,
  opened,
}: {
  conversationId: string;
  opened: OpenedItem[] | null;
}) {
  return (
    <div className="zegel-items">
      {opened?.map((o, index) => (
        <ItemView
          key={o.item.id}
          opened={o}
          isFirst={index === 0}
          attachmentPath={(attachmentId) =>
            `/api/conversations/${conversationId}/attachments/${attachmentId}`
          }
          filePath={(fileId) => `/api/conversations/${conversationId}/files/${fileId}`}
        />
      ))}
    </div>
  );
}

function ExpiryForm({
  conversation,
  onChanged,
}: {
  conversation: ConversationDetail;
  onChanged: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const [value, setValue] = useState(conversation.expiresAt.slice(0, 10));
  const [error, setError] = useState<ApiError | null>(null);
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [done, setDone] = useState(false);
  async function submit(event: FormEvent) {
    event.preventDefault();
    const at = new Date(`${value}T23:59:00`);
    const max = new Date(conversation.createdAt).getTime() + MessageLimits.maxExpiryDays * 86_400_000;
    if (Number.isNaN(at.getTime()) || at.getTime() > max) {
      setFieldError(t('messages.compose.errors.expiryInvalid', { max: MessageLimits.maxExpiryDays }));
      return;
    }
    setFieldError(undefined);
    setError(null);
    try {
      await api.patch(`/api/conversations/${conversation.id}`, { expiresAt: at.toISOString() });
      setDone(true);
      await onChanged();
    } catch (caught) {
      setError(toApiError(caught));
    }
  }
  return (
    <section className="zegel-section" aria-labelledby="expiry-heading">
      <h2 className="utrecht-heading-2" id="expiry-heading">
        {t('messages.expiry.title')}
      </h2>
      <ErrorAlert error={error} />
      {done ? (
        <p className="utrecht-paragraph zegel-ok-text" role="status">
          {t('messages.expiry.done')}
        </p>
      ) : null}
      <form className="zegel-form zegel-inline-form" onSubmit={(event) => void submit(event)} noValidate>
        <TextField
          id="expiry-date"
          type="date"
          label={t('messages.expiry.label')}
          description={t('messages.expiry.help')}
          value={value}
          onChange={setValue}
          error={fieldError}
        />
        <div className="zegel-actions">
          <Button type="submit">{t('messages.expiry.submit')}</Button>
        </div>
      </form>
    </section>
  );
}

/**
 * Encrypts a staff reply to every key holder of the conversation, and to me if I am not one yet
 * (a team member replying for the team), then appends it.
 */
async function sendStaffReply({
  conversation,
  keys,
  subject,
  bodyHtml,
  files,
  largeFiles,
  onProgress,
}: {
  conversation: ConversationDetail;
  keys: UnlockedKeys;
  subject: string;
  bodyHtml: string;
  files: File[];
  largeFiles: FileManifestEntry[];
  onProgress: (progress: Progress) => void;
}): Promise<void> {
  onProgress({ step: 'encrypting' });
  const itemId = crypto.randomUUID();
  const entries = await encryptAndUploadAttachments(
    files,
    (attachmentId) => `/api/uploads/${attachmentId}`,
    onProgress,
  );
  onProgress({ step: 'encrypting' });
  const holders = conversation.keyHolders.some((h) => h.holderId === keys.userId)
    ? conversation.keyHolders
    : [
        ...conversation.keyHolders,
        { holderId: keys.userId, kind: 'user' as const, name: '', publicKey: toBase64Url(keys.publicKey) },
      ];
  const encrypted = await encryptItem({
    itemId,
    plaintext: encodeContent({
      v: 1,
      subject,
      bodyHtml,
      attachments: entries,
      ...(largeFiles.length > 0 ? { files: largeFiles } : {}),
    }),
    recipients: holders.map((h) => ({ recipientId: h.holderId, publicKey: fromBase64Url(h.publicKey) })),
  });
  onProgress({ step: 'sending' });
  await sendJson('POST', `/api/conversations/${conversation.id}/items`, {
    itemId,
    item: toBase64Url(encrypted.ciphertext),
    attachments: entries.map((entry) => ({ id: entry.id })),
    ...(largeFiles.length > 0 ? { files: largeFiles.map((file) => ({ id: file.id })) } : {}),
    wrappedKeys: encrypted.wrappedKeys.map((w) => ({
      holderId: w.recipientId,
      wrappedKey: toBase64Url(w.wrappedKey),
    })),
  });
}

/**
 * Receipts per recipient, with revoke per guest and for everyone when I may manage, and unlock
 * for a guest whose lock after wrong codes is still running.
 */
function ReceiptsSection({
  conversation,
  attachments,
  onRevoke,
  onUnlock,
}: {
  conversation: ConversationDetail;
  attachments: { id: string; name: string }[];
  onRevoke: (participant: Participant | null) => void;
  onUnlock: (participant: Participant) => void;
}) {
  const { t } = useTranslation();
  const isOpen = (p: Participant) => p.kind === 'guest' && (p.state === 'active' || p.state === 'locked');
  const activeGuests = conversation.participants.filter(isOpen);
  return (
    <section className="zegel-section" aria-labelledby="receipts-heading">
      <h2 className="utrecht-heading-2" id="receipts-heading">
        {t('messages.receipts.title')}
      </h2>
      <ReceiptsTable
        participants={conversation.participants}
        attachments={attachments}
        {...(conversation.canManage
          ? {
              actions: (p: Participant) =>
                isOpen(p) ? (
                  <>
                    {p.state === 'locked' ? (
                      <Button purpose="secondary" onClick={() => onUnlock(p)}>
                        {t('messages.unlockGuest.one', { name: p.name })}
                      </Button>
                    ) : null}
                    <Button purpose="subtle" isDanger onClick={() => onRevoke(p)}>
                      {t('messages.revoke.one', { name: p.name })}
                    </Button>
                  </>
                ) : null,
            }
          : {})}
      />
      {conversation.canManage && activeGuests.length > 0 ? (
        <div className="zegel-actions">
          <Button isDanger onClick={() => onRevoke(null)}>
            {t('messages.revoke.all')}
          </Button>
        </div>
      ) : null}
    </section>
  );
}
