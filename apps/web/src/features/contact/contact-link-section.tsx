import { useTranslation } from 'react-i18next';
import { useSession } from '../../api/index.ts';
import { Section } from '../../ui/index.ts';

/**
 * Where the organisation's contact page is, and a plain link to put on its own website (no
 * script: the page itself does the work, with the organisation's branding).
 */
export function ContactLinkSection() {
  const { t } = useTranslation();
  const { me } = useSession();
  if (!me) return null;
  const url = `${window.location.origin}/contact/${encodeURIComponent(me.organisation.slug)}`;
  const snippet = `<a href="${url}">${t('contact.link.buttonText')}</a>`;
  return (
    <Section title={t('contact.link.title')} id="contact-link">
      <p className="utrecht-paragraph">
        {t('contact.link.intro')}{' '}
        <a className="utrecht-link" href={url}>
          {url}
        </a>
      </p>
      <h3 className="utrecht-heading-3">{t('contact.link.snippet')}</h3>
      <p className="utrecht-paragraph">{t('contact.link.snippetHelp')}</p>
      <pre className="zegel-snippet">
        <code>{snippet}</code>
      </pre>
    </Section>
  );
}
