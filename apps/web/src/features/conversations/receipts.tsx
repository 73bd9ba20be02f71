import type { Participant } from '@zegel/protocol/api';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../../ui/index.ts';
import './conversations.css';

/** The furthest step a participant reached, in words: for lists. */
export function getParticipantStatus(participant: Participant): string {
  if (participant.state !== 'active') return participant.state;
  if (participant.bouncedAt) return 'bounced';
  if (participant.openedAt) return 'opened';
  if (participant.verifiedAt) return 'verified';
  if (participant.deliveredAt) return 'delivered';
  if (participant.sentAt) return 'sent';
  return 'queued';
}

export function summarizeParticipants(participants: Participant[], t: TFunction): string {
  return participants
    .filter((p) => p.role !== 'sender')
    .map((p) => `${p.name}: ${t(`messages.status.${getParticipantStatus(p)}`)}`)
    .join(' · ');
}

/**
 * Per recipient: sent, delivered to the mail server, bounced, verified, opened, and per
 * attachment downloaded, each with its time. `actions` renders per-row controls (revoke).
 */
export function ReceiptsTable({
  participants,
  attachments,
  actions,
}: {
  participants: Participant[];
  /** Attachments and large files by id, to name them in the download receipts. */
  attachments: { id: string; name: string }[];
  actions?: (participant: Participant) => ReactNode;
}) {
  const { t, i18n } = useTranslation();
  const format = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'short', timeStyle: 'short' });
  const time = (value: string | null) => (value ? format.format(new Date(value)) : '—');
  const nameOf = (id: string) =>
    attachments.find((a) => a.id === id)?.name ?? t('messages.receipts.attachment');
  return (
    <DataTable
      caption={t('messages.receipts.caption')}
      isCaptionShown
      className="zegel-receipts"
      rows={participants.filter((p) => p.role !== 'sender')}
      rowKey={(p) => p.id}
      rowAttributes={(p) => ({ 'data-participant': p.name })}
      columns={[
        {
          header: t('messages.receipts.recipient'),
          isRowHeader: true,
          cell: (p) => <RecipientCell participant={p} />,
        },
        { header: t('messages.receipts.state'), cell: (p) => <StateCell participant={p} time={time} /> },
        { header: t('messages.status.sent'), cell: (p) => time(p.sentAt) },
        { header: t('messages.status.delivered'), cell: (p) => time(p.deliveredAt) },
        {
          header: t('messages.status.verified'),
          cell: (p) => (p.kind === 'guest' ? time(p.verifiedAt) : '—'),
        },
        { header: t('messages.status.opened'), cell: (p) => time(p.openedAt) },
        {
          header: t('messages.receipts.downloads'),
          cell: (p) => <DownloadsCell participant={p} time={time} nameOf={nameOf} />,
        },
        actions && { header: t('common.actions'), cell: actions },
      ]}
    />
  );
}

type FormatTime = (value: string | null) => string;

function RecipientCell({ participant: p }: { participant: Participant }) {
  const { t } = useTranslation();
  return (
    <>
      {p.name}
      <span className="zegel-receipts__meta">
        {t(`messages.roles.${p.role}`)}
        {p.method ? ` · ${t(`messages.methods.${p.method}`)}` : ''}
        {p.phoneHint ? ` · ${p.phoneHint}` : ''}
      </span>
    </>
  );
}

/** The furthest step, and what went wrong or was ended, each with its time. */
function StateCell({ participant: p, time }: { participant: Participant; time: FormatTime }) {
  const { t } = useTranslation();
  return (
    <>
      {t(`messages.status.${getParticipantStatus(p)}`)}
      {p.bouncedAt ? (
        <span className="zegel-receipts__meta">
          {t('messages.receipts.bouncedAt', { time: time(p.bouncedAt), reason: p.bounceReason ?? '' })}
        </span>
      ) : null}
      {p.revokedAt ? (
        <span className="zegel-receipts__meta">
          {t('messages.receipts.revokedAt', { time: time(p.revokedAt) })}
        </span>
      ) : null}
      {p.lockedAt ? (
        <span className="zegel-receipts__meta">
          {t(p.state === 'locked' ? 'messages.receipts.lockedUntil' : 'messages.receipts.lockedAt', {
            time: time(p.lockedAt),
            until: time(p.lockedUntil),
          })}
        </span>
      ) : null}
      {p.noCodeAt ? (
        <span className="zegel-receipts__meta">
          {t('messages.receipts.noCodeAt', { time: time(p.noCodeAt) })}
        </span>
      ) : null}
    </>
  );
}

function DownloadsCell({
  participant: p,
  time,
  nameOf,
}: {
  participant: Participant;
  time: FormatTime;
  nameOf: (id: string) => string;
}) {
  if (p.downloads.length === 0 && p.fileDownloads.length === 0) return '—';
  return (
    <ul className="zegel-plain-list">
      {p.downloads.map((d) => (
        <li key={`${d.attachmentId}-${d.at}`}>
          {nameOf(d.attachmentId)}: {time(d.at)}
        </li>
      ))}
      {p.fileDownloads.map((d) => (
        <li key={`${d.fileId}-${d.at}`}>
          {nameOf(d.fileId)}: {time(d.at)}
        </li>
      ))}
    </ul>
  );
}
