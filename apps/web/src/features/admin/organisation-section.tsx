import type { Organisation } from '@zegel/protocol/api';
import { type ChangeEvent, type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiError, api, toApiError, useSession } from '../../api/index.ts';
import {
  Alert,
  applyBranding,
  Button,
  ErrorAlert,
  getContrastRatio,
  Loading,
  Section,
  TextAreaField,
  TextField,
  useLoad,
} from '../../ui/index.ts';

const loadOrganisation = () => api.get<Organisation>('/api/admin/organisation');
const colourTokens = ['color-primary', 'color-primary-text', 'color-accent', 'color-background'] as const;
/** The neutral theme's values (theme.css), shown when a token is left empty. */
const neutralColours: Record<string, string> = {
  'color-primary': '#1f3b63',
  'color-primary-text': '#ffffff',
  'color-accent': '#0e5f6e',
  'color-background': '#f4f5f7',
};
const LOGO_TYPES = ['image/png', 'image/jpeg', 'image/webp'];
const LOGO_MAX_BYTES = 290_000;

/** Name, mail domains, trust period, branding colours with a live preview, and the logo. */
export function OrganisationSection() {
  const organisation = useLoad(loadOrganisation);
  if (organisation.data === undefined)
    return organisation.error ? <ErrorAlert error={organisation.error} /> : <Loading />;
  return <OrganisationForm organisation={organisation.data} onSaved={organisation.reload} />;
}

function OrganisationForm({
  organisation,
  onSaved,
}: {
  organisation: Organisation;
  onSaved: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const { refreshMe } = useSession();
  const [name, setName] = useState(organisation.name);
  const [domains, setDomains] = useState(organisation.mailDomains.join('\n'));
  const [days, setDays] = useState(String(organisation.trustedDeviceDays));
  const [colours, setColours] = useState<Record<string, string>>(() =>
    Object.fromEntries(colourTokens.map((token) => [token, organisation.branding[token] ?? ''])),
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const preview = useRef<HTMLElement>(null);

  useEffect(() => {
    if (preview.current)
      applyBranding(
        preview.current,
        Object.fromEntries(Object.entries(colours).filter(([, v]) => /^#[0-9a-f]{6}$/i.test(v))),
      );
  }, [colours]);

  const primary = colours['color-primary'] || '#1f3b63';
  const primaryText = colours['color-primary-text'] || '#ffffff';
  const contrast = getContrastRatio(primaryText, primary);

  async function save(event: FormEvent) {
    event.preventDefault();
    const next: Record<string, string> = {};
    if (!name.trim()) next['org-name'] = t('admin.organisation.nameRequired');
    const dayCount = Number(days);
    if (!Number.isInteger(dayCount) || dayCount < 0 || dayCount > 90)
      next['org-days'] = t('admin.organisation.daysInvalid');
    for (const token of colourTokens) {
      const value = colours[token] ?? '';
      if (value && !/^#[0-9a-fA-F]{6}$/.test(value))
        next[`org-${token}`] = t('admin.organisation.colourInvalid');
    }
    setErrors(next);
    const first = Object.keys(next)[0];
    if (first) {
      document.getElementById(first)?.focus();
      return;
    }
    setError(null);
    setNotice(null);
    try {
      const branding = Object.fromEntries(Object.entries(colours).filter(([, v]) => v));
      const fontFamily = organisation.branding['font-family'];
      await api.patch('/api/admin/organisation', {
        name: name.trim(),
        mailDomains: domains.split(/[\s,]+/).filter(Boolean),
        trustedDeviceDays: dayCount,
        branding: fontFamily ? { ...branding, 'font-family': fontFamily } : branding,
      });
      setNotice(t('admin.organisation.saved'));
      await Promise.all([onSaved(), refreshMe()]);
    } catch (caught) {
      setError(toApiError(caught));
    }
  }

  return (
    <>
      <ErrorAlert error={error} />
      {notice ? <Alert type="ok">{notice}</Alert> : null}
      <form className="zegel-form" onSubmit={(event) => void save(event)} noValidate>
        <Section title={t('admin.organisation.general')} id="org-general">
          <TextField
            id="org-name"
            label={t('admin.organisation.name')}
            value={name}
            onChange={setName}
            error={errors['org-name']}
          />
          <TextAreaField
            id="org-domains"
            label={t('admin.organisation.domains')}
            description={t('admin.organisation.domainsDescription')}
            value={domains}
            onChange={setDomains}
          />
          <TextField
            id="org-days"
            label={t('admin.organisation.days')}
            description={t('admin.organisation.daysDescription')}
            inputMode="numeric"
            value={days}
            onChange={setDays}
            error={errors['org-days']}
            className="zegel-short-input"
          />
        </Section>
        <Section title={t('admin.organisation.branding')} id="org-branding">
          <p className="utrecht-paragraph">{t('admin.organisation.brandingIntro')}</p>
          <div className="zegel-branding">
            <div className="zegel-branding__fields">
              {colourTokens.map((token) => (
                <ColourField
                  key={token}
                  token={token}
                  value={colours[token] ?? ''}
                  error={errors[`org-${token}`]}
                  onChange={(value) => setColours((current) => ({ ...current, [token]: value }))}
                />
              ))}
            </div>
            <figure className="zegel-preview" ref={preview}>
              <figcaption className="zegel-visually-hidden">{t('admin.organisation.preview')}</figcaption>
              <div className="zegel-preview__header">{name || organisation.name}</div>
              <div className="zegel-preview__body">
                <p className="utrecht-paragraph">{t('admin.organisation.previewText')}</p>
                <span className="zegel-preview__button">{t('admin.organisation.previewButton')}</span>
              </div>
            </figure>
          </div>
          {contrast < 4.5 ? (
            <Alert type="warning">
              {t('admin.organisation.lowContrast', { ratio: contrast.toFixed(1) })}
            </Alert>
          ) : (
            <p className="utrecht-paragraph zegel-muted">
              {t('admin.organisation.contrastOk', { ratio: contrast.toFixed(1) })}
            </p>
          )}
        </Section>
        <div className="zegel-actions">
          <Button type="submit" purpose="primary">
            {t('admin.organisation.submit')}
          </Button>
        </div>
      </form>
      <LogoSection hasLogo={organisation.hasLogo} onChanged={onSaved} />
    </>
  );
}

/** base64url without padding, as the logo endpoint expects; chunked so large files do not overflow the stack. */
function encodeBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function ColourField({
  token,
  value,
  error,
  onChange,
}: {
  token: string;
  value: string;
  error: string | undefined;
  onChange: (value: string) => void;
}) {
  const { t } = useTranslation();
  const id = `org-${token}`;
  return (
    <div className="zegel-colour-field">
      <TextField
        id={id}
        label={t(`admin.organisation.tokens.${token}`)}
        description={t('admin.organisation.colourDescription', {
          token: t(`admin.organisation.tokens.${token}`).toLowerCase(),
          example: neutralColours[token],
        })}
        value={value}
        onChange={onChange}
        error={error}
        placeholder={neutralColours[token]}
        className="zegel-short-input"
        spellCheck={false}
      />
      <input
        type="color"
        className="zegel-colour-picker"
        aria-label={t('admin.organisation.pick', { token: t(`admin.organisation.tokens.${token}`) })}
        value={/^#[0-9a-f]{6}$/i.test(value) ? value : (neutralColours[token] ?? '#000000')}
        onChange={(event) => onChange(event.target.value)}
      />
    </div>
  );
}

function LogoSection({ hasLogo, onChanged }: { hasLogo: boolean; onChanged: () => Promise<void> }) {
  const { t } = useTranslation();
  const { refreshMe, bumpLogoVersion } = useSession();
  const [error, setError] = useState<ApiError | null>(null);
  const [fieldError, setFieldError] = useState<string | undefined>(undefined);
  const [notice, setNotice] = useState<string | null>(null);

  async function upload(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    setError(null);
    setNotice(null);
    if (!LOGO_TYPES.includes(file.type)) return setFieldError(t('admin.organisation.logoType'));
    if (file.size > LOGO_MAX_BYTES) return setFieldError(t('admin.organisation.logoSize'));
    setFieldError(undefined);
    try {
      const data = encodeBase64Url(new Uint8Array(await file.arrayBuffer()));
      await api.put('/api/admin/organisation/logo', { type: file.type, data });
      setNotice(t('admin.organisation.logoSaved'));
      bumpLogoVersion();
      await Promise.all([onChanged(), refreshMe()]);
    } catch (caught) {
      setError(toApiError(caught));
    }
  }

  async function remove() {
    setError(null);
    try {
      await api.delete('/api/admin/organisation/logo');
      setNotice(t('admin.organisation.logoRemoved'));
      await Promise.all([onChanged(), refreshMe()]);
    } catch (caught) {
      setError(toApiError(caught));
    }
  }

  return (
    <Section title={t('admin.organisation.logo')} id="org-logo">
      <ErrorAlert error={error} />
      {notice ? <Alert type="ok">{notice}</Alert> : null}
      <div
        className={`utrecht-form-field utrecht-form-field--text${fieldError ? ' utrecht-form-field--invalid' : ''}`}
      >
        <div className="utrecht-form-field__label">
          <label className="utrecht-form-label" htmlFor="org-logo-file">
            {t('admin.organisation.logoFile')}
          </label>
        </div>
        <div
          className="utrecht-form-field__description utrecht-form-field-description"
          id="org-logo-file-description"
        >
          {t('admin.organisation.logoDescription')}
        </div>
        {fieldError ? (
          <div
            className="utrecht-form-field__error-message utrecht-form-field-error-message"
            id="org-logo-file-error"
          >
            {fieldError}
          </div>
        ) : null}
        <div className="utrecht-form-field__input">
          <input
            id="org-logo-file"
            type="file"
            accept={LOGO_TYPES.join(',')}
            onChange={(event) => void upload(event)}
            aria-describedby={`org-logo-file-description${fieldError ? ' org-logo-file-error' : ''}`}
            aria-invalid={fieldError ? true : undefined}
          />
        </div>
      </div>
      {hasLogo ? (
        <div className="zegel-actions">
          <Button onClick={() => void remove()}>{t('admin.organisation.logoRemove')}</Button>
        </div>
      ) : null}
    </Section>
  );
}
