import type { Team, TeamConversationHandling } from '@zegel/protocol/api';
import { type FormEvent, useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiError, api, toApiError, useSession } from '../../api/index.ts';
import { Alert, Button, ErrorAlert, Section, SelectField, useLoad } from '../../ui/index.ts';

const loadTeams = () => api.get<Team[]>('/api/teams');

/** For each of my teams in this conversation: who handles it, done or not, and who did what. */
export function TeamHandlingPanels({
  conversationId,
  teamIds,
}: {
  conversationId: string;
  teamIds: string[];
}) {
  const { me } = useSession();
  const teams = useLoad(loadTeams);
  const mine = new Set((me?.teams ?? []).map((team) => team.id));
  const shown = (teams.data ?? []).filter((team) => mine.has(team.id) && teamIds.includes(team.id));
  return (
    <>
      {shown.map((team) => (
        <TeamHandlingPanel key={team.id} team={team} conversationId={conversationId} />
      ))}
    </>
  );
}

function TeamHandlingPanel({ team, conversationId }: { team: Team; conversationId: string }) {
  const { t } = useTranslation();
  const base = `/api/teams/${team.id}/conversations/${conversationId}`;
  const load = useCallback(() => api.get<TeamConversationHandling>(`${base}/handling`), [base]);
  const handling = useLoad(load);
  const [assignee, setAssignee] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'short' });

  async function run(action: () => Promise<unknown>, message: string) {
    setError(null);
    setNotice(null);
    try {
      await action();
      setNotice(message);
      await handling.reload();
    } catch (caught) {
      setError(toApiError(caught));
    }
  }

  const data = handling.data;
  const selected = assignee ?? data?.assignee?.userId ?? '';
  function assign(event: FormEvent) {
    event.preventDefault();
    const member = team.members.find((m) => m.userId === selected);
    void run(
      () => api.put(`${base}/assignee`, { userId: selected || null }),
      member ? t('teamWork.assigned', { name: member.name }) : t('teamWork.unassigned'),
    );
  }

  return (
    <Section title={t('teamWork.title', { team: team.name })} id={`team-work-${team.id}`}>
      <ErrorAlert error={error ?? handling.error} />
      {notice ? <Alert type="ok">{notice}</Alert> : null}
      {data ? (
        <>
          <p className="utrecht-paragraph">
            {data.isDone ? t('teamWork.isDone') : t('teamWork.isOpen')}{' '}
            {data.assignee ? t('teamWork.handledBy', { name: data.assignee.name }) : t('teamWork.nobody')}
          </p>
          <form className="zegel-form zegel-inline-form" onSubmit={assign}>
            <SelectField
              id={`team-work-${team.id}-assignee`}
              label={t('teamWork.assignee')}
              value={selected}
              onChange={setAssignee}
              options={[
                { value: '', label: t('teamWork.nobodyOption') },
                ...team.members.map((m) => ({ value: m.userId, label: m.name })),
              ]}
            />
            <div className="zegel-actions">
              <Button type="submit">{t('teamWork.assign')}</Button>
            </div>
          </form>
          <div className="zegel-actions">
            <Button
              onClick={() =>
                void run(
                  () => api.put(`${base}/done`, { isDone: !data.isDone }),
                  data.isDone ? t('teamWork.reopenedNotice') : t('teamWork.doneNotice'),
                )
              }
            >
              {data.isDone ? t('teamWork.reopen') : t('teamWork.markDone')}
            </Button>
          </div>
          {data.events.length > 0 ? (
            <>
              <h3 className="utrecht-heading-3">{t('teamWork.history')}</h3>
              <ul className="zegel-member-list">
                {data.events.map((event) => (
                  <li key={`${event.occurredAt}-${event.type}-${event.actor.userId}`}>
                    {timeFormat.format(new Date(event.occurredAt))} ·{' '}
                    {t(`teamWork.events.${event.type}`, {
                      actor: event.actor.name,
                      target: event.target?.name ?? '',
                    })}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </>
      ) : null}
    </Section>
  );
}
