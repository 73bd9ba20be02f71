import type {
  ConversationListResponse,
  ConversationSummary,
  Mailbox,
  TeamHandlingList,
  UnreadCountResponse,
} from '@zegel/protocol/api';
import type { TFunction } from 'i18next';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, useParams } from 'react-router';
import { api, useSession } from '../../api/index.ts';
import { DataTable, ErrorAlert, Loading, Page, Section, useLoad } from '../../ui/index.ts';
import { TeamContactSettingsForm } from '../contact/index.ts';
import { openItem, summarizeParticipants } from '../conversations/index.ts';
import type { UnlockedKeys } from '../keys/index.ts';
import { KeysGate, toPrivateKeyMap } from '../keys/index.ts';
import './messages.css';

/** Inbox, sent, or a team's mailbox. */
export function MailboxPage({ box }: { box: Mailbox }) {
  return <KeysGate>{(keys) => <MailboxList box={box} keys={keys} />}</KeysGate>;
}

const loadUnread = () => api.get<UnreadCountResponse>('/api/conversations/unread');

/** The mailboxes; "Postvak IN" carries how many conversations there hold something unread. */
export function MailboxNav() {
  const { t } = useTranslation();
  const { me } = useSession();
  const unread = useLoad(loadUnread).data?.inbox ?? 0;
  return (
    <nav className="zegel-subnav" aria-label={t('messages.mailbox.navigation')}>
      <ul className="zegel-subnav__list">
        <li>
          <NavLink className="zegel-subnav__link" to="/messages/new">
            {t('messages.nav.new')}
          </NavLink>
        </li>
        <li>
          <NavLink className="zegel-subnav__link" to="/messages" end>
            {t('messages.nav.inbox')}
            {unread > 0 ? (
              <>
                <span className="zegel-unread-badge" aria-hidden="true">
                  {unread}
                </span>
                <span className="zegel-visually-hidden">
                  , {t('messages.mailbox.unread', { count: unread })}
                </span>
              </>
            ) : null}
          </NavLink>
        </li>
        <li>
          <NavLink className="zegel-subnav__link" to="/messages/sent">
            {t('messages.nav.sent')}
          </NavLink>
        </li>
        {me?.teams.map((team) => (
          <li key={team.id}>
            <NavLink className="zegel-subnav__link" to={`/messages/teams/${team.id}`}>
              {t('messages.nav.team', { name: team.name })}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function MailboxList({ box, keys }: { box: Mailbox; keys: UnlockedKeys }) {
  const { t, i18n } = useTranslation();
  const { me } = useSession();
  const { teamId } = useParams();
  const team = me?.teams.find((candidate) => candidate.id === teamId);
  const path =
    box === 'team' ? `/api/conversations?box=team&teamId=${teamId ?? ''}` : `/api/conversations?box=${box}`;
  const load = useCallback(() => api.get<ConversationListResponse>(path), [path]);
  const list = useLoad(load);

  const handling = useTeamHandling(list.data, box, teamId);
  const subjects = useSubjects(list.data, keys);

  const title =
    box === 'team'
      ? t('messages.mailbox.teamTitle', { name: team?.name ?? '' })
      : t(`messages.mailbox.${box}Title`);
  const dateFormat = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });

  return (
    <Page title={title} wide>
      <MailboxNav />
      <ErrorAlert error={list.error} />
      {list.isLoading && !list.data ? <Loading /> : null}
      {list.data ? (
        <DataTable
          caption={title}
          className="zegel-mailbox"
          empty={t(`messages.mailbox.empty.${box}`)}
          rows={list.data.conversations}
          rowKey={(conversation) => conversation.id}
          rowAttributes={(conversation) => ({ 'data-unread': String(conversation.unreadCount > 0) })}
          columns={[
            {
              header: t('messages.mailbox.subject'),
              cell: (conversation) => (
                <SubjectLink conversation={conversation} subject={subjects.get(conversation.id)} />
              ),
            },
            {
              header: box === 'sent' ? t('messages.mailbox.recipients') : t('messages.mailbox.from'),
              cell: (conversation) =>
                box === 'sent'
                  ? conversation.participants
                      .filter((p) => p.role !== 'sender')
                      .map((p) => p.name)
                      .join(', ')
                  : conversation.sender.name,
            },
            {
              header: t('messages.mailbox.status'),
              cell: (conversation) => summarizeParticipants(conversation.participants, t),
            },
            box === 'team' && {
              header: t('messages.mailbox.handling'),
              cell: (conversation) => describeHandling(handling.get(conversation.id), t),
            },
            {
              header: t('messages.mailbox.lastActivity'),
              cell: (conversation) => dateFormat.format(new Date(conversation.lastActivityAt)),
            },
          ]}
        />
      ) : null}
      {team && (team.role === 'admin' || me?.role === 'admin') ? (
        <Section title={t('messages.mailbox.teamSettings')} id="team-settings">
          <TeamContactSettingsForm teamId={team.id} teamName={team.name} />
        </Section>
      ) : null}
    </Page>
  );
}

/** A team mailbox shows who handles each conversation and whether it is done. */
function useTeamHandling(
  list: ConversationListResponse | undefined,
  box: Mailbox,
  teamId: string | undefined,
) {
  const [handling, setHandling] = useState<Map<string, TeamHandlingList['conversations'][number]>>(new Map());
  useEffect(() => {
    const ids = list?.conversations.map((c) => c.id) ?? [];
    if (box !== 'team' || !teamId || ids.length === 0) return;
    let isCurrent = true;
    void api
      .get<TeamHandlingList>(`/api/teams/${teamId}/handling?conversationIds=${ids.join(',')}`)
      .then((result) => {
        if (isCurrent) setHandling(new Map(result.conversations.map((c) => [c.conversationId, c])));
      })
      .catch(() => undefined);
    return () => {
      isCurrent = false;
    };
  }, [list, box, teamId]);
  return handling;
}

/** The subjects are encrypted: each conversation's first item is opened here to show it. */
function useSubjects(list: ConversationListResponse | undefined, keys: UnlockedKeys) {
  const { t } = useTranslation();
  const [subjects, setSubjects] = useState<Map<string, string>>(new Map());
  useEffect(() => {
    if (!list) return;
    const privateKeys = toPrivateKeyMap(keys);
    let isCurrent = true;
    void Promise.all(
      list.conversations.map(async (conversation) => {
        const opened = await openItem(conversation.firstItem, privateKeys);
        return [conversation.id, opened.content?.subject ?? t('messages.unreadable')] as const;
      }),
    ).then((entries) => {
      if (isCurrent) setSubjects(new Map(entries));
    });
    return () => {
      isCurrent = false;
    };
  }, [list, keys, t]);
  return subjects;
}

function describeHandling(
  state: TeamHandlingList['conversations'][number] | undefined,
  t: TFunction,
): string {
  if (state?.isDone) return t('messages.mailbox.handlingDone');
  if (state?.assignee) return t('messages.mailbox.handlingAssigned', { name: state.assignee.name });
  return t('messages.mailbox.handlingOpen');
}

function SubjectLink({
  conversation,
  subject,
}: {
  conversation: ConversationSummary;
  subject: string | undefined;
}) {
  const { t } = useTranslation();
  return (
    <>
      <Link className="utrecht-link" to={`/conversations/${conversation.id}`}>
        {subject ?? t('messages.decrypting')}
      </Link>
      {conversation.itemCount > 1 ? (
        <span className="zegel-count"> {t('messages.mailbox.items', { count: conversation.itemCount })}</span>
      ) : null}
      {conversation.unreadCount > 0 ? (
        <span className="zegel-unread-marker">
          {' '}
          {t('messages.mailbox.unreadItems', { count: conversation.unreadCount })}
        </span>
      ) : null}
    </>
  );
}
