import { type DlpPolicyResponse, type DlpRules, dlpRuleNames } from '@zegel/protocol/api';
import { findingTypes, PolicyAction } from '@zegel/protocol/dlp';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiError, api, toApiError } from '../../api/index.ts';
import {
  Alert,
  Button,
  ErrorAlert,
  Loading,
  Section,
  SelectField,
  TextAreaField,
  useLoad,
} from '../../ui/index.ts';

const loadPolicy = () => api.get<DlpPolicyResponse>('/api/dlp/policy');
const DOMAIN = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}$/;
const contentRules = dlpRuleNames.filter((r) => (findingTypes as readonly string[]).includes(r));
const recipientRules = dlpRuleNames.filter((r) => !(findingTypes as readonly string[]).includes(r));

/** "Lekpreventie": the level of each rule and the exempt domains of the organisation. */
export function DlpPolicySection() {
  const policy = useLoad(loadPolicy);
  if (policy.data === undefined) return policy.error ? <ErrorAlert error={policy.error} /> : <Loading />;
  return <DlpPolicyForm policy={policy.data} />;
}

function DlpPolicyForm({ policy }: { policy: DlpPolicyResponse }) {
  const { t } = useTranslation();
  const [rules, setRules] = useState<DlpRules>(policy.rules);
  const [exempt, setExempt] = useState(policy.exemptDomains.join('\n'));
  const [exemptError, setExemptError] = useState<string | undefined>();
  const [error, setError] = useState<ApiError | null>(null);
  const [isSaved, setIsSaved] = useState(false);
  const [isBusy, setIsBusy] = useState(false);
  const options = Object.values(PolicyAction).map((action) => ({
    value: action,
    label: t(`dlp.actions.${action}`),
  }));

  async function save(event: FormEvent) {
    event.preventDefault();
    setIsSaved(false);
    setError(null);
    const domains = [
      ...new Set(
        exempt
          .split(/[\s,;]+/)
          .map((d) => d.trim().toLowerCase())
          .filter((d) => d !== ''),
      ),
    ];
    const bad = domains.find((d) => !DOMAIN.test(d) || /[0-9]{5}/.test(d));
    if (bad) {
      setExemptError(t('dlp.admin.exemptDomainsInvalid', { domain: bad }));
      document.getElementById('dlp-exempt')?.focus();
      return;
    }
    setExemptError(undefined);
    setIsBusy(true);
    try {
      const saved = await api.patch<DlpPolicyResponse>('/api/admin/dlp/policy', {
        rules,
        exemptDomains: domains,
      });
      setRules(saved.rules);
      setExempt(saved.exemptDomains.join('\n'));
      setIsSaved(true);
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setIsBusy(false);
    }
  }

  const select = (rule: keyof DlpRules) => (
    <SelectField
      key={rule}
      id={`dlp-rule-${rule}`}
      label={t(`dlp.rules.${rule}`)}
      description={t(`dlp.why.${rule}`)}
      value={rules[rule]}
      options={options}
      onChange={(value) => setRules((current) => ({ ...current, [rule]: value as PolicyAction }))}
    />
  );

  return (
    <Section title={t('dlp.title')} id="dlp-policy">
      <p className="utrecht-paragraph">{t('dlp.admin.intro')}</p>
      <ul className="utrecht-unordered-list">
        {Object.values(PolicyAction).map((action) => (
          <li key={action} className="utrecht-unordered-list__item">
            {t(`dlp.admin.levelHelp.${action}`)}
          </li>
        ))}
      </ul>
      <ErrorAlert error={error} />
      {isSaved ? <Alert type="ok">{t('dlp.admin.saved')}</Alert> : null}
      <form className="zegel-form" onSubmit={(event) => void save(event)} noValidate>
        <fieldset className="utrecht-form-fieldset zegel-fieldset">
          <legend className="utrecht-form-fieldset__legend">{t('dlp.admin.contentRules')}</legend>
          {contentRules.map(select)}
        </fieldset>
        <fieldset className="utrecht-form-fieldset zegel-fieldset">
          <legend className="utrecht-form-fieldset__legend">{t('dlp.admin.recipientRules')}</legend>
          {recipientRules.map(select)}
        </fieldset>
        <TextAreaField
          id="dlp-exempt"
          label={t('dlp.admin.exemptDomains')}
          description={t('dlp.admin.exemptDomainsHelp')}
          value={exempt}
          onChange={setExempt}
          error={exemptError}
        />
        <div className="zegel-actions">
          <Button type="submit" purpose="primary" isBusy={isBusy}>
            {t('dlp.admin.save')}
          </Button>
        </div>
      </form>
    </Section>
  );
}
