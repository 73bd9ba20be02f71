import type { Role, User } from '@zegel/protocol/api';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiError, api, toApiError } from '../../api/api-client.ts';
import { useSession } from '../../api/session.tsx';
import { Alert, ErrorAlert } from '../../ui/alert.tsx';
import { Button } from '../../ui/button.tsx';
import { formatDateTime } from '../../ui/format.ts';
import { LoadedTable } from '../../ui/loaded-table.tsx';
import { useLoad } from '../../ui/use-load.ts';

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
        headers={[
          t('admin.users.name'),
          t('auth.fields.email'),
          t('admin.users.role'),
          t('admin.users.status'),
          t('admin.users.secondFactor'),
          t('admin.users.createdAt'),
          t('common.actions'),
        ]}
      >
        {(rows) =>
          rows.map((user) => {
            const otherRole: Role = user.role === 'admin' ? 'member' : 'admin';
            const isSelf = user.id === me?.id;
            return (
              <tr className="utrecht-table__row" key={user.id}>
                <td className="utrecht-table__cell">{user.name}</td>
                <td className="utrecht-table__cell">{user.email}</td>
                <td className="utrecht-table__cell">{t(`roles.${user.role}`)}</td>
                <td className="utrecht-table__cell">{t(`admin.users.statuses.${user.status}`)}</td>
                <td className="utrecht-table__cell">
                  {user.hasSecondFactor ? t('common.yes') : t('common.no')}
                </td>
                <td className="utrecht-table__cell">{formatDateTime(user.createdAt)}</td>
                <td className="utrecht-table__cell">
                  <div className="zegel-row-actions">
                    <Button
                      onClick={() =>
                        void update(
                          user,
                          { role: otherRole },
                          t('admin.users.roleChanged', { name: user.name }),
                        )
                      }
                      aria-label={t('admin.users.makeRoleLabel', {
                        name: user.name,
                        role: t(`roles.${otherRole}`),
                      })}
                    >
                      {t('admin.users.makeRole', { role: t(`roles.${otherRole}`) })}
                    </Button>
                    {isSelf ? null : user.status === 'active' ? (
                      <Button
                        isDanger
                        onClick={() =>
                          void update(
                            user,
                            { status: 'deactivated' },
                            t('admin.users.deactivated', { name: user.name }),
                          )
                        }
                        aria-label={t('admin.users.deactivateLabel', { name: user.name })}
                      >
                        {t('admin.users.deactivate')}
                      </Button>
                    ) : (
                      <Button
                        onClick={() =>
                          void update(
                            user,
                            { status: 'active' },
                            t('admin.users.reactivated', { name: user.name }),
                          )
                        }
                        aria-label={t('admin.users.reactivateLabel', { name: user.name })}
                      >
                        {t('admin.users.reactivate')}
                      </Button>
                    )}
                  </div>
                </td>
              </tr>
            );
          })
        }
      </LoadedTable>
    </>
  );
}
