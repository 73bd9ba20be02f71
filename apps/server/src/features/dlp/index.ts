/**
 * Leak prevention: the organisation's policy and the composer's audit reports (scanning runs in
 * the browser, and in the mail gateway over submitted mail).
 */
export { registerDlpRoutes } from './routes.ts';
export { getDlpPolicy } from './service.ts';
