import type { Participant } from '@zegel/protocol/api';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
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
  actions?: (participant: Participant) => React.ReactNode;
}) {
  const { t, i18n } = useTranslation();
  const format = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'short', timeStyle: 'short' });
  const time = (value: string | null) => (value ? format.format(new Date(value)) : '—');
  const nameOf = (id: string) =>
    attachments.find((a) => a.id === id)?.name ?? t('messages.receipts.attachment');
  const rows = participants.filter((p) => p.role !== 'sender');
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable table must be reachable by keyboard (WCAG 2.1.1).
    <section className="zegel-table-scroll" tabIndex={0} aria-label={t('messages.receipts.caption')}>
      <table className="utrecht-table zegel-table zegel-receipts">
        <caption className="utrecht-table__caption">{t('messages.receipts.caption')}</caption>
        <thead className="utrecht-table__header">
          <tr className="utrecht-table__row">
            <th className="utrecht-table__header-cell" scope="col">
              {t('messages.receipts.recipient')}
            </th>
            <th className="utrecht-table__header-cell" scope="col">
              {t('messages.receipts.state')}
            </th>
            <th className="utrecht-table__header-cell" scope="col">
              {t('messages.status.sent')}
            </th>
            <th className="utrecht-table__header-cell" scope="col">
              {t('messages.status.delivered')}
            </th>
            <th className="utrecht-table__header-cell" scope="col">
              {t('messages.status.verified')}
            </th>
            <th className="utrecht-table__header-cell" scope="col">
              {t('messages.status.opened')}
            </th>
            <th className="utrecht-table__header-cell" scope="col">
              {t('messages.receipts.downloads')}
            </th>
            {actions ? (
              <th className="utrecht-table__header-cell" scope="col">
                {t('common.actions')}
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody className="utrecht-table__body">
          {rows.map((p) => (
            <tr key={p.id} className="utrecht-table__row" data-participant={p.name}>
              <th className="utrecht-table__header-cell" scope="row">
                {p.name}
                <span className="zegel-receipts__meta">
                  {t(`messages.roles.${p.role}`)}
                  {p.method ? ` · ${t(`messages.methods.${p.method}`)}` : ''}
                  {p.phoneHint ? ` · ${p.phoneHint}` : ''}
                </span>
              </th>
              <td className="utrecht-table__cell">
                {t(`messages.status.${getParticipantStatus(p)}`)}
                {p.bouncedAt ? (
                  <span className="zegel-receipts__meta">
                    {t('messages.receipts.bouncedAt', {
                      time: time(p.bouncedAt),
                      reason: p.bounceReason ?? '',
                    })}
                  </span>
                ) : null}
                {p.revokedAt ? (
                  <span className="zegel-receipts__meta">
                    {t('messages.receipts.revokedAt', { time: time(p.revokedAt) })}
                  </span>
                ) : null}
                {p.lockedAt ? (
                  <span className="zegel-receipts__meta">
                    {t('messages.receipts.lockedAt', { time: time(p.lockedAt) })}
                  </span>
                ) : null}
                {p.noCodeAt ? (
                  <span className="zegel-receipts__meta">
                    {t('messages.receipts.noCodeAt', { time: time(p.noCodeAt) })}
                  </span>
                ) : null}
              </td>
              <td className="utrecht-table__cell">{time(p.sentAt)}</td>
              <td className="utrecht-table__cell">{time(p.deliveredAt)}</td>
              <td className="utrecht-table__cell">{p.kind === 'guest' ? time(p.verifiedAt) : '—'}</td>
              <td className="utrecht-table__cell">{time(p.openedAt)}</td>
              <td className="utrecht-table__cell">
                {p.downloads.length === 0 && p.fileDownloads.length === 0 ? (
                  '—'
                ) : (
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
                )}
              </td>
              {actions ? <td className="utrecht-table__cell">{actions(p)}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
