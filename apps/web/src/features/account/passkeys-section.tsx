import { startRegistration } from '@simplewebauthn/browser';
import type { Passkey } from '@zegel/protocol/api';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiError, api, toApiError } from '../../api/index.ts';
import {
  Alert,
  Button,
  ErrorAlert,
  formatDateTime,
  LoadedTable,
  Section,
  TextField,
  useLoad,
} from '../../ui/index.ts';

const loadPasskeys = () => api.get<Passkey[]>('/api/account/passkeys');

/** The account's passkeys: add one under a name, rename, remove. A passkey replaces the code. */
export function PasskeysSection() {
  const { t } = useTranslation();
  const passkeys = useLoad(loadPasskeys);
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState<string | undefined>(undefined);
  const [editing, setEditing] = useState<{ id: string; name: string } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);

  async function act(run: () => Promise<string>) {
    setError(null);
    setNotice(null);
    try {
      setNotice(await run());
      await passkeys.reload();
    } catch (caught) {
      setError(caught instanceof Error && caught.name === 'NotAllowedError' ? null : toApiError(caught));
      if (caught instanceof Error && caught.name === 'NotAllowedError')
        setNotice(t('account.passkeys.cancelled'));
    }
  }

  async function add(event: FormEvent) {
    event.preventDefault();
    if (!name.trim()) {
      setNameError(t('account.passkeys.nameRequired'));
      document.getElementById('passkey-name')?.focus();
      return;
    }
    setNameError(undefined);
    setIsBusy(true);
    await act(async () => {
      const optionsJSON = await api.post<Parameters<typeof startRegistration>[0]['optionsJSON']>(
        '/api/account/passkeys/options',
      );
      const credential = await startRegistration({ optionsJSON });
      await api.post('/api/account/passkeys', { name: name.trim(), credential });
      setName('');
      return t('account.passkeys.added', { name: name.trim() });
    });
    setIsBusy(false);
  }

  return (
    <Section title={t('account.passkeys.title')} id="passkeys">
      <p className="utrecht-paragraph">{t('account.passkeys.intro')}</p>
      <ErrorAlert error={error ?? passkeys.error} />
      {notice ? <Alert type="ok">{notice}</Alert> : null}
      <LoadedTable
        load={passkeys}
        empty={t('account.passkeys.empty')}
        caption={t('account.passkeys.title')}
        rowKey={(passkey) => passkey.id}
        columns={[
          {
            header: t('account.passkeys.name'),
            isRowHeader: true,
            cell: (passkey) =>
              editing?.id === passkey.id ? (
                <TextField
                  id={`passkey-rename-${passkey.id}`}
                  label={t('account.passkeys.newName')}
                  value={editing.name}
                  onChange={(value) => setEditing({ id: passkey.id, name: value })}
                />
              ) : (
                passkey.name
              ),
          },
          { header: t('account.passkeys.createdAt'), cell: (passkey) => formatDateTime(passkey.createdAt) },
          {
            header: t('account.passkeys.lastUsedAt'),
            cell: (passkey) =>
              passkey.lastUsedAt ? formatDateTime(passkey.lastUsedAt) : t('account.passkeys.never'),
          },
          {
            header: t('common.actions'),
            cell: (passkey) => (
              <span className="zegel-actions">
                {editing?.id === passkey.id ? (
                  <Button
                    onClick={() =>
                      void act(async () => {
                        await api.patch(`/api/account/passkeys/${passkey.id}`, { name: editing.name.trim() });
                        setEditing(null);
                        return t('account.passkeys.renamed', { name: editing.name.trim() });
                      })
                    }
                  >
                    {t('account.passkeys.save')}
                  </Button>
                ) : (
                  <Button
                    onClick={() => setEditing({ id: passkey.id, name: passkey.name })}
                    aria-label={t('account.passkeys.renameLabel', { name: passkey.name })}
                  >
                    {t('account.passkeys.rename')}
                  </Button>
                )}
                <Button
                  onClick={() =>
                    void act(async () => {
                      await api.delete(`/api/account/passkeys/${passkey.id}`);
                      return t('account.passkeys.removed', { name: passkey.name });
                    })
                  }
                  aria-label={t('account.passkeys.removeLabel', { name: passkey.name })}
                >
                  {t('account.passkeys.remove')}
                </Button>
              </span>
            ),
          },
        ]}
      />
      <form className="zegel-form" onSubmit={(event) => void add(event)} noValidate>
        <TextField
          id="passkey-name"
          label={t('account.passkeys.name')}
          description={t('account.passkeys.nameDescription')}
          value={name}
          onChange={setName}
          error={nameError}
        />
        <div className="zegel-actions">
          <Button type="submit" isBusy={isBusy}>
            {t('account.passkeys.add')}
          </Button>
        </div>
      </form>
    </Section>
  );
}
