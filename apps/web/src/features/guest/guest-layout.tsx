import { SkipLink } from '@nl-design-system-candidate/skip-link-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { changeLanguage } from '../../i18n/index.ts';

/** The organisation as a guest's page shows it: its name and, when it has one, its logo. */
export interface GuestOrganisation {
  name: string;
  slug: string;
  hasLogo: boolean;
}

/**
 * The guest's frame: no staff navigation, a language switch, the organisation's colours via
 * tokens and its logo (served publicly by slug), so the page shows whose it is.
 */
export function GuestLayout({
  organisation,
  children,
}: {
  organisation: GuestOrganisation | null;
  children: ReactNode;
}) {
  const { t, i18n } = useTranslation();
  const otherLanguage = i18n.language === 'en' ? 'nl' : 'en';
  return (
    <div className="utrecht-page zegel-app">
      <SkipLink href="#main" className="utrecht-skip-link utrecht-skip-link--visible-on-focus">
        {t('layout.skipLink')}
      </SkipLink>
      <header className="utrecht-page-header zegel-header">
        <div className="zegel-header__inner">
          <div className="zegel-brand">
            {organisation?.hasLogo ? (
              <img
                className="zegel-brand__logo"
                src={`/api/organisations/${encodeURIComponent(organisation.slug)}/logo`}
                alt={t('layout.logoAlt', { name: organisation.name })}
              />
            ) : (
              <svg className="zegel-brand__mark" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
                <rect width="32" height="32" rx="6" />
                <path d="M9 10h14l-14 12h14" />
              </svg>
            )}
            <div>
              <span className="zegel-brand__name">{organisation?.name ?? t('guest.brand')}</span>
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
          </div>
        </div>
      </header>
      <main id="main" className="utrecht-page-content zegel-main" tabIndex={-1}>
        {children}
      </main>
      <footer className="utrecht-page-footer zegel-footer">
        <p className="utrecht-paragraph">{t('guest.footer')}</p>
      </footer>
    </div>
  );
}
