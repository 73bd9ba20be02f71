import type { MailCheckHistoryPage, MailDomainCheck, MailSecuritySettings } from '@zegel/protocol/api';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiError, api, toApiError } from '../../api/index.ts';
import {
  Alert,
  Button,
  CheckboxField,
  DataTable,
  ErrorAlert,
  formatDateTime,
  Loading,
  Section,
  TextField,
  useLoad,
} from '../../ui/index.ts';
import { BulkCheckSection } from './bulk-check-section.tsx';
import { CheckReport, ProgressStatus, ReadyBadge, readinessOf } from './check-report.tsx';
import './mail-security.css';

const base = '/api/admin/mail-security';
const HISTORY_PAGE = 20;

/**
 * Mail domains: check a partner's domain (internet.nl-grade), see earlier checks, check a whole
 * list at once, and decide whether content may go by ordinary e-mail to domains that pass.
 */
export function MailSecuritySection() {
  const { t } = useTranslation();
  const [historyVersion, setHistoryVersion] = useState(0);
  const refreshHistory = useCallback(() => setHistoryVersion((v) => v + 1), []);
  return (
    <>
      <p className="utrecht-paragraph">{t('mailSecurity.intro')}</p>
      <CheckOneSection onChecked={refreshHistory} />
      <BulkCheckSection onChecked={refreshHistory} />
      <HistorySection version={historyVersion} />
      <DirectDeliverySection />
    </>
  );
}

function CheckOneSection({ onChecked }: { onChecked: () => void }) {
  const { t } = useTranslation();
  const [domain, setDomain] = useState('');
  const [selectors, setSelectors] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>(undefined);
  const [error, setError] = useState<ApiError | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  const [result, setResult] = useState<MailDomainCheck | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (isBusy) return;
    const name = domain.trim();
    if (!name) {
      setFieldError(t('mailSecurity.check.domainRequired'));
      document.getElementById('mail-domain')?.focus();
      return;
    }
    setFieldError(undefined);
    setError(null);
    setResult(null);
    setIsBusy(true);
    try {
      const list = selectors.split(/[\s,]+/).filter(Boolean);
      const check = await api.post<MailDomainCheck>(`${base}/checks`, {
        domain: name,
        ...(list.length > 0 ? { selectors: list } : {}),
      });
      setResult(check);
      onChecked();
    } catch (caught) {
      const apiError = toApiError(caught);
      if (apiError.code === 'validation_failed') {
        setFieldError(t('mailSecurity.check.domainInvalid', { message: apiError.message }));
        document.getElementById('mail-domain')?.focus();
      } else setError(apiError);
    } finally {
      setIsBusy(false);
    }
  }

  return (
    <Section title={t('mailSecurity.check.title')} id="mail-check">
      <form className="zegel-form" onSubmit={(event) => void submit(event)} noValidate>
        <TextField
          id="mail-domain"
          label={t('mailSecurity.check.domain')}
          description={t('mailSecurity.check.domainDescription')}
          value={domain}
          onChange={setDomain}
          error={fieldError}
          autoComplete="off"
          spellCheck={false}
          inputMode="url"
        />
        <TextField
          id="mail-selectors"
          label={t('mailSecurity.check.selectors')}
          description={t('mailSecurity.check.selectorsDescription')}
          value={selectors}
          onChange={setSelectors}
          autoComplete="off"
          spellCheck={false}
        />
        <div className="zegel-actions">
          <Button type="submit" purpose="primary" isBusy={isBusy}>
            {t('mailSecurity.check.submit')}
          </Button>
        </div>
      </form>
      <ProgressStatus
        isBusy={isBusy}
        text={
          isBusy
            ? t('mailSecurity.check.busy', { domain: domain.trim() })
            : result
              ? t('mailSecurity.check.done', { domain: result.domain, score: result.score })
              : ''
        }
      />
      <ErrorAlert error={error} />
      {result ? <CheckReport check={result} /> : null}
    </Section>
  );
}

function HistorySection({ version }: { version: number }) {
  const { t } = useTranslation();
  const [filter, setFilter] = useState('');
  const [applied, setApplied] = useState('');
  const [checks, setChecks] = useState<MailDomainCheck[] | undefined>(undefined);
  const [nextBefore, setNextBefore] = useState<number | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [shown, setShown] = useState<MailDomainCheck | null>(null);

  const load = useCallback(
    async (before: number | null) => {
      const query = new URLSearchParams({ limit: String(HISTORY_PAGE) });
      if (applied) query.set('domain', applied);
      if (before !== null) query.set('before', String(before));
      try {
        const page = await api.get<MailCheckHistoryPage>(`${base}/checks?${query}`);
        setChecks((current) => (before === null ? page.checks : [...(current ?? []), ...page.checks]));
        setNextBefore(page.nextBefore);
        setError(null);
      } catch (caught) {
        setError(toApiError(caught));
        setChecks((current) => current ?? []);
      }
    },
    [applied],
  );

  useEffect(() => {
    void version;
    void load(null);
  }, [load, version]);

  function search(event: FormEvent) {
    event.preventDefault();
    setShown(null);
    setApplied(filter.trim());
  }

  return (
    <Section title={t('mailSecurity.history.title')} id="mail-history">
      <form className="zegel-form zegel-filter-form" onSubmit={search} noValidate>
        <TextField
          id="mail-history-domain"
          label={t('mailSecurity.history.filter')}
          value={filter}
          onChange={setFilter}
          autoComplete="off"
          spellCheck={false}
        />
        <div className="zegel-actions">
          <Button type="submit">{t('mailSecurity.history.search')}</Button>
          <a className="utrecht-link" href={`${base}/export.csv`} download>
            {t('mailSecurity.history.export')}
          </a>
        </div>
      </form>
      <ErrorAlert error={error} />
      {checks === undefined ? (
        <Loading />
      ) : (
        <HistoryTable
          checks={checks}
          shownId={shown?.id ?? null}
          onToggle={(check) => setShown(shown?.id === check.id ? null : check)}
        />
      )}
      {nextBefore !== null ? (
        <div className="zegel-actions">
          <Button onClick={() => void load(nextBefore)}>{t('mailSecurity.history.more')}</Button>
        </div>
      ) : null}
      {shown ? <CheckReport check={shown} /> : null}
    </Section>
  );
}

const loadSettings = () => api.get<MailSecuritySettings>(`${base}/settings`);

function DirectDeliverySection() {
  const { t } = useTranslation();
  const settings = useLoad(loadSettings);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  // Shown at once when clicked; put back if the server refuses.
  const [pending, setPending] = useState<boolean | null>(null);

  async function change(allow: boolean) {
    setError(null);
    setNotice(null);
    setPending(allow);
    try {
      await api.patch<MailSecuritySettings>(`${base}/settings`, { allowDirectDelivery: allow });
      await settings.reload();
      setNotice(allow ? t('mailSecurity.direct.turnedOn') : t('mailSecurity.direct.turnedOff'));
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setPending(null);
    }
  }

  return (
    <Section title={t('mailSecurity.direct.title')} id="mail-direct">
      <p className="utrecht-paragraph">{t('mailSecurity.direct.explanation')}</p>
      <ErrorAlert error={error ?? settings.error} />
      {notice ? <Alert type="ok">{notice}</Alert> : null}
      {settings.data === undefined ? (
        settings.error ? null : (
          <Loading />
        )
      ) : (
        <div className="zegel-form">
          <CheckboxField
            id="mail-direct-delivery"
            label={t('mailSecurity.direct.label')}
            description={t('mailSecurity.direct.description')}
            checked={pending ?? settings.data.allowDirectDelivery}
            onChange={(checked) => void change(checked)}
          />
        </div>
      )}
    </Section>
  );
}

function HistoryTable({
  checks,
  shownId,
  onToggle,
}: {
  checks: MailDomainCheck[];
  shownId: string | null;
  onToggle: (check: MailDomainCheck) => void;
}) {
  const { t } = useTranslation();
  return (
    <DataTable
      caption={t('mailSecurity.history.title')}
      empty={t('mailSecurity.history.empty')}
      rows={checks}
      rowKey={(check) => check.id}
      columns={[
        { header: t('mailSecurity.table.domain'), isRowHeader: true, cell: (check) => check.domain },
        { header: t('mailSecurity.history.checkedAt'), cell: (check) => formatDateTime(check.checkedAt) },
        {
          header: t('mailSecurity.table.ready'),
          cell: (check) => <ReadyBadge status={readinessOf(check)} />,
        },
        { header: t('mailSecurity.table.score'), cell: (check) => (check.complete ? check.score : '—') },
        {
          header: t('mailSecurity.table.delivery'),
          cell: (check) => t(`mailSecurity.delivery.${check.delivery}`),
        },
        {
          header: t('mailSecurity.history.by'),
          cell: (check) => check.requestedBy?.name ?? t('common.unknown'),
        },
        {
          header: t('common.actions'),
          cell: (check) => (
            <Button purpose="subtle" aria-expanded={shownId === check.id} onClick={() => onToggle(check)}>
              {shownId === check.id ? t('mailSecurity.history.hide') : t('mailSecurity.history.show')}
              <span className="zegel-visually-hidden"> {check.domain}</span>
            </Button>
          ),
        },
      ]}
    />
  );
}
