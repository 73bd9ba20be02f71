import { useTranslation } from 'react-i18next';
import { Navigate, NavLink, Route, Routes } from 'react-router';
import { Page } from '../../ui/index.ts';
import { DlpPolicySection } from '../dlp/index.ts';
import { MailSecuritySection } from '../mail-security/index.ts';
import { MeldpuntDirectorySection } from '../reports/index.ts';
import { AuditSection } from './audit-section.tsx';
import { GatewaySection } from './gateway-section.tsx';
import { InvitationsSection } from './invitations-section.tsx';
import { OrganisationSection } from './organisation-section.tsx';
import { SignInStormsSection } from './sign-in-storms-section.tsx';
import { TeamsSection } from './teams-section.tsx';
import { UsersSection } from './users-section.tsx';

const tabs = [
  { path: 'organisation', key: 'admin.tabs.organisation' },
  { path: 'users', key: 'admin.tabs.users' },
  { path: 'invitations', key: 'admin.tabs.invitations' },
  { path: 'teams', key: 'admin.tabs.teams' },
  { path: 'audit', key: 'admin.tabs.audit' },
  { path: 'mail-domains', key: 'admin.tabs.mailDomains' },
  { path: 'dlp', key: 'admin.tabs.dlp' },
  { path: 'meldpunten', key: 'admin.tabs.meldpunten' },
  { path: 'gateway', key: 'admin.tabs.gateway' },
] as const;

/** Administration: one page per subject, reached through a local navigation. */
export function AdminPage() {
  const { t } = useTranslation();
  return (
    <Routes>
      <Route index element={<Navigate to="users" replace />} />
      {tabs.map((tab) => (
        <Route
          key={tab.path}
          path={tab.path}
          element={
            <Page key={tab.path} title={t(tab.key)} wide>
              <AdminTabs />
              {tab.path === 'organisation' ? <OrganisationSection /> : null}
              {tab.path === 'users' ? <UsersSection /> : null}
              {tab.path === 'invitations' ? <InvitationsSection /> : null}
              {tab.path === 'teams' ? <TeamsSection /> : null}
              {tab.path === 'audit' ? <SignInStormsSection /> : null}
              {tab.path === 'audit' ? <AuditSection /> : null}
              {tab.path === 'mail-domains' ? <MailSecuritySection /> : null}
              {tab.path === 'dlp' ? <DlpPolicySection /> : null}
              {tab.path === 'meldpunten' ? <MeldpuntDirectorySection /> : null}
              {tab.path === 'gateway' ? <GatewaySection /> : null}
            </Page>
          }
        />
      ))}
    </Routes>
  );
}

function AdminTabs() {
  const { t } = useTranslation();
  return (
    <nav className="zegel-tabs" aria-label={t('admin.tabsLabel')}>
      <ul className="zegel-tabs__list">
        {tabs.map((tab) => (
          <li key={tab.path}>
            <NavLink className="zegel-tabs__link" to={`/admin/${tab.path}`}>
              {t(tab.key)}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
