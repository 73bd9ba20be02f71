import type { ContactPage as ContactPageData, ContactTeam } from '@zegel/protocol/api';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../../api/index.ts';
import {
  applyBranding,
  EmptyState,
  ErrorAlert,
  Loading,
  Page,
  Section,
  TextField,
  useLoad,
} from '../../ui/index.ts';
import { GuestLayout } from '../guest/index.ts';
import { AddressForm } from './address-form.tsx';
import { MessageForm } from './message-form.tsx';

/**
 * The organisation's public contact page (`/contact/:slug`, `/contact/:slug/:teamId`): its teams
 * that accept new conversations, with a filter. No account needed; every field is shown as text.
 */
export function ContactPage() {
  const { slug = '', teamId } = useParams();
  const load = useCallback(
    () => api.get<ContactPageData>(`/api/contact/${encodeURIComponent(slug)}`),
    [slug],
  );
  const page = useLoad(load);
  const organisation = page.data?.organisation;
  useEffect(() => {
    if (organisation) applyBranding(document.body, organisation.branding);
  }, [organisation]);
  return (
    <GuestLayout organisation={organisation ?? null}>
      {page.data ? (
        teamId ? (
          <TeamView page={page.data} teamId={teamId} />
        ) : (
          <TeamList page={page.data} />
        )
      ) : page.isLoading ? (
        <Loading />
      ) : (
        <ContactError error={page.error} />
      )}
    </GuestLayout>
  );
}

function ContactError({ error }: { error: Parameters<typeof ErrorAlert>[0]['error'] }) {
  const { t } = useTranslation();
  return (
    <Page title={t('contact.notFoundTitle')}>
      <ErrorAlert error={error} />
    </Page>
  );
}

function matches(team: ContactTeam, query: string): boolean {
  const needle = query.trim().toLocaleLowerCase('nl');
  if (!needle) return true;
  return [team.name, team.description, team.region].some((field) =>
    field.toLocaleLowerCase('nl').includes(needle),
  );
}

function TeamList({ page }: { page: ContactPageData }) {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const shown = useMemo(() => page.teams.filter((team) => matches(team, query)), [page.teams, query]);
  return (
    <Page title={t('contact.title', { organisation: page.organisation.name })}>
      <p className="utrecht-paragraph">{t('contact.intro')}</p>
      {page.teams.length > 0 ? (
        <TextField
          id="contact-filter"
          type="search"
          label={t('contact.filter')}
          description={t('contact.filterHelp')}
          value={query}
          onChange={setQuery}
          autoComplete="off"
        />
      ) : null}
      <p className="utrecht-paragraph" role="status" aria-live="polite">
        {t('contact.count', { count: shown.length })}
      </p>
      {page.teams.length === 0 ? (
        <EmptyState>{t('contact.noTeams')}</EmptyState>
      ) : (
        <ul className="zegel-member-list">
          {shown.map((team) => (
            <li key={team.id}>
              <TeamDetails team={team} slug={page.organisation.slug} isLinked />
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}

function TeamDetails({ team, slug, isLinked }: { team: ContactTeam; slug: string; isLinked: boolean }) {
  const { t } = useTranslation();
  return (
    <Section title={team.name} id={`contact-team-${team.id}`}>
      {team.description ? <p className="utrecht-paragraph">{team.description}</p> : null}
      <dl className="zegel-facts">
        {team.region ? (
          <>
            <dt>{t('contact.region')}</dt>
            <dd>{team.region}</dd>
          </>
        ) : null}
        {team.responseTime ? (
          <>
            <dt>{t('contact.responseTime')}</dt>
            <dd>{team.responseTime}</dd>
          </>
        ) : null}
        {team.officeHours ? (
          <>
            <dt>{t('contact.officeHours')}</dt>
            <dd>{team.officeHours}</dd>
          </>
        ) : null}
      </dl>
      {isLinked ? (
        <p className="utrecht-paragraph">
          <Link className="utrecht-link" to={`/contact/${slug}/${team.id}`}>
            {t('contact.start', { team: team.name })}
          </Link>
        </p>
      ) : null}
    </Section>
  );
}

function TeamView({ page, teamId }: { page: ContactPageData; teamId: string }) {
  const { t } = useTranslation();
  const team = page.teams.find((candidate) => candidate.id === teamId);
  const [verified, setVerified] = useState<{ sendToken: string; email: string } | null>(null);
  if (!team) {
    return (
      <Page title={t('contact.closedTitle')}>
        <p className="utrecht-paragraph">{t('contact.closed')}</p>
        <p className="utrecht-paragraph">
          <Link className="utrecht-link" to={`/contact/${page.organisation.slug}`}>
            {t('contact.back', { organisation: page.organisation.name })}
          </Link>
        </p>
      </Page>
    );
  }
  return (
    <Page title={t('contact.teamTitle', { team: team.name })}>
      <TeamDetails team={team} slug={page.organisation.slug} isLinked={false} />
      <AddressForm
        slug={page.organisation.slug}
        teamId={team.id}
        onVerified={(sendToken, email) => setVerified({ sendToken, email })}
      />
      {verified ? (
        <MessageForm
          slug={page.organisation.slug}
          teamId={team.id}
          teamName={team.name}
          sendToken={verified.sendToken}
          email={verified.email}
        />
      ) : null}
      <p className="utrecht-paragraph">
        <Link className="utrecht-link" to={`/contact/${page.organisation.slug}`}>
          {t('contact.back', { organisation: page.organisation.name })}
        </Link>
      </p>
    </Page>
  );
}
