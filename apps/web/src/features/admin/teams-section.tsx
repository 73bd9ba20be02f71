import type { Team, User } from '@zegel/protocol/api';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiError, api, toApiError } from '../../api/index.ts';
import {
  Alert,
  Button,
  EmptyState,
  ErrorAlert,
  Loading,
  Section,
  SelectField,
  TextAreaField,
  TextField,
  useLoad,
} from '../../ui/index.ts';
import { ContactLinkSection, TeamContactSettingsForm } from '../contact/index.ts';
import { TeamKeyNotice, type TeamKeyStatus, useTeamKeys } from './team-key-status.tsx';
import { loadUsers } from './users-section.tsx';

type MemberRole = 'member' | 'admin';
const loadTeams = () => api.get<Team[]>('/api/teams');

/** Teams (functional mailboxes): create, add and remove members, make a member team admin. */
export function TeamsSection() {
  const { t } = useTranslation();
  const teams = useLoad(loadTeams);
  const users = useLoad(loadUsers);
  const teamKeys = useTeamKeys();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>(undefined);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  async function run(action: () => Promise<unknown>, message: string) {
    setError(null);
    setNotice(null);
    try {
      await action();
      setNotice(message);
      await Promise.all([teams.reload(), teamKeys.refresh()]);
    } catch (caught) {
      setError(toApiError(caught));
    }
  }

  async function create(event: FormEvent) {
    event.preventDefault();
    if (!name.trim()) {
      setFieldError(t('admin.teams.nameRequired'));
      document.getElementById('team-name')?.focus();
      return;
    }
    setFieldError(undefined);
    await run(
      () => api.post('/api/admin/teams', { name: name.trim(), description: description.trim() }),
      t('admin.teams.created', { name: name.trim() }),
    );
    setName('');
    setDescription('');
  }

  return (
    <>
      <ErrorAlert error={error ?? teams.error} />
      {notice ? <Alert type="ok">{notice}</Alert> : null}
      <ContactLinkSection />
      <Section title={t('admin.teams.newTitle')} id="new-team">
        <form className="zegel-form" onSubmit={(event) => void create(event)} noValidate>
          <TextField
            id="team-name"
            label={t('admin.teams.name')}
            value={name}
            onChange={setName}
            error={fieldError}
            autoComplete="off"
          />
          <TextAreaField
            id="team-description"
            label={t('admin.teams.description')}
            value={description}
            onChange={setDescription}
          />
          <div className="zegel-actions">
            <Button type="submit" purpose="primary">
              {t('admin.teams.submit')}
            </Button>
          </div>
        </form>
      </Section>
      {teams.data === undefined ? (
        teams.isLoading ? (
          <Loading />
        ) : null
      ) : teams.data.length === 0 ? (
        <EmptyState>{t('admin.teams.empty')}</EmptyState>
      ) : (
        teams.data.map((team) => (
          <TeamCard
            key={team.id}
            team={team}
            users={users.data ?? []}
            run={run}
            keyStatus={teamKeys.byTeam.get(team.id)}
          />
        ))
      )}
    </>
  );
}

interface TeamCardProps {
  team: Team;
  users: readonly User[];
  run: (action: () => Promise<unknown>, message: string) => Promise<void>;
  keyStatus: TeamKeyStatus | undefined;
}

function TeamCard({ team, users, run, keyStatus }: TeamCardProps) {
  const { t } = useTranslation();
  const candidates = users.filter(
    (user) => user.status === 'active' && !team.members.some((m) => m.userId === user.id),
  );
  const [userId, setUserId] = useState('');
  const [role, setRole] = useState<MemberRole>('member');
  const selected = userId || candidates[0]?.id || '';
  const setMember = (memberId: string, memberRole: MemberRole, message: string) =>
    run(() => api.put(`/api/teams/${team.id}/members/${memberId}`, { role: memberRole }), message);

  return (
    <Section title={team.name} id={`team-${team.id}`}>
      {team.description ? <p className="utrecht-paragraph">{team.description}</p> : null}
      <TeamKeyNotice status={keyStatus} />
      {team.members.length === 0 ? (
        <EmptyState>{t('admin.teams.noMembers')}</EmptyState>
      ) : (
        <ul className="zegel-member-list">
          {team.members.map((member) => {
            const otherRole: MemberRole = member.role === 'admin' ? 'member' : 'admin';
            return (
              <li key={member.userId} className="zegel-member">
                <span>
                  {member.name} <span className="zegel-muted">({member.email})</span> ·{' '}
                  {t(`admin.teams.roles.${member.role}`)}
                </span>
                <span className="zegel-row-actions">
                  <Button
                    onClick={() =>
                      void setMember(
                        member.userId,
                        otherRole,
                        t('admin.teams.roleChanged', { name: member.name }),
                      )
                    }
                  >
                    {t('admin.teams.makeRole', { role: t(`admin.teams.roles.${otherRole}`) })}
                  </Button>
                  <Button
                    onClick={() =>
                      void run(
                        () => api.delete(`/api/teams/${team.id}/members/${member.userId}`),
                        t('admin.teams.removed', { name: member.name }),
                      )
                    }
                    aria-label={t('admin.teams.removeLabel', { name: member.name, team: team.name })}
                  >
                    {t('admin.teams.remove')}
                  </Button>
                </span>
              </li>
            );
          })}
        </ul>
      )}
      {candidates.length > 0 ? (
        <form
          className="zegel-form zegel-inline-form"
          onSubmit={(event) => {
            event.preventDefault();
            const user = candidates.find((c) => c.id === selected);
            if (user)
              void setMember(
                user.id,
                role,
                t('admin.teams.added', { name: user.name, team: team.name }),
              ).then(() => setUserId(''));
          }}
        >
          <SelectField
            id={`team-${team.id}-user`}
            label={t('admin.teams.addUser')}
            value={selected}
            onChange={setUserId}
            options={candidates.map((user) => ({ value: user.id, label: `${user.name} (${user.email})` }))}
          />
          <SelectField
            id={`team-${team.id}-role`}
            label={t('admin.teams.memberRole')}
            value={role}
            onChange={(value) => setRole(value === 'admin' ? 'admin' : 'member')}
            options={[
              { value: 'member', label: t('admin.teams.roles.member') },
              { value: 'admin', label: t('admin.teams.roles.admin') },
            ]}
          />
          <div className="zegel-actions">
            <Button type="submit">{t('admin.teams.add')}</Button>
          </div>
        </form>
      ) : null}
      <TeamContactSettingsForm teamId={team.id} teamName={team.name} />
    </Section>
  );
}
