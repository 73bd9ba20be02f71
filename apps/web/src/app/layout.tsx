import { SkipLink } from '@nl-design-system-candidate/skip-link-react';
import { Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { useSession } from '../api/index.ts';
import { changeLanguage } from '../i18n/index.ts';
import { applyBranding, Loading } from '../ui/index.ts';

/** Skip link, header with the organisation's name and logo, navigation, main landmark, footer. */
export function Layout() {
  const { t, i18n } = useTranslation();
  const { me, signOut } = useSession();
  const navigate = useNavigate();
  const section = useLocation().pathname.split('/')[1] ?? '';
  const isFull = me?.stage === 'full';
  const organisation = me?.organisation;
  const otherLanguage = i18n.language === 'en' ? 'nl' : 'en';

  useEffect(() => {
    applyBranding(document.body, organisation?.branding ?? {});
  }, [organisation?.branding]);

  return (
    <div className="utrecht-page zegel-app">
      <SkipLink href="#main" className="utrecht-skip-link utrecht-skip-link--visible-on-focus">
        {t('layout.skipLink')}
      </SkipLink>
      <header className="utrecht-page-header zegel-header">
        <div className="zegel-header__inner">
          <div className="zegel-brand">
            {organisation?.hasLogo ? <OrganisationLogo name={organisation.name} /> : <ZegelMark />}
            <div>
              <span className="zegel-brand__name">{organisation?.name ?? 'Zegel'}</span>
              <span className="zegel-brand__product">{t('layout.product')}</span>
            </div>
          </div>
          <div className="zegel-header__tools">
            <button
              type="button"
              className="utrecht-button utrecht-button--subtle zegel-language-switch"
              lang={otherLanguage}
              onClick={() => void changeLanguage(otherLanguage)}
            >
              {t('layout.otherLanguage')}
            </button>
            {me ? (
              <button
                type="button"
                className="utrecht-button utrecht-button--subtle zegel-sign-out"
                onClick={() => {
                  void signOut().then(() => navigate('/sign-in'));
                }}
              >
                {t('layout.signOut')}
              </button>
            ) : null}
          </div>
        </div>
        {isFull ? (
          <nav className="zegel-nav" aria-label={t('layout.navigation')}>
            <ul className="zegel-nav__list">
              <li>
                <NavLink className="zegel-nav__link" to="/messages">
                  {t('layout.nav.messages')}
                </NavLink>
              </li>
              <li>
                <NavLink className="zegel-nav__link" to="/reports/find">
                  {t('layout.nav.reports')}
                </NavLink>
              </li>
              <li>
                <NavLink className="zegel-nav__link" to="/account">
                  {t('layout.nav.account')}
                </NavLink>
              </li>
              {me.role === 'admin' ? (
                <li>
                  <NavLink className="zegel-nav__link" to="/admin">
                    {t('layout.nav.admin')}
                  </NavLink>
                </li>
              ) : null}
            </ul>
          </nav>
        ) : null}
      </header>
      <main id="main" className="utrecht-page-content zegel-main" tabIndex={-1}>
        {/*
          The header stays while a page's chunk loads, and the status says so. A boundary per
          section: a new one shows its status at once, where a navigation (a transition) would
          keep the previous page on screen until the chunk arrives.
        */}
        <Suspense key={section} fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
      <footer className="utrecht-page-footer zegel-footer">
        <p className="utrecht-paragraph">
          {me ? t('layout.signedInAs', { name: me.name, email: me.email }) : t('layout.footer')}
        </p>
      </footer>
    </div>
  );
}

function OrganisationLogo({ name }: { name: string }) {
  const { t } = useTranslation();
  const { logoVersion } = useSession();
  return (
    <img
      className="zegel-brand__logo"
      src={`/api/organisation/logo?v=${logoVersion}`}
      alt={t('layout.logoAlt', { name })}
    />
  );
}

function ZegelMark() {
  return (
    <svg className="zegel-brand__mark" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="6" />
      <path d="M9 10h14l-14 12h14" />
    </svg>
  );
}
