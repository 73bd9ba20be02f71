import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiError, toApiError } from '../../api/index.ts';
import { ErrorAlert, formatBytes } from '../../ui/index.ts';
import { type AttachmentEntry, downloadAttachment, FileDownloads } from '../files/index.ts';
import type { OpenedItem } from './content.ts';
import { toSafeFragment } from './sanitize.ts';
import './conversations.css';

/** Sanitised message HTML, put into the DOM as nodes (never through innerHTML of raw input). */
export function SafeHtml({ html, className }: { html: string; className?: string }) {
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    container.current?.replaceChildren(toSafeFragment(html));
  }, [html]);
  return <div ref={container} className={className} />;
}

/** One decrypted item of a conversation: author, time, body and attachments to download. */
export function ItemView({
  opened,
  isFirst,
  attachmentPath,
  filePath,
  onDownloaded,
}: {
  opened: OpenedItem;
  isFirst: boolean;
  attachmentPath: (id: string) => string;
  /** Where a large file's ciphertext is downloaded from. */
  filePath: (id: string) => string;
  onDownloaded?: () => void;
}) {
  const { t, i18n } = useTranslation();
  const format = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'long', timeStyle: 'short' });
  const { item, content } = opened;
  const headingId = `item-${item.id}-heading`;
  // A member's item in a team's name shows both to staff; guests get only the team from the server.
  const authorName = item.author.team
    ? t('messages.conversation.forTeam', { name: item.author.name, team: item.author.team.name })
    : item.author.name;
  return (
    <article className="zegel-item" aria-labelledby={headingId}>
      <header className="zegel-item__header">
        <h2 className="utrecht-heading-2 zegel-item__title" id={headingId}>
          {isFirst
            ? (content?.subject ?? t('messages.unreadable'))
            : t('messages.conversation.replyBy', { name: authorName })}
        </h2>
        <p className="utrecht-paragraph zegel-item__meta">
          {t('messages.conversation.byAt', {
            name: authorName,
            time: format.format(new Date(item.createdAt)),
          })}
        </p>
      </header>
      {content ? (
        <>
          <SafeHtml html={content.bodyHtml} className="zegel-item__body" />
          {content.attachments.length > 0 ? (
            <AttachmentList
              attachments={content.attachments}
              path={attachmentPath}
              onDownloaded={onDownloaded}
            />
          ) : null}
          {content.files && content.files.length > 0 ? (
            <FileDownloads
              files={content.files}
              available={item.files}
              path={filePath}
              onDownloaded={onDownloaded}
            />
          ) : null}
        </>
      ) : (
        <p className="utrecht-paragraph zegel-warning-text">
          {opened.error === 'noKey'
            ? t('messages.conversation.noKey')
            : t('messages.conversation.unreadable')}
        </p>
      )}
    </article>
  );
}

function AttachmentList({
  attachments,
  path,
  onDownloaded,
}: {
  attachments: AttachmentEntry[];
  path: (id: string) => string;
  onDownloaded?: (() => void) | undefined;
}) {
  const { t, i18n } = useTranslation();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  async function download(entry: AttachmentEntry) {
    setBusy(entry.id);
    setError(null);
    try {
      await downloadAttachment(path(entry.id), entry);
      onDownloaded?.();
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setBusy(null);
    }
  }
  return (
    <section className="zegel-attachments" aria-label={t('messages.attachments.legend')}>
      <ErrorAlert error={error} />
      <ul className="zegel-file-list">
        {attachments.map((entry) => (
          <li key={entry.id} className="zegel-file-list__item">
            <span className="zegel-file-list__name">{entry.name}</span>
            {entry.warnings && entry.warnings.length > 0 && (
              <span className="zegel-file-list__warning">{t('messages.attachments.suspiciousName')}</span>
            )}
            <span className="zegel-file-list__size">{formatBytes(entry.size, i18n.language)}</span>
            <button
              type="button"
              className="utrecht-button utrecht-button--secondary-action"
              aria-label={t('messages.attachments.download', { name: entry.name })}
              aria-busy={busy === entry.id || undefined}
              onClick={() => void download(entry)}
            >
              {busy === entry.id
                ? t('messages.attachments.downloading')
                : t('messages.attachments.downloadShort')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
