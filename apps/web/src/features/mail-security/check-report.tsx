import { Heading } from '@nl-design-system-candidate/heading-react';
import type { BulkRowStatus, MailCheckStatus, MailDomainCheck } from '@zegel/protocol/api';
import { useTranslation } from 'react-i18next';
import { Alert, DataTable, formatDateTime } from '../../ui/index.ts';

type Tone = 'good' | 'bad' | 'warn' | 'neutral';

const checkTone: Record<MailCheckStatus, { tone: Tone; icon: string }> = {
  pass: { tone: 'good', icon: '✓' },
  fail: { tone: 'bad', icon: '✗' },
  warning: { tone: 'warn', icon: '!' },
  info: { tone: 'neutral', icon: 'i' },
  not_tested: { tone: 'neutral', icon: '–' },
  error: { tone: 'warn', icon: '?' },
};

const rowTone: Record<BulkRowStatus, { tone: Tone; icon: string }> = {
  ready: { tone: 'good', icon: '✓' },
  not_ready: { tone: 'bad', icon: '✗' },
  error: { tone: 'warn', icon: '?' },
  invalid: { tone: 'neutral', icon: '!' },
};

/** A status shown with an icon and a word, so it does not depend on colour. */
function Badge({ tone, icon, label }: { tone: Tone; icon: string; label: string }) {
  return (
    <span className={`zegel-mail-status zegel-mail-status--${tone}`}>
      <span className="zegel-mail-status__icon" aria-hidden="true">
        {icon}
      </span>
      {label}
    </span>
  );
}

export function CheckStatusBadge({ status }: { status: MailCheckStatus }) {
  const { t } = useTranslation();
  return <Badge {...checkTone[status]} label={t(`mailSecurity.statuses.${status}`)} />;
}

export function ReadyBadge({ status }: { status: BulkRowStatus }) {
  const { t } = useTranslation();
  return <Badge {...rowTone[status]} label={t(`mailSecurity.ready.${status}`)} />;
}

/** One domain's result: score, decision, every check with its status, and what to fix. */
export function CheckReport({ check, headingLevel = 3 }: { check: MailDomainCheck; headingLevel?: 2 | 3 }) {
  const { t, i18n } = useTranslation();
  const isEnglish = i18n.language.startsWith('en');
  const headingId = `mail-report-${check.id}`;
  return (
    <article className="zegel-mail-report" aria-labelledby={headingId}>
      <Heading level={headingLevel} id={headingId} className={`utrecht-heading-${headingLevel}`}>
        {t('mailSecurity.report.title', { domain: check.domain })}
      </Heading>
      {check.input !== check.domain ? (
        <p className="utrecht-paragraph zegel-muted">
          {t('mailSecurity.report.idn', { input: check.input })}
        </p>
      ) : null}
      <div className="zegel-mail-summary">
        {check.complete ? (
          <span className="zegel-mail-score">{t('mailSecurity.report.score', { score: check.score })}</span>
        ) : (
          <span className="zegel-mail-score">{t('mailSecurity.report.noScore')}</span>
        )}
        <ReadyBadge status={readinessOf(check)} />
        <span>
          {t('mailSecurity.report.decision')}: <strong>{t(`mailSecurity.delivery.${check.delivery}`)}</strong>
        </span>
        <span className="zegel-muted">{formatDateTime(check.checkedAt)}</span>
      </div>
      <p className="utrecht-paragraph">{t(`mailSecurity.deliveryExplained.${check.delivery}`)}</p>
      {!check.complete ? <Alert type="warning">{t('mailSecurity.report.incomplete')}</Alert> : null}
      <DataTable
        caption={t('mailSecurity.report.checksCaption', { domain: check.domain })}
        rows={check.checks}
        rowKey={(c) => c.id}
        columns={[
          {
            header: t('mailSecurity.report.check'),
            isRowHeader: true,
            cell: (c) => t(`mailSecurity.checkNames.${c.id}`, { defaultValue: c.id }),
          },
          { header: t('mailSecurity.report.status'), cell: (c) => <CheckStatusBadge status={c.status} /> },
          {
            header: t('mailSecurity.report.detail'),
            className: 'zegel-mail-detail',
            // A check that could not run has a resolver's or server's own words as detail: say it
            // in the reader's language instead (the raw detail stays in the English view).
            cell: (c) =>
              c.status === 'error' && !isEnglish ? t('mailSecurity.report.couldNotRun') : c.detail,
          },
        ]}
      />
      {check.advice.length > 0 ? (
        <>
          <Heading
            level={headingLevel === 2 ? 3 : 4}
            className={`utrecht-heading-${headingLevel === 2 ? 3 : 4}`}
          >
            {t('mailSecurity.report.advice')}
          </Heading>
          <ul className="utrecht-unordered-list zegel-mail-advice">
            {check.advice.map((a) => (
              <li className="utrecht-unordered-list__item" key={a.id}>
                <strong>{t(`mailSecurity.checkNames.${a.id}`, { defaultValue: a.id })}:</strong>{' '}
                {isEnglish ? a.en : a.nl}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </article>
  );
}

/**
 * A polite live region that is always in the page (so screen readers announce changes to it):
 * what is being checked while busy, the outcome when done.
 */
export function ProgressStatus({ isBusy, text }: { isBusy: boolean; text: string }) {
  return (
    <p className="utrecht-paragraph zegel-mail-progress" role="status" aria-live="polite">
      {isBusy ? <span className="zegel-spinner" aria-hidden="true" /> : null}
      {text}
    </p>
  );
}

/**
 * A verdict only for a check that ran: one that could not finish (no DNS answer, a silent
 * server) is "Niet te controleren", not "Niet klaar".
 */
export function readinessOf(check: Pick<MailDomainCheck, 'complete' | 'isReady'>) {
  if (!check.complete) return 'error' as const;
  return check.isReady ? ('ready' as const) : ('not_ready' as const);
}
