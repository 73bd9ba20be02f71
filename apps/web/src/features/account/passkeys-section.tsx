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

/** Runs a change, then says what happened (or what went wrong) and reloads the list. */
type Act = (run: () => Promise<string>) => Promise<void>;

/** The account's passkeys: add one under a name, rename, remove. A passkey replaces the code. */
export function PasskeysSection() {
  const { t } = useTranslation();
  const passkeys = useLoad(loadPasskeys);
  const [editing, setEditing] = useState<{ id: string; name: string } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const act: Act = async (run) => {
    setError(null);
    setNotice(null);
    try {
      setNotice(await run());
      await passkeys.reload();
    } catch (caught) {
      // The person closed the browser's passkey dialog: nothing went wrong.
      if (caught instanceof Error && caught.name === 'NotAllowedError')
        setNotice(t('account.passkeys.cancelled'));
      else setError(toApiError(caught));
    }
  };

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
              <PasskeyActions passkey={passkey} editing={editing} setEditing={setEditing} act={act} />
            ),
          },
        ]}
      />
      <AddPasskeyForm act={act} />
    </Section>
  );
}

function PasskeyActions({
  passkey,
  editing,
  setEditing,
  act,
}: {
  passkey: Passkey;
  editing: { id: string; name: string } | null;
  setEditing: (editing: { id: string; name: string } | null) => void;
  act: Act;
}) {
  const { t } = useTranslation();
  const rename = (name: string) =>
    act(async () => {
      await api.patch(`/api/account/passkeys/${passkey.id}`, { name });
      setEditing(null);
      return t('account.passkeys.renamed', { name });
    });
  const remove = () =>
    act(async () => {
      await api.delete(`/api/account/passkeys/${passkey.id}`);
      return t('account.passkeys.removed', { name: passkey.name });
    });
  return (
    <span className="zegel-actions">
      {editing?.id === passkey.id ? (
        <Button onClick={() => void rename(editing.name.trim())}>{t('account.passkeys.save')}</Button>
      ) : (
        <Button
          onClick={() => setEditing({ id: passkey.id, name: passkey.name })}
          aria-label={t('account.passkeys.renameLabel', { name: passkey.name })}
        >
          {t('account.passkeys.rename')}
        </Button>
      )}
      <Button
        onClick={() => void remove()}
        aria-label={t('account.passkeys.removeLabel', { name: passkey.name })}
      >
        {t('account.passkeys.remove')}
      </Button>
    </span>
  );
}

/** A name, then the browser's own passkey dialog. */
function AddPasskeyForm({ act }: { act: Act }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState<string | undefined>(undefined);
  const [isBusy, setIsBusy] = useState(false);

  async function add(event: FormEvent) {
    event.preventDefault();
    const chosen = name.trim();
    if (!chosen) {
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
      await api.post('/api/account/passkeys', { name: chosen, credential });
      setName('');
      return t('account.passkeys.added', { name: chosen });
    });
    setIsBusy(false);
  }

  return (
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
  );
}
