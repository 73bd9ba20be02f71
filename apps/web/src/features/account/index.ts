/** The signed-in user's own account: devices, sessions, recovery codes. */
export { AccountPage } from './account-page.tsx';
