import { type BulkCheck, MailSecurityLimits } from '@zegel/protocol/api';
import { type ChangeEvent, type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiError, api, toApiError } from '../../api/index.ts';
import { Alert, Button, DataTable, ErrorAlert, Section, TextAreaField } from '../../ui/index.ts';
import { ProgressStatus, ReadyBadge } from './check-report.tsx';

const FILE_MAX_BYTES = MailSecurityLimits.bulkMaxCsvChars;

/** A list of partner domains in (pasted or a CSV file), a table out: who is ready, who is not. */
export function BulkCheckSection({ onChecked }: { onChecked: () => void }) {
  const { t } = useTranslation();
  const [csv, setCsv] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>(undefined);
  const [fileError, setFileError] = useState<string | undefined>(undefined);
  const [error, setError] = useState<ApiError | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  const [elapsed, setElapsed] = useState(0);
  const [result, setResult] = useState<BulkCheck | null>(null);
  const resultHeading = useRef<HTMLHeadingElement>(null);
  const lineCount = csv.split(/\r\n|\n|\r/).filter((l) => l.trim() !== '').length;

  useEffect(() => {
    if (!isBusy) return;
    const started = Date.now();
    const timer = setInterval(() => setElapsed(Math.floor((Date.now() - started) / 1000)), 5000);
    return () => clearInterval(timer);
  }, [isBusy]);

  useEffect(() => {
    if (result) resultHeading.current?.focus();
  }, [result]);

  async function readFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    if (file.size > FILE_MAX_BYTES) {
      setFileError(t('mailSecurity.bulk.fileTooLarge'));
      return;
    }
    setFileError(undefined);
    setCsv(await file.text());
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (isBusy) return;
    if (!csv.trim()) {
      setFieldError(t('mailSecurity.bulk.listRequired'));
      document.getElementById('mail-bulk-list')?.focus();
      return;
    }
    setFieldError(undefined);
    setError(null);
    setResult(null);
    setElapsed(0);
    setIsBusy(true);
    try {
      setResult(await api.post<BulkCheck>('/api/admin/mail-security/bulk', { csv }));
      onChecked();
    } catch (caught) {
      const apiError = toApiError(caught);
      if (apiError.code === 'validation_failed') {
        setFieldError(apiError.message);
        document.getElementById('mail-bulk-list')?.focus();
      }
      setError(apiError);
    } finally {
      setIsBusy(false);
    }
  }

  return (
    <Section title={t('mailSecurity.bulk.title')} id="mail-bulk">
      <p className="utrecht-paragraph">
        {t('mailSecurity.bulk.intro', { max: MailSecurityLimits.bulkMaxDomains })}
      </p>
      <form className="zegel-form" onSubmit={(event) => void submit(event)} noValidate>
        <TextAreaField
          id="mail-bulk-list"
          label={t('mailSecurity.bulk.list')}
          description={t('mailSecurity.bulk.listDescription')}
          value={csv}
          onChange={setCsv}
          error={fieldError}
          rows={8}
        />
        <div className="utrecht-form-field utrecht-form-field--text zegel-mail-file">
          <div className="utrecht-form-field__label">
            <label className="utrecht-form-label" htmlFor="mail-bulk-file">
              {t('mailSecurity.bulk.file')}
            </label>
          </div>
          {fileError ? (
            <div
              className="utrecht-form-field__error-message utrecht-form-field-error-message"
              id="mail-bulk-file-error"
            >
              {fileError}
            </div>
          ) : null}
          <div className="utrecht-form-field__input">
            <input
              id="mail-bulk-file"
              type="file"
              accept=".csv,.txt,text/csv,text/plain"
              onChange={(event) => void readFile(event)}
              aria-describedby={fileError ? 'mail-bulk-file-error' : undefined}
              aria-invalid={fileError ? true : undefined}
            />
          </div>
        </div>
        <div className="zegel-actions">
          <Button type="submit" purpose="primary" isBusy={isBusy}>
            {t('mailSecurity.bulk.submit')}
          </Button>
        </div>
      </form>
      <ProgressStatus
        isBusy={isBusy}
        text={
          isBusy
            ? t('mailSecurity.bulk.busy', { count: lineCount, seconds: elapsed })
            : result
              ? t('mailSecurity.bulk.done', { ready: result.counts.ready, total: result.rows.length })
              : ''
        }
      />
      {error && error.code !== 'validation_failed' ? <ErrorAlert error={error} /> : null}
      {result ? <BulkResult result={result} headingRef={resultHeading} /> : null}
    </Section>
  );
}

function BulkResult({
  result,
  headingRef,
}: {
  result: BulkCheck;
  headingRef: React.RefObject<HTMLHeadingElement | null>;
}) {
  const { t } = useTranslation();
  return (
    <div className="zegel-mail-report">
      <h3 className="utrecht-heading-3" ref={headingRef} tabIndex={-1}>
        {t('mailSecurity.bulk.resultTitle', { ready: result.counts.ready, total: result.rows.length })}
      </h3>
      <p className="utrecht-paragraph">
        {t('mailSecurity.bulk.counts', {
          ready: result.counts.ready,
          notReady: result.counts.notReady,
          error: result.counts.error,
          invalid: result.counts.invalid,
        })}
      </p>
      {!result.complete ? <Alert type="warning">{t('mailSecurity.bulk.incomplete')}</Alert> : null}
      <p className="utrecht-paragraph">
        <a className="utrecht-link" href={`/api/admin/mail-security/bulk/${result.id}.csv`} download>
          {t('mailSecurity.bulk.download')}
        </a>
      </p>
      <DataTable
        caption={t('mailSecurity.bulk.tableCaption')}
        rows={result.rows}
        rowKey={(row) => row.line}
        columns={[
          { header: t('mailSecurity.table.line'), cell: (row) => row.line },
          {
            header: t('mailSecurity.table.domain'),
            isRowHeader: true,
            cell: (row) => row.domain ?? row.input,
          },
          { header: t('mailSecurity.table.ready'), cell: (row) => <ReadyBadge status={row.status} /> },
          { header: t('mailSecurity.table.score'), cell: (row) => row.score ?? '–' },
          {
            header: t('mailSecurity.table.delivery'),
            cell: (row) => (row.delivery ? t(`mailSecurity.delivery.${row.delivery}`) : '–'),
          },
          {
            header: t('mailSecurity.table.failing'),
            className: 'zegel-mail-detail',
            cell: (row) =>
              row.error ??
              (row.failing.length > 0
                ? row.failing.map((id) => t(`mailSecurity.checkNames.${id}`, { defaultValue: id })).join(', ')
                : t('mailSecurity.bulk.nothingFailing')),
          },
        ]}
      />
    </div>
  );
}
