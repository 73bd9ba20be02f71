/** Public contact pages and team mailboxes: the page, team settings and team handling. */
export { ContactLinkSection } from './contact-link-section.tsx';
export { ContactPage } from './contact-page.tsx';
export { TeamContactSettingsForm } from './team-contact-settings.tsx';
export { TeamHandlingPanels } from './team-handling-panel.tsx';
