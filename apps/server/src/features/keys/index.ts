/**
 * Keys: account and team key pairs (made and wrapped in the browser; the server keeps public
 * keys and wrapped private keys only) and the directory of public keys items are wrapped to.
 */
export { findStaffHolders, type StaffHolder, teamPublicKeys } from './directory.ts';
export { registerKeyRoutes } from './routes.ts';
