import type { Invitation, Role } from '@zegel/protocol/api';
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
  SelectField,
  TextField,
  useLoad,
} from '../../ui/index.ts';

const loadInvitations = () => api.get<Invitation[]>('/api/admin/invitations');

/** Invite staff by e-mail (a single-use link) and revoke open invitations. */
export function InvitationsSection() {
  const { t } = useTranslation();
  const invitations = useLoad(loadInvitations);
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('member');
  const [fieldError, setFieldError] = useState<string | undefined>(undefined);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);

  async function invite(event: FormEvent) {
    event.preventDefault();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) {
      setFieldError(t('auth.errors.emailInvalid'));
      document.getElementById('invite-email')?.focus();
      return;
    }
    setFieldError(undefined);
    setIsBusy(true);
    setError(null);
    setNotice(null);
    try {
      await api.post('/api/admin/invitations', { email: email.trim(), name: name.trim(), role });
      setNotice(t('admin.invitations.sent', { email: email.trim() }));
      setEmail('');
      setName('');
      await invitations.reload();
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setIsBusy(false);
    }
  }

  async function revoke(invitation: Invitation) {
    setError(null);
    setNotice(null);
    try {
      await api.delete(`/api/admin/invitations/${invitation.id}`);
      setNotice(t('admin.invitations.revoked', { email: invitation.email }));
      await invitations.reload();
    } catch (caught) {
      setError(toApiError(caught));
    }
  }

  return (
    <>
      <Section title={t('admin.invitations.newTitle')} id="new-invitation">
        <ErrorAlert error={error} />
        {notice ? <Alert type="ok">{notice}</Alert> : null}
        <form className="zegel-form" onSubmit={(event) => void invite(event)} noValidate>
          <TextField
            id="invite-email"
            label={t('auth.fields.email')}
            type="email"
            value={email}
            onChange={setEmail}
            error={fieldError}
            autoComplete="off"
          />
          <TextField
            id="invite-name"
            label={t('admin.users.name')}
            value={name}
            onChange={setName}
            autoComplete="off"
          />
          <SelectField
            id="invite-role"
            label={t('admin.users.role')}
            value={role}
            onChange={(value) => setRole(value === 'admin' ? 'admin' : 'member')}
            options={[
              { value: 'member', label: t('roles.member') },
              { value: 'admin', label: t('roles.admin') },
            ]}
          />
          <div className="zegel-actions">
            <Button type="submit" purpose="primary" isBusy={isBusy}>
              {t('admin.invitations.submit')}
            </Button>
          </div>
        </form>
      </Section>
      <Section title={t('admin.invitations.listTitle')} id="invitation-list">
        <ErrorAlert error={invitations.error} />
        <InvitationList invitations={invitations} onRevoke={(invitation) => void revoke(invitation)} />
      </Section>
    </>
  );
}

function InvitationList({
  invitations,
  onRevoke,
}: {
  invitations: Loaded<Invitation[]>;
  onRevoke: (invitation: Invitation) => void;
}) {
  const { t } = useTranslation();
  return (
    <LoadedTable
      load={invitations}
      empty={t('admin.invitations.empty')}
      caption={t('admin.invitations.listTitle')}
      rowKey={(invitation) => invitation.id}
      columns={[
        { header: t('auth.fields.email'), cell: (invitation) => invitation.email },
        { header: t('admin.users.name'), cell: (invitation) => invitation.name },
        { header: t('admin.users.role'), cell: (invitation) => t(`roles.${invitation.role}`) },
        {
          header: t('admin.users.status'),
          cell: (invitation) => t(`admin.invitations.statuses.${invitation.status}`),
        },
        {
          header: t('admin.invitations.expiresAt'),
          cell: (invitation) => formatDateTime(invitation.expiresAt),
        },
        {
          header: t('common.actions'),
          cell: (invitation) =>
            invitation.status === 'open' ? (
              <Button
                onClick={() => onRevoke(invitation)}
                aria-label={t('admin.invitations.revokeLabel', { email: invitation.email })}
              >
                {t('admin.invitations.revoke')}
              </Button>
            ) : null,
        },
      ]}
    />
  );
}
