import type { AdminTeamKeysResponse } from '@zegel/protocol/api';
import { useCallback, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/index.ts';
import { useLoad } from '../../ui/index.ts';
import { makeTeamKey } from '../keys/index.ts';

export type TeamKeyStatus = AdminTeamKeysResponse['teams'][number];
const loadTeamKeys = () => api.get<AdminTeamKeysResponse>('/api/admin/team-keys');

/**
 * Which teams can receive, and the key made here for a team that has members with keys but no
 * team key yet (so a newly opened team can receive without a member opening their messages).
 */
export function useTeamKeys() {
  const status = useLoad(loadTeamKeys);
  const tried = useRef(new Set<string>());
  const { data, reload } = status;
  useEffect(() => {
    const due = (data?.teams ?? []).filter(
      (team) => !team.hasKey && team.members.some((m) => m.publicKey) && !tried.current.has(team.teamId),
    );
    if (due.length === 0) return;
    for (const team of due) tried.current.add(team.teamId);
    void Promise.allSettled(due.map(makeTeamKey)).then(() => reload());
  }, [data, reload]);
  const refresh = useCallback(() => reload(), [reload]);
  return { byTeam: new Map((data?.teams ?? []).map((team) => [team.teamId, team])), refresh };
}

/** Whether the team can receive secure messages, and if not, why (and so not on the contact page). */
export function TeamKeyNotice({ status }: { status: TeamKeyStatus | undefined }) {
  const { t } = useTranslation();
  if (!status) return null;
  if (status.hasKey)
    return (
      <p className="utrecht-paragraph zegel-team-key zegel-team-key--ready">{t('admin.teams.keyReady')}</p>
    );
  const reason =
    status.members.length === 0
      ? t('admin.teams.keyNoMembers')
      : status.members.some((m) => m.publicKey)
        ? t('admin.teams.keyMaking')
        : t('admin.teams.keyNoMemberKeys');
  return (
    <p className="utrecht-paragraph zegel-team-key zegel-team-key--missing">
      <strong>{t('admin.teams.keyMissing')}</strong> {reason}
    </p>
  );
}
