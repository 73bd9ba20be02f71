import type { AuditEvent, AuditPage, User } from '@zegel/protocol/api';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiError, api, toApiError } from '../../api/index.ts';
import {
  Button,
  DataTable,
  EmptyState,
  ErrorAlert,
  formatDateTime,
  Loading,
  Section,
  SelectField,
  TextField,
  useLoad,
} from '../../ui/index.ts';
import { loadUsers } from './users-section.tsx';

interface Filters {
  from: string;
  to: string;
  userId: string;
  subject: string;
  action: string;
}

const emptyFilters: Filters = { from: '', to: '', userId: '', subject: '', action: '' };
const PAGE_SIZE = 50;

/** Query parameters for the audit API; dates are whole local days. */
function toQuery(filters: Filters): URLSearchParams {
  const query = new URLSearchParams();
  if (filters.from) query.set('from', new Date(`${filters.from}T00:00:00`).toISOString());
  if (filters.to) query.set('to', new Date(`${filters.to}T23:59:59.999`).toISOString());
  if (filters.userId) query.set('userId', filters.userId);
  if (filters.subject.trim()) query.set('subject', filters.subject.trim());
  if (filters.action.trim()) query.set('action', filters.action.trim());
  return query;
}

/** The NEN 7513 audit trail: filter by period, user, subject and action; page back; export. */
export function AuditSection() {
  const { t } = useTranslation();
  const users = useLoad(loadUsers);
  const [draft, setDraft] = useState<Filters>(emptyFilters);
  const [filters, setFilters] = useState<Filters>(emptyFilters);
  const [events, setEvents] = useState<AuditEvent[] | null>(null);
  const [nextBefore, setNextBefore] = useState<number | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [isLoading, setIsLoading] = useState(false);

  async function fetchPage(active: Filters, before: number | null): Promise<AuditPage> {
    const query = toQuery(active);
    query.set('limit', String(PAGE_SIZE));
    if (before !== null) query.set('before', String(before));
    return api.get<AuditPage>(`/api/admin/audit?${query}`);
  }

  useEffect(() => {
    let isCurrent = true;
    setIsLoading(true);
    setError(null);
    const query = toQuery(filters);
    query.set('limit', String(PAGE_SIZE));
    api.get<AuditPage>(`/api/admin/audit?${query}`).then(
      (page) => {
        if (!isCurrent) return;
        setEvents(page.events);
        setNextBefore(page.nextBefore);
        setIsLoading(false);
      },
      (caught: unknown) => {
        if (!isCurrent) return;
        setError(toApiError(caught));
        setIsLoading(false);
      },
    );
    return () => {
      isCurrent = false;
    };
  }, [filters]);

  async function loadMore() {
    if (nextBefore === null) return;
    setIsLoading(true);
    try {
      const page = await fetchPage(filters, nextBefore);
      setEvents((current) => [...(current ?? []), ...page.events]);
      setNextBefore(page.nextBefore);
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setIsLoading(false);
    }
  }

  function apply(event: FormEvent) {
    event.preventDefault();
    setFilters({ ...draft });
  }

  const exportQuery = toQuery(filters).toString();
  const userOptions = [
    { value: '', label: t('admin.audit.allUsers') },
    ...(users.data ?? []).map((u: User) => ({ value: u.id, label: `${u.name} (${u.email})` })),
  ];

  return (
    <>
      <Section title={t('admin.audit.filters')} id="audit-filters">
        <form className="zegel-form zegel-filter-form" onSubmit={apply} noValidate>
          <TextField
            id="audit-from"
            label={t('admin.audit.from')}
            type="date"
            value={draft.from}
            onChange={(from) => setDraft({ ...draft, from })}
          />
          <TextField
            id="audit-to"
            label={t('admin.audit.to')}
            type="date"
            value={draft.to}
            onChange={(to) => setDraft({ ...draft, to })}
          />
          <SelectField
            id="audit-user"
            label={t('admin.audit.user')}
            value={draft.userId}
            onChange={(userId) => setDraft({ ...draft, userId })}
            options={userOptions}
          />
          <TextField
            id="audit-subject"
            label={t('admin.audit.subject')}
            description={t('admin.audit.subjectDescription')}
            value={draft.subject}
            onChange={(subject) => setDraft({ ...draft, subject })}
          />
          <TextField
            id="audit-action"
            label={t('admin.audit.action')}
            value={draft.action}
            onChange={(action) => setDraft({ ...draft, action })}
            placeholder="auth.sign_in"
          />
          <div className="zegel-actions">
            <Button type="submit" purpose="primary">
              {t('admin.audit.apply')}
            </Button>
            <Button
              purpose="subtle"
              onClick={() => {
                setDraft(emptyFilters);
                setFilters(emptyFilters);
              }}
            >
              {t('admin.audit.clear')}
            </Button>
          </div>
        </form>
        <p className="utrecht-paragraph zegel-export">
          {t('admin.audit.export')}{' '}
          <a
            className="utrecht-link"
            href={`/api/admin/audit/export?format=csv${exportQuery ? `&${exportQuery}` : ''}`}
            download
          >
            CSV
          </a>{' '}
          ·{' '}
          <a
            className="utrecht-link"
            href={`/api/admin/audit/export?format=json${exportQuery ? `&${exportQuery}` : ''}`}
            download
          >
            JSON
          </a>
        </p>
      </Section>
      <Section title={t('admin.audit.events')} id="audit-events">
        <ErrorAlert error={error} />
        {events === null ? (
          isLoading ? (
            <Loading />
          ) : null
        ) : events.length === 0 ? (
          <EmptyState>{t('admin.audit.empty')}</EmptyState>
        ) : (
          <AuditTable events={events} />
        )}
        {isLoading && events !== null ? <Loading /> : null}
        {nextBefore !== null ? (
          <div className="zegel-actions">
            <Button onClick={() => void loadMore()} isBusy={isLoading}>
              {t('admin.audit.more')}
            </Button>
          </div>
        ) : null}
      </Section>
    </>
  );
}

function AuditTable({ events }: { events: AuditEvent[] }) {
  const { t } = useTranslation();
  return (
    <DataTable
      caption={t('admin.audit.events')}
      className="zegel-audit-table"
      rows={events}
      rowKey={(event) => event.id}
      columns={[
        { header: t('admin.audit.time'), cell: (event) => formatDateTime(event.occurredAt) },
        {
          header: t('admin.audit.action'),
          cell: (event) => (
            <span title={event.action}>
              {t(`admin.audit.actionLabels.${event.action}`, { defaultValue: event.action })}
            </span>
          ),
        },
        { header: t('admin.audit.outcome'), cell: (event) => t(`admin.audit.outcomes.${event.outcome}`) },
        {
          header: t('admin.audit.user'),
          cell: (event) => (
            <>
              {event.actorName ?? '—'}
              {event.actorRole ? <span className="zegel-muted"> ({event.actorRole})</span> : null}
            </>
          ),
        },
        {
          header: t('admin.audit.object'),
          cell: (event) =>
            event.objectType
              ? `${event.objectType}${event.objectId ? ` ${event.objectId.slice(0, 8)}` : ''}`
              : '—',
        },
        { header: t('admin.audit.subject'), cell: (event) => event.subjectPerson ?? '—' },
        { header: t('admin.audit.accessPoint'), cell: (event) => event.accessIp ?? '—' },
      ]}
    />
  );
}
