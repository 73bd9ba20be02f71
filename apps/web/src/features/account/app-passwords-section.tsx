import type { AppPasswordList, AppPasswordSummary, CreateAppPasswordResponse } from '@zegel/protocol/api';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiError, api, toApiError } from '../../api/index.ts';
import {
  Alert,
  Button,
  ErrorAlert,
  formatDateTime,
  type Loaded,
  LoadedTable,
  Section,
  TextField,
  useLoad,
} from '../../ui/index.ts';

const loadAppPasswords = async () =>
  (await api.get<AppPasswordList>('/api/account/app-passwords')).appPasswords;

/** App passwords for a mail client or application that sends through the SMTP gateway. */
export function AppPasswordsSection() {
  const { t } = useTranslation();
  const passwords = useLoad(loadAppPasswords);
  const [label, setLabel] = useState('');
  const [created, setCreated] = useState<CreateAppPasswordResponse | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  const [isMissing, setIsMissing] = useState(false);

  async function create(event: FormEvent) {
    event.preventDefault();
    setIsMissing(label.trim() === '');
    if (label.trim() === '') return;
    setIsBusy(true);
    setError(null);
    setNotice(null);
    try {
      setCreated(
        await api.post<CreateAppPasswordResponse>('/api/account/app-passwords', { label: label.trim() }),
      );
      setLabel('');
      await passwords.reload();
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setIsBusy(false);
    }
  }

  async function revoke(password: AppPasswordSummary) {
    setError(null);
    try {
      await api.delete(`/api/account/app-passwords/${password.id}`);
      setCreated(null);
      setNotice(t('account.appPasswords.revoked', { label: password.label }));
      await passwords.reload();
    } catch (caught) {
      setError(toApiError(caught));
    }
  }

  return (
    <Section title={t('account.appPasswords.title')} id="app-passwords">
      <p className="utrecht-paragraph">{t('account.appPasswords.intro')}</p>
      <ErrorAlert error={error ?? passwords.error} />
      {notice ? <Alert type="ok">{notice}</Alert> : null}
      {created ? (
        <Alert type="ok">
          <p className="utrecht-paragraph">
            {t('account.appPasswords.created', { label: created.appPassword.label })}
          </p>
          <p className="utrecht-paragraph">
            <code data-testid="app-password">{created.password}</code>
          </p>
        </Alert>
      ) : null}
      <form onSubmit={(event) => void create(event)} noValidate>
        <TextField
          id="app-password-label"
          label={t('account.appPasswords.label')}
          description={t('account.appPasswords.labelHint')}
          value={label}
          onChange={setLabel}
          error={isMissing ? t('account.appPasswords.labelMissing') : undefined}
          maxLength={80}
          required
        />
        <div className="zegel-actions">
          <Button type="submit" isBusy={isBusy}>
            {t('account.appPasswords.create')}
          </Button>
        </div>
      </form>
      <AppPasswordsTable passwords={passwords} onRevoke={(password) => void revoke(password)} />
    </Section>
  );
}

function AppPasswordsTable({
  passwords,
  onRevoke,
}: {
  passwords: Loaded<AppPasswordSummary[]>;
  onRevoke: (password: AppPasswordSummary) => void;
}) {
  const { t } = useTranslation();
  return (
    <LoadedTable
      load={passwords}
      empty={t('account.appPasswords.empty')}
      caption={t('account.appPasswords.title')}
      rowKey={(password) => password.id}
      columns={[
        { header: t('account.appPasswords.label'), cell: (password) => password.label },
        {
          header: t('account.appPasswords.createdAt'),
          cell: (password) => formatDateTime(password.createdAt),
        },
        {
          header: t('account.appPasswords.lastUsedAt'),
          cell: (password) =>
            password.lastUsedAt ? formatDateTime(password.lastUsedAt) : t('account.appPasswords.never'),
        },
        {
          header: t('common.actions'),
          cell: (password) => (
            <Button
              onClick={() => onRevoke(password)}
              aria-label={t('account.appPasswords.revokeLabel', { label: password.label })}
            >
              {t('account.appPasswords.revoke')}
            </Button>
          ),
        },
      ]}
    />
  );
}
