/** The organisation's administration: organisation, users, teams, invitations, audit trail. */
export { AdminPage } from './admin-page.tsx';
