import type { OutboxItem } from '@zegel/protocol/api';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/index.ts';
import {
  Alert,
  Button,
  EmptyState,
  ErrorAlert,
  formatDateTime,
  Loading,
  Page,
  useLoad,
} from '../../ui/index.ts';
import { toMailDocument } from './to-mail-document.ts';

const loadOutbox = () => api.get<OutboxItem[]>('/api/outbox');

/** Embedded mode only: the mail and text messages Zegel would have sent. */
export function OutboxPage() {
  const { t } = useTranslation();
  const outbox = useLoad(loadOutbox);
  const isNotEmbedded = outbox.error?.status === 404;
  return (
    <Page title={t('outbox.title')} wide>
      <p className="utrecht-paragraph utrecht-paragraph--lead">{t('outbox.intro')}</p>
      {isNotEmbedded ? (
        <Alert type="info">{t('outbox.notEmbedded')}</Alert>
      ) : (
        <ErrorAlert error={outbox.error} />
      )}
      <div className="zegel-actions">
        <Button onClick={() => void outbox.reload()} isBusy={outbox.isLoading}>
          {t('outbox.refresh')}
        </Button>
      </div>
      {outbox.data === undefined ? (
        outbox.isLoading ? (
          <Loading />
        ) : null
      ) : outbox.data.length === 0 ? (
        <EmptyState>{t('outbox.empty')}</EmptyState>
      ) : (
        <ol className="zegel-outbox">
          {outbox.data.map((item) => (
            <li key={item.id} className="zegel-outbox__item">
              <article aria-labelledby={`outbox-${item.id}`}>
                <h2 className="utrecht-heading-3" id={`outbox-${item.id}`}>
                  {item.channel === 'mail' ? item.subject : t('outbox.sms')}
                </h2>
                <p className="utrecht-paragraph zegel-muted">
                  {t(item.channel === 'mail' ? 'outbox.mailTo' : 'outbox.smsTo', {
                    recipient: item.recipient,
                  })}{' '}
                  · {formatDateTime(item.createdAt)}
                </p>
                {item.htmlBody ? (
                  <iframe
                    className="zegel-outbox__frame"
                    title={t('outbox.htmlTitle', { subject: item.subject })}
                    sandbox=""
                    srcDoc={toMailDocument(item.htmlBody)}
                  />
                ) : null}
                <details className="zegel-outbox__text" open={!item.htmlBody}>
                  <summary>{t('outbox.textVersion')}</summary>
                  <pre className="zegel-pre">{item.textBody}</pre>
                </details>
              </article>
            </li>
          ))}
        </ol>
      )}
    </Page>
  );
}
