import type { GatewayDecision, GatewayOverview, GatewaySettings } from '@zegel/protocol/api';
import { type FormEvent, useEffect, useState } from 'react';
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

const loadOverview = () => api.get<GatewayOverview>('/api/admin/gateway');

/** The mail gateway: the organisation's rules and what the gateway recently decided, and why. */
export function GatewaySection() {
  const { t } = useTranslation();
  const overview = useLoad(loadOverview);
  return (
    <>
      <p className="utrecht-paragraph">{t('admin.gateway.intro')}</p>
      <ErrorAlert error={overview.error} />
      {overview.data === undefined ? (
        overview.error ? null : (
          <Loading />
        )
      ) : (
        <>
          <RulesSection settings={overview.data.settings} onSaved={() => void overview.reload()} />
          <DecisionsSection decisions={overview.data.decisions} />
        </>
      )}
    </>
  );
}

function RulesSection({ settings, onSaved }: { settings: GatewaySettings; onSaved: () => void }) {
  const { t } = useTranslation();
  const [alwaysSecure, setAlwaysSecure] = useState(settings.alwaysSecure);
  const [tags, setTags] = useState(settings.subjectTags.join(' '));
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  useEffect(() => {
    setAlwaysSecure(settings.alwaysSecure);
    setTags(settings.subjectTags.join(' '));
  }, [settings]);

  async function save(event: FormEvent) {
    event.preventDefault();
    setIsBusy(true);
    setError(null);
    setNotice(null);
    try {
      const subjectTags = [...new Set(tags.split(/\s+/).filter(Boolean))];
      await api.patch<GatewaySettings>('/api/admin/gateway/settings', { alwaysSecure, subjectTags });
      setNotice(t('admin.gateway.saved'));
      onSaved();
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setIsBusy(false);
    }
  }

  return (
    <Section title={t('admin.gateway.rules')} id="gateway-rules">
      <ErrorAlert error={error} />
      {notice ? <Alert type="ok">{notice}</Alert> : null}
      <form className="zegel-form" onSubmit={(event) => void save(event)} noValidate>
        <TextField
          id="gateway-tags"
          label={t('admin.gateway.tags')}
          description={t('admin.gateway.tagsHint')}
          value={tags}
          onChange={setTags}
        />
        <CheckboxField
          id="gateway-always-secure"
          label={t('admin.gateway.alwaysSecure')}
          description={t('admin.gateway.alwaysSecureHint')}
          checked={alwaysSecure}
          onChange={setAlwaysSecure}
        />
        <div className="zegel-actions">
          <Button type="submit" purpose="primary" isBusy={isBusy}>
            {t('admin.gateway.save')}
          </Button>
        </div>
      </form>
    </Section>
  );
}

function DecisionsSection({ decisions }: { decisions: GatewayDecision[] }) {
  const { t } = useTranslation();
  const reasons = (decision: GatewayDecision) =>
    Object.entries(decision.reasons)
      .map(([rule, count]) => `${rule} ×${count}`)
      .join(', ') || t('admin.gateway.noReason');
  return (
    <Section title={t('admin.gateway.decisions')} id="gateway-decisions">
      {decisions.length === 0 ? (
        <p className="utrecht-paragraph">{t('admin.gateway.noDecisions')}</p>
      ) : (
        <DataTable
          caption={t('admin.gateway.decisions')}
          rows={decisions}
          rowKey={(decision) => decision.id}
          columns={[
            { header: t('admin.gateway.receivedAt'), cell: (d) => formatDateTime(d.receivedAt) },
            { header: t('admin.gateway.sender'), cell: (d) => d.sender },
            { header: t('admin.gateway.outcome'), cell: (d) => t(`admin.gateway.outcomes.${d.outcome}`) },
            { header: t('admin.gateway.reasons'), cell: reasons },
            {
              header: t('admin.gateway.recipients'),
              cell: (d) => (
                <ul className="utrecht-unordered-list">
                  {d.recipients.map((r) => (
                    <li key={r.address}>
                      {r.address}: {t(`admin.gateway.routes.${r.route}`)}
                      {r.reason ? ` (${t(`admin.gateway.heldReasons.${r.reason}`)})` : ''}
                    </li>
                  ))}
                </ul>
              ),
            },
          ]}
        />
      )}
    </Section>
  );
}
