import type { DirectoryKeysResponse, RecipientDirectoryResponse, RecipientRole } from '@zegel/protocol/api';
import type { TFunction } from 'i18next';
import { type KeyboardEvent, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/index.ts';
import type { ComposeRecipient } from './send-message.ts';

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;

export function isEmailAddress(value: string): boolean {
  return EMAIL.test(value.trim());
}

/** One of To, Cc, Bcc: chosen recipients as removable chips, a search box with suggestions. */
export function RecipientsField({
  role,
  label,
  recipients,
  onAdd,
  onRemove,
  error,
}: {
  role: RecipientRole;
  label: string;
  recipients: ComposeRecipient[];
  onAdd: (recipient: ComposeRecipient) => void;
  onRemove: (key: string) => void;
  error?: string | undefined;
}) {
  const { t } = useTranslation();
  const id = `compose-${role}`;
  const listId = useId();
  const [query, setQuery] = useState('');
  const [suggestions, setSuggestions] = useState<DirectoryKeysResponse>({ users: [], teams: [] });
  const [inputError, setInputError] = useState<string | undefined>();

  useEffect(() => {
    const q = query.trim();
    if (q.length < 2) {
      setSuggestions({ users: [], teams: [] });
      return;
    }
    const timer = setTimeout(() => {
      api
        .get<DirectoryKeysResponse>(`/api/directory/keys?q=${encodeURIComponent(q)}`)
        .then(setSuggestions)
        .catch(() => setSuggestions({ users: [], teams: [] }));
    }, 150);
    return () => clearTimeout(timer);
  }, [query]);

  async function addExternal() {
    const address = query.trim();
    if (!address) return;
    if (!isEmailAddress(address)) {
      setInputError(t('messages.compose.errors.addressInvalid'));
      return;
    }
    setInputError(undefined);
    setQuery('');
    let entry: RecipientDirectoryResponse['entry'] = null;
    try {
      entry = (
        await api.get<RecipientDirectoryResponse>(
          `/api/recipient-directory?address=${encodeURIComponent(address)}`,
        )
      ).entry;
    } catch {
      entry = null;
    }
    onAdd({
      key: `guest:${address.toLowerCase()}`,
      kind: 'guest',
      role,
      address,
      method: entry?.method ?? 'sms',
      phone: entry?.phone ?? '',
      accessCode: '',
      accessCodeHint: entry?.accessCodeHint ?? '',
      remember: true,
    });
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'Enter' || event.key === ',' || event.key === ';') {
      event.preventDefault();
      const first = suggestions.users[0] ?? suggestions.teams[0];
      if (!isEmailAddress(query) && first) {
        addDirectory(first);
        return;
      }
      void addExternal();
    }
  }

  function addDirectory(
    entry: DirectoryKeysResponse['users'][number] | DirectoryKeysResponse['teams'][number],
  ) {
    setQuery('');
    setSuggestions({ users: [], teams: [] });
    if ('email' in entry)
      onAdd({
        key: `user:${entry.id}`,
        kind: 'user',
        role,
        id: entry.id,
        name: entry.name,
        email: entry.email,
        publicKey: entry.publicKey,
      });
    else
      onAdd({
        key: `team:${entry.id}`,
        kind: 'team',
        role,
        id: entry.id,
        name: entry.name,
        publicKey: entry.publicKey,
      });
  }

  const shownError = error ?? inputError;
  const describedBy = [`${id}-description`, shownError ? `${id}-error` : ''].filter(Boolean).join(' ');
  const hasSuggestions = suggestions.users.length + suggestions.teams.length > 0;

  return (
    <div
      className={`utrecht-form-field utrecht-form-field--text zegel-recipients${shownError ? ' utrecht-form-field--invalid' : ''}`}
    >
      <div className="utrecht-form-field__label">
        <label className="utrecht-form-label" htmlFor={id}>
          {label}
        </label>
      </div>
      <div
        className="utrecht-form-field__description utrecht-form-field-description"
        id={`${id}-description`}
      >
        {t('messages.compose.recipientsHelp')}
      </div>
      {shownError ? (
        <div
          className="utrecht-form-field__error-message utrecht-form-field-error-message"
          id={`${id}-error`}
        >
          {shownError}
        </div>
      ) : null}
      {recipients.length > 0 ? (
        <ul className="zegel-chips" aria-label={t('messages.compose.chosen', { field: label })}>
          {recipients.map((recipient) => (
            <li key={recipient.key} className="zegel-chip">
              <span>{describeRecipient(recipient, t)}</span>
              <button
                type="button"
                className="utrecht-button utrecht-button--subtle zegel-chip__remove"
                onClick={() => onRemove(recipient.key)}
                aria-label={t('messages.compose.remove', { name: recipientName(recipient) })}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <div className="utrecht-form-field__input zegel-recipients__input">
        <input
          id={id}
          type="text"
          inputMode="email"
          autoComplete="off"
          className={`utrecht-textbox utrecht-textbox--html-input${shownError ? ' utrecht-textbox--invalid' : ''}`}
          value={query}
          onChange={(event) => {
            setQuery(event.target.value);
            setInputError(undefined);
          }}
          onKeyDown={onKeyDown}
          aria-describedby={describedBy}
          aria-invalid={shownError ? true : undefined}
          aria-controls={hasSuggestions ? listId : undefined}
        />
        <button
          type="button"
          className="utrecht-button utrecht-button--secondary-action"
          onClick={() => void addExternal()}
        >
          {t('messages.compose.add')}
        </button>
      </div>
      {hasSuggestions ? (
        <ul id={listId} className="zegel-suggestions" aria-label={t('messages.compose.suggestions')}>
          {suggestions.users.map((user) => (
            <li key={user.id}>
              <button
                type="button"
                className="utrecht-button utrecht-button--subtle"
                onClick={() => addDirectory(user)}
              >
                {t('messages.compose.suggestUser', { name: user.name, email: user.email })}
              </button>
            </li>
          ))}
          {suggestions.teams.map((team) => (
            <li key={team.id}>
              <button
                type="button"
                className="utrecht-button utrecht-button--subtle"
                onClick={() => addDirectory(team)}
              >
                {t('messages.compose.suggestTeam', { name: team.name })}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export function recipientName(recipient: ComposeRecipient): string {
  return recipient.kind === 'guest' ? recipient.address : recipient.name;
}

function describeRecipient(recipient: ComposeRecipient, t: TFunction) {
  if (recipient.kind === 'user') return `${recipient.name} <${recipient.email}>`;
  if (recipient.kind === 'team') return t('messages.compose.teamChip', { name: recipient.name });
  return recipient.address;
}
