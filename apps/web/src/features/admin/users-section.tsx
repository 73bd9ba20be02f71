import type { Role, User } from '@zegel/protocol/api';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiError, api, toApiError, useSession } from '../../api/index.ts';
import { Alert, Button, ErrorAlert, formatDateTime, LoadedTable, useLoad } from '../../ui/index.ts';

export const loadUsers = () => api.get<User[]>('/api/admin/users');

/** Users of the organisation: change role, deactivate (ends their sessions at once) or reactivate. */
export function UsersSection() {
  const { t } = useTranslation();
  const { me } = useSession();
  const users = useLoad(loadUsers);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  async function update(user: User, patch: { role?: Role; status?: User['status'] }, message: string) {
    setError(null);
    setNotice(null);
    try {
      await api.patch(`/api/admin/users/${user.id}`, patch);
      setNotice(message);
      await users.reload();
    } catch (caught) {
      setError(toApiError(caught));
    }
  }

  return (
    <>
      <ErrorAlert error={error ?? users.error} />
      {notice ? <Alert type="ok">{notice}</Alert> : null}
      <LoadedTable
        load={users}
        empty={t('admin.users.empty')}
        caption={t('admin.tabs.users')}
        rowKey={(user) => user.id}
        columns={[
          { header: t('admin.users.name'), cell: (user) => user.name },
          { header: t('auth.fields.email'), cell: (user) => user.email },
          { header: t('admin.users.role'), cell: (user) => t(`roles.${user.role}`) },
          { header: t('admin.users.status'), cell: (user) => t(`admin.users.statuses.${user.status}`) },
          {
            header: t('admin.users.secondFactor'),
            cell: (user) => (user.hasSecondFactor ? t('common.yes') : t('common.no')),
          },
          { header: t('admin.users.createdAt'), cell: (user) => formatDateTime(user.createdAt) },
          {
            header: t('common.actions'),
            cell: (user) => <UserActions user={user} isSelf={user.id === me?.id} onUpdate={update} />,
          },
        ]}
      />
    </>
  );
}

type UserUpdate = (
  user: User,
  patch: { role?: Role; status?: User['status'] },
  message: string,
) => Promise<void>;

/** Make admin/member, and deactivate or reactivate (not oneself). */
function UserActions({ user, isSelf, onUpdate }: { user: User; isSelf: boolean; onUpdate: UserUpdate }) {
  const { t } = useTranslation();
  const otherRole: Role = user.role === 'admin' ? 'member' : 'admin';
  return (
    <div className="zegel-row-actions">
      <Button
        onClick={() =>
          void onUpdate(user, { role: otherRole }, t('admin.users.roleChanged', { name: user.name }))
        }
        aria-label={t('admin.users.makeRoleLabel', { name: user.name, role: t(`roles.${otherRole}`) })}
      >
        {t('admin.users.makeRole', { role: t(`roles.${otherRole}`) })}
      </Button>
      {isSelf ? null : user.status === 'active' ? (
        <Button
          isDanger
          onClick={() =>
            void onUpdate(user, { status: 'deactivated' }, t('admin.users.deactivated', { name: user.name }))
          }
          aria-label={t('admin.users.deactivateLabel', { name: user.name })}
        >
          {t('admin.users.deactivate')}
        </Button>
      ) : (
        <Button
          onClick={() =>
            void onUpdate(user, { status: 'active' }, t('admin.users.reactivated', { name: user.name }))
          }
          aria-label={t('admin.users.reactivateLabel', { name: user.name })}
        >
          {t('admin.users.reactivate')}
        </Button>
      )}
    </div>
  );
}
