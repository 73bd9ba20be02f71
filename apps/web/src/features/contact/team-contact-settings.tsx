import type { TeamContactSettings } from '@zegel/protocol/api';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiError, api, toApiError } from '../../api/index.ts';
import {
  Alert,
  Button,
  CheckboxField,
  ErrorAlert,
  Loading,
  SelectField,
  TextAreaField,
  TextField,
  useLoad,
} from '../../ui/index.ts';

type Draft = Omit<TeamContactSettings, 'teamId' | 'updatedAt' | 'notifyAddress'> & { notifyAddress: string };

/** A team's contact-page settings: open to new conversations or replies only, and what the page shows. */
export function TeamContactSettingsForm({ teamId, teamName }: { teamId: string; teamName: string }) {
  const { t } = useTranslation();
  const load = useCallback(
    () => api.get<TeamContactSettings>(`/api/teams/${teamId}/contact-settings`),
    [teamId],
  );
  const settings = useLoad(load);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    if (!settings.data) return;
    // Only the editable fields: the server refuses unknown properties such as teamId.
    const { teamId: _id, updatedAt: _at, notifyAddress, ...editable } = settings.data;
    setDraft({ ...editable, notifyAddress: notifyAddress ?? '' });
  }, [settings.data]);

  if (!draft) return settings.isLoading ? <Loading /> : <ErrorAlert error={settings.error} />;
  const id = (name: string) => `team-${teamId}-contact-${name}`;
  const set =
    <K extends keyof Draft>(key: K) =>
    (value: Draft[K]) =>
      setDraft({ ...draft, [key]: value });

  async function save(event: FormEvent) {
    event.preventDefault();
    if (!draft) return;
    setError(null);
    setNotice(null);
    try {
      await api.patch(`/api/teams/${teamId}/contact-settings`, {
        ...draft,
        notifyAddress: draft.notify === 'address' ? draft.notifyAddress.trim() : null,
      });
      setNotice(t('admin.teams.contact.saved', { name: teamName }));
      await settings.reload();
    } catch (caught) {
      setError(toApiError(caught));
    }
  }

  return (
    <form className="zegel-form" onSubmit={(event) => void save(event)} noValidate>
      <h3 className="utrecht-heading-3">{t('admin.teams.contact.title')}</h3>
      <ErrorAlert error={error} />
      {notice ? <Alert type="ok">{notice}</Alert> : null}
      <CheckboxField
        id={id('accepts')}
        label={t('admin.teams.contact.accepts')}
        description={t('admin.teams.contact.acceptsHelp')}
        checked={draft.acceptsNewConversations}
        onChange={set('acceptsNewConversations')}
      />
      <TextAreaField
        id={id('description')}
        label={t('admin.teams.description')}
        value={draft.description}
        onChange={set('description')}
      />
      <TextField
        id={id('region')}
        label={t('admin.teams.contact.region')}
        value={draft.region}
        onChange={set('region')}
      />
      <TextField
        id={id('response')}
        label={t('admin.teams.contact.responseTime')}
        value={draft.responseTime}
        onChange={set('responseTime')}
      />
      <TextAreaField
        id={id('hours')}
        label={t('admin.teams.contact.officeHours')}
        value={draft.officeHours}
        onChange={set('officeHours')}
      />
      <TextAreaField
        id={id('auto-reply')}
        label={t('admin.teams.contact.autoReply')}
        value={draft.autoReply}
        onChange={set('autoReply')}
      />
      <SelectField
        id={id('verification')}
        label={t('admin.teams.contact.verification')}
        value={draft.guestVerification}
        onChange={(value) => set('guestVerification')(value === 'sms' ? 'sms' : 'email')}
        options={[
          { value: 'email', label: t('admin.teams.contact.verificationEmail') },
          { value: 'sms', label: t('admin.teams.contact.verificationSms') },
        ]}
      />
      <SelectField
        id={id('notify')}
        label={t('admin.teams.contact.notify')}
        value={draft.notify}
        onChange={(value) => set('notify')(value === 'address' ? 'address' : 'members')}
        options={[
          { value: 'members', label: t('admin.teams.contact.notifyMembers') },
          { value: 'address', label: t('admin.teams.contact.notifyAddress') },
        ]}
      />
      {draft.notify === 'address' ? (
        <TextField
          id={id('notify-address')}
          label={t('admin.teams.contact.teamAddress')}
          value={draft.notifyAddress}
          onChange={set('notifyAddress')}
        />
      ) : null}
      <div className="zegel-actions">
        <Button type="submit">{t('admin.teams.contact.save')}</Button>
      </div>
    </form>
  );
}
