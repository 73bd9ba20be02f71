import type { ConversationDetail, DeliveryReport } from '@zegel/protocol/api';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../../api/index.ts';
import { Button, DataTable, ErrorAlert, Loading, Page, useLoad } from '../../ui/index.ts';
import { ReceiptsTable } from '../conversations/index.ts';
import type { UnlockedKeys } from '../keys/index.ts';
import { KeysGate, toPrivateKeyMap } from '../keys/index.ts';
import { useOpenedItems } from './conversation-page.tsx';
import './messages.css';

/** Proof of delivery: participants with receipts and the event log, laid out to print. */
export function ReportPage() {
  return <KeysGate>{(keys) => <Report keys={keys} />}</KeysGate>;
}

function Report({ keys }: { keys: UnlockedKeys }) {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const loadReport = useCallback(() => api.get<DeliveryReport>(`/api/conversations/${id}/report`), [id]);
  const loadDetail = useCallback(() => api.get<ConversationDetail>(`/api/conversations/${id}`), [id]);
  const report = useLoad(loadReport);
  const detail = useLoad(loadDetail);
  const [privateKeys] = useState(() => toPrivateKeyMap(keys));
  const opened = useOpenedItems(detail.data?.items, privateKeys);
  const format = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'long', timeStyle: 'medium' });
  const attachments: { id: string; name: string }[] = (opened ?? []).flatMap((o) => [
    ...(o.content?.attachments ?? []),
    ...(o.content?.files ?? []),
  ]);
  const subject = opened?.[0]?.content?.subject;

  if (!report.data) return report.error ? <ErrorAlert error={report.error} /> : <Loading />;
  const data = report.data;
  const nameOf = (attachmentId: string | null) =>
    attachmentId ? (attachments.find((a) => a.id === attachmentId)?.name ?? attachmentId) : '';

  return (
    <Page title={t('messages.report.title')} wide>
      <div className="zegel-actions zegel-no-print">
        <Button purpose="primary" onClick={() => window.print()}>
          {t('messages.report.print')}
        </Button>
        <Link className="utrecht-link" to={`/conversations/${id}`}>
          {t('messages.report.back')}
        </Link>
      </div>
      <dl className="zegel-report-facts">
        <dt>{t('messages.report.organisation')}</dt>
        <dd>{data.organisation}</dd>
        <dt>{t('messages.report.subject')}</dt>
        <dd>{subject ?? '—'}</dd>
        <dt>{t('messages.report.sender')}</dt>
        <dd>{data.sender.name}</dd>
        <dt>{t('messages.report.created')}</dt>
        <dd>{format.format(new Date(data.createdAt))}</dd>
        <dt>{t('messages.report.expires')}</dt>
        <dd>{format.format(new Date(data.expiresAt))}</dd>
        <dt>{t('messages.report.generated')}</dt>
        <dd>{format.format(new Date(data.generatedAt))}</dd>
        <dt>{t('messages.report.reference')}</dt>
        <dd>
          <code className="utrecht-code">{data.conversationId}</code>
        </dd>
      </dl>
      <ReceiptsTable participants={data.participants} attachments={attachments} />
      <DataTable
        caption={t('messages.report.events')}
        isCaptionShown
        className="zegel-report-events"
        rows={data.events}
        rowKey={(_event, index) => index}
        columns={[
          { header: t('messages.report.time'), cell: (event) => format.format(new Date(event.at)) },
          {
            header: t('messages.report.event'),
            cell: (event) => t(`messages.events.${event.type}`, { defaultValue: event.type }),
          },
          { header: t('messages.receipts.recipient'), cell: (event) => event.recipient ?? '—' },
          {
            header: t('messages.receipts.attachment'),
            cell: (event) => nameOf(event.attachmentId ?? event.fileId) || '—',
          },
        ]}
      />
    </Page>
  );
}
